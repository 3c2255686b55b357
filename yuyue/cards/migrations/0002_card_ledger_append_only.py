"""The card ledger is append-only in the database too (docs/cards.md#the-ledger), as the
payments ledger is (payments/0002): an UPDATE of an entry is refused on both databases, a
DELETE on PostgreSQL (SQLite test runs empty tables with DELETE; PostgreSQL's TRUNCATE fires
no DELETE trigger)."""

from django.db import migrations

TABLE = "cards_cardentry"
POSTGRES = [
    """
    CREATE FUNCTION cards_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'card entries are never changed nor deleted';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER cards_ledger_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION cards_ledger_append_only()
    """,
]
POSTGRES_DROP = [
    f"DROP TRIGGER cards_ledger_append_only ON {TABLE}",
    "DROP FUNCTION cards_ledger_append_only()",
]
SQLITE = [
    f"""
    CREATE TRIGGER cards_ledger_append_only BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'card entries are never changed'); END
    """
]
SQLITE_DROP = ["DROP TRIGGER cards_ledger_append_only"]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cards", "0001_cards")]

    operations = [migrations.RunPython(_run(POSTGRES, SQLITE), _run(POSTGRES_DROP, SQLITE_DROP))]
