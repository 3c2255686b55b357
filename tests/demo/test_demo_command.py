"""`manage.py demo`: a complete salon made through the services, once, all or nothing."""

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from yuyue.accounts.models import User
from yuyue.accounts.phone import normalize_phone
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.catalog.models import Business, Location, Membership, Service
from yuyue.catalog.services import business_create
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.models import DateOverride, StaffMember

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Mid-morning on a working Tuesday, late at night on a Sunday, and just after midnight on a
# Monday (the day most staff are off): the demo must find valid times whenever it is run.
MOMENTS = [
    dt.datetime(2026, 12, 1, 10, 40, tzinfo=SHANGHAI),
    dt.datetime(2026, 12, 6, 23, 30, tzinfo=SHANGHAI),
    dt.datetime(2027, 3, 8, 0, 5, tzinfo=SHANGHAI),
]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Business,
            Location,
            Service,
            StaffMember,
            User,
            Membership,
            Appointment,
            AppointmentEvent,
            DateOverride,
        )
    }


@pytest.mark.parametrize("moment", MOMENTS, ids=lambda m: m.strftime("%a-%H%M"))
def test_the_demo_creates_a_complete_business(settings, moment):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"
    with time_machine.travel(moment, tick=False):
        output = run_demo()

    business = Business.objects.get(slug="demo")
    assert business.timezone == "Asia/Shanghai"
    assert business.currency == "CNY"
    assert business.locations.count() >= 1
    assert business.staff.count() >= 3
    services = business.services.all()
    assert services.count() >= 5
    assert any(service.capacity > 1 for service in services)
    assert any(service.requires_confirmation for service in services)
    statuses = set(business.appointments.values_list("status", flat=True))
    # A hold awaiting payment lapses within minutes and the demo takes no payments: none; nor
    # a waitlist offer, which also lapses within minutes.
    assert statuses == set(Status.values) - {Status.AWAITING_PAYMENT, Status.OFFERED}
    # Every appointment has its trail, starting with its creation.
    for appointment in business.appointments.all():
        assert appointment.events.first().action == AppointmentEvent.Action.CREATED
    # Past work is finished or missed; what is still ahead only waits or is booked.
    now = moment
    for appointment in business.appointments.filter(start__gt=now):
        assert appointment.status in {Status.PENDING, Status.CONFIRMED, Status.CANCELLED}
    for appointment in business.appointments.filter(end__lt=now):
        assert appointment.status not in {Status.PENDING, Status.CONFIRMED}

    roles = dict(Membership.objects.filter(business=business).values_list("user__username", "role"))
    assert roles == {"owner": Membership.Role.OWNER, "staff": Membership.Role.STAFF}
    assert StaffMember.objects.filter(business=business, user__username="staff").exists()
    for username, password in [
        ("owner", "yuyue-owner-demo"),
        ("staff", "yuyue-staff-demo"),
        ("customer", "yuyue-customer-demo"),
    ]:
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert normalize_phone(user.phone) == user.phone
    assert "yuyue-owner-demo" in output
    # Two member cards on sale and customers holding each; the package pays a booking.
    assert set(business.card_products.values_list("kind", flat=True)) == {
        "package",
        "stored_value",
    }
    holders = dict(business.cards.values_list("customer__user__username", "kind"))
    assert holders == {"customer": "package", "liu.yang": "stored_value"}
    package = business.cards.get(kind="package")
    assert package.balance.reserved_uses == 1
    assert package.entries.get(kind="reserve").appointment.start > now


def test_the_logins_name_the_address_served(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"
    settings.YUYUE_PUBLIC_URL = "http://192.168.1.20:9000"
    with time_machine.travel(MOMENTS[0], tick=False):
        output = run_demo()
    assert "http://127.0.0.1:8000" not in output
    lines = output.splitlines()
    customer, back_office, raw = lines[-3:]
    assert "http://192.168.1.20:9000/" in customer
    assert "/manage/" not in customer
    assert "customer / yuyue-customer-demo" in customer
    assert "http://192.168.1.20:9000/manage/" in back_office
    assert "owner / yuyue-owner-demo" in back_office
    assert "staff / yuyue-staff-demo" in back_office
    assert raw.endswith("http://192.168.1.20:9000/admin/")


def test_a_second_run_creates_nothing(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"
    with time_machine.travel(MOMENTS[0], tick=False):
        run_demo()
        before = counts()
        output = run_demo()
    assert counts() == before
    assert "yuyue-owner-demo" in output


def test_if_empty_leaves_a_database_with_a_business_alone(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"
    someone = User.objects.create_user("someone", password="correct horse battery")
    business_create(owner=someone, slug="elsewhere", name="别家诊所")
    before = counts()
    run_demo("--if-empty")
    assert counts() == before
    assert not Business.objects.filter(slug="demo").exists()


def test_if_empty_fills_an_empty_database(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"
    with time_machine.travel(MOMENTS[0], tick=False):
        run_demo("--if-empty")
    assert Business.objects.filter(slug="demo").exists()


def test_a_failure_leaves_nothing_half_made(settings, monkeypatch):
    settings.YUYUE_DEFAULT_BUSINESS = "demo"

    def broken(self):
        raise InvalidInput({"start": ["Simulated failure."]})

    monkeypatch.setattr("yuyue.demo.demo._Builder.make_upcoming", broken)
    with time_machine.travel(MOMENTS[0], tick=False), pytest.raises(CommandError):
        run_demo()
    assert all(count == 0 for count in counts().values())
