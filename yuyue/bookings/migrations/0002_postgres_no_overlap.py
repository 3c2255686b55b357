"""PostgreSQL-only guards behind the booking lock (docs/booking.md#constraints-on-postgresql).

Two exclusion constraints over the occupied span of holding appointments on one staff member:
no overlap between appointments of different services, and none at all between exclusive
(capacity-1) appointments. Even a bug in the service's check cannot then become a double
booking. SQLite has no such constraints; there writers are serialized by BEGIN IMMEDIATE.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

HOLDING = "status IN ('pending', 'confirmed', 'in_progress')"
SPAN = "tstzrange(occupied_start, occupied_end, '[)')"

CREATE = [
    f"""
    ALTER TABLE bookings_appointment ADD CONSTRAINT appointment_no_overlap_other_service
    EXCLUDE USING gist (staff_id WITH =, service_id WITH <>, {SPAN} WITH &&)
    WHERE ({HOLDING})
    """,
    f"""
    ALTER TABLE bookings_appointment ADD CONSTRAINT appointment_no_overlap_exclusive
    EXCLUDE USING gist (staff_id WITH =, {SPAN} WITH &&)
    WHERE ({HOLDING} AND exclusive)
    """,
]
DROP = [
    "ALTER TABLE bookings_appointment DROP CONSTRAINT appointment_no_overlap_other_service",
    "ALTER TABLE bookings_appointment DROP CONSTRAINT appointment_no_overlap_exclusive",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
