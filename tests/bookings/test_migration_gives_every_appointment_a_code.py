"""bookings/0009 over data written before it: every appointment gets its own six digits, and
the open ones of a business never share one, so the constraint can be added."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bookings", "0008_appointment_awaiting_payment")]
AFTER = [("bookings", "0009_appointment_checkin_code")]
START = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets)


@pytest.fixture
def old_apps():
    yield migrate(BEFORE).apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def test_existing_appointments_get_distinct_codes(old_apps):
    Business = old_apps.get_model("catalog", "Business")
    Service = old_apps.get_model("catalog", "Service")
    StaffMember = old_apps.get_model("scheduling", "StaffMember")
    Customer = old_apps.get_model("customers", "Customer")
    Appointment = old_apps.get_model("bookings", "Appointment")
    business = Business.objects.create(slug="salon", name="Salon")
    service = Service.objects.create(
        business=business, name="Cut", duration_minutes=60, price=Decimal("88.00")
    )
    staff = StaffMember.objects.create(business=business, name="Tony")
    client = Customer.objects.create(business=business, name="张小美")
    statuses = ["confirmed", "pending", "awaiting_payment", "completed", "cancelled"] * 4
    for hour, status in enumerate(statuses):
        start = START + dt.timedelta(hours=hour)
        Appointment.objects.create(
            business=business,
            service=service,
            staff=staff,
            client=client,
            start=start,
            end=start + dt.timedelta(hours=1),
            occupied_start=start,
            occupied_end=start + dt.timedelta(hours=1),
            status=status,
            price=Decimal("88.00"),
            currency="CNY",
        )

    new_apps = migrate(AFTER).apps

    rows = list(
        new_apps.get_model("bookings", "Appointment").objects.values("status", "checkin_code")
    )
    assert len(rows) == len(statuses)
    assert all(len(row["checkin_code"]) == 6 and row["checkin_code"].isdigit() for row in rows)
    open_codes = [
        row["checkin_code"]
        for row in rows
        if row["status"] in ("awaiting_payment", "pending", "confirmed")
    ]
    assert len(open_codes) == len(set(open_codes)) == 12
    # Drawn one by one, not one default for all: twenty rows never share a single code.
    assert len({row["checkin_code"] for row in rows}) > 1
