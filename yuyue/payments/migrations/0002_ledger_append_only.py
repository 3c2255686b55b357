"""The ledger is append-only in the database too (docs/payments.md#the-ledger): an UPDATE of
an entry is refused on both databases, a DELETE on PostgreSQL. (SQLite's test runs empty tables
with DELETE, so the delete trigger there would refuse the test harness itself; TRUNCATE, which
PostgreSQL's uses, fires no DELETE trigger.)"""

from django.db import migrations

TABLE = "payments_paymententry"
POSTGRES = [
    """
    CREATE FUNCTION payments_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries are never changed nor deleted';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER payments_ledger_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION payments_ledger_append_only()
    """,
]
POSTGRES_DROP = [
    f"DROP TRIGGER payments_ledger_append_only ON {TABLE}",
    "DROP FUNCTION payments_ledger_append_only()",
]
SQLITE = [
    f"""
    CREATE TRIGGER payments_ledger_append_only BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed'); END
    """
]
SQLITE_DROP = ["DROP TRIGGER payments_ledger_append_only"]


def _run(postgres, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_ledger")]

    operations = [migrations.RunPython(_run(POSTGRES, SQLITE), _run(POSTGRES_DROP, SQLITE_DROP))]
