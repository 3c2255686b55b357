"""Each business may keep its customers' records N months after their last appointment: the
worker's daily step anonymises a record with no appointment starting in those months and none
ahead, as an owner's erasure does; a customer with a booking ahead is kept."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW, TUESDAY, WEDNESDAY, at, html_of, make_appointment, office_browser_for
from yuyue.catalog.services import business_update
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_create
from yuyue.lib import worker_steps
from yuyue.notifications.erasure import RetentionStep, retention_apply

pytestmark = pytest.mark.django_db

MONTHS = 6
LONG_AGO = NOW - dt.timedelta(days=8 * 31)


@pytest.fixture
def records(business, owner, service, stylist):
    """Four records made eight months ago: one last seen then, one seen then who has booked
    again for tomorrow, one seen last month, one never seen since it was made."""
    with time_machine.travel(LONG_AGO, tick=False):
        made = {
            name: customer_create(actor=owner, business=business, name=name, phone=phone)
            for name, phone in [
                ("quiet", "13911110001"),
                ("returning", "13911110002"),
                ("recent", "13911110003"),
                ("never", "13911110004"),
            ]
        }
    long_ago = LONG_AGO.date()
    for name in ("quiet", "returning"):
        make_appointment(
            service=service,
            staff=stylist,
            customer=made[name],
            start=at(long_ago, "10:00"),
            status="completed",
        )
    make_appointment(
        service=service, staff=stylist, customer=made["returning"], start=at(WEDNESDAY, "10:00")
    )
    make_appointment(
        service=service,
        staff=stylist,
        customer=made["recent"],
        start=at(TUESDAY - dt.timedelta(days=31), "10:00"),
        status="completed",
    )
    business_update(business=business, actor=owner, customer_retention_months=MONTHS)
    return made


def _erased(record: Customer) -> bool:
    return Customer.objects.get(pk=record.pk).erased_at is not None


def test_inactive_records_are_anonymised_and_active_ones_kept(records):
    assert retention_apply() == 2

    assert _erased(records["quiet"]) and _erased(records["never"])
    assert not _erased(records["returning"]) and not _erased(records["recent"])
    quiet = Customer.objects.get(pk=records["quiet"].pk)
    assert (quiet.phone, quiet.name) != ("+8613911110001", "quiet")
    assert quiet.appointments.count() == 1
    # Erased records are skipped: a second run does nothing.
    assert retention_apply() == 0


def test_months_pass_and_the_returning_customer_goes_too(records):
    with time_machine.travel(NOW + dt.timedelta(days=(MONTHS + 1) * 31), tick=False):
        assert retention_apply() == 4


def test_zero_keeps_everything(records, business, owner):
    business_update(business=business, actor=owner, customer_retention_months=0)
    assert retention_apply() == 0


def test_the_worker_runs_it_at_most_daily(records, business, owner):
    assert "retention" in worker_steps.steps()
    step = RetentionStep()
    assert step() == 2
    late = customer_create(actor=owner, business=business, name="late", phone="13911110005")
    Customer.objects.filter(pk=late.pk).update(created_at=LONG_AGO)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert step() == 0  # within the day, not looked at
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        assert step() == 1
    assert _erased(late)


def test_the_owner_sets_it_on_the_policies_page_within_its_limit(business, owner):
    desk = office_browser_for(owner)
    page = html_of(desk.get("/manage/salon/settings/policies/"))
    assert 'name="customer_retention_months"' in page
    too_long = desk.post(
        "/manage/salon/settings/policies/",
        {"name": business.name, "phone": "", "customer_retention_months": "121"},
    )
    assert too_long.status_code == 400
    saved = desk.post(
        "/manage/salon/settings/policies/",
        {"name": business.name, "phone": "", "customer_retention_months": "24"},
    )
    assert saved.status_code == 303
    business.refresh_from_db()
    assert business.customer_retention_months == 24
