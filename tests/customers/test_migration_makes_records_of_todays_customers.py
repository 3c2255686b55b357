"""The migration to customer records, run over data written as today's schema holds it: each
business gets a record per customer it booked, staff notes are folded in, and the accounts
staff made for walk-ins become records without an account (and are deleted)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

from tests.helpers import TUESDAY, at
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_create
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("customers", None)]
START = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)


def migrate(targets) -> ProjectState:
    """Migrate the test database to `targets`; the state of the models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_apps():
    yield migrate(BEFORE).apps
    migrate(latest())


def write_todays_data(apps) -> dict:
    OldUser = apps.get_model("accounts", "User")
    Business = apps.get_model("catalog", "Business")
    Service = apps.get_model("catalog", "Service")
    StaffMember = apps.get_model("scheduling", "StaffMember")
    OldAppointment = apps.get_model("bookings", "Appointment")
    AppointmentEvent = apps.get_model("bookings", "AppointmentEvent")
    CustomerNote = apps.get_model("catalog", "CustomerNote")
    OldNotification = apps.get_model("notifications", "Notification")
    WeChatIdentity = apps.get_model("wechat", "WeChatIdentity")

    def user(username, *, password="argon2$x", **fields):
        return OldUser.objects.create(username=username, password=password, **fields)

    mei = user("mei", display_name="张小美", phone="+8613700137000", email="mei@example.com")
    guest = user(
        "guest-0a1b2c", password="!unusable", display_name="赵女士", phone="+8613917778117"
    )
    wx_guest = user("guest-wx", password="!unusable", phone="+8613500000000")
    WeChatIdentity.objects.create(appid="wx1", openid="o-1", unionid="", user=wx_guest)
    twin = user("twin", phone="+8613700137000")
    salon = Business.objects.create(slug="salon", name="Salon")
    clinic = Business.objects.create(slug="clinic", name="Clinic")
    rows = {}
    for business in (salon, clinic):
        service = Service.objects.create(
            business=business, name="Cut", duration_minutes=60, price=Decimal("88.00")
        )
        staff = StaffMember.objects.create(business=business, name="Tony")
        rows[business.slug] = (service, staff)

    def book(business, person, hour):
        service, staff = rows[business.slug]
        start = START + dt.timedelta(hours=hour)
        appointment = OldAppointment.objects.create(
            business=business,
            service=service,
            staff=staff,
            customer=person,
            start=start,
            end=start + dt.timedelta(hours=1),
            occupied_start=start,
            occupied_end=start + dt.timedelta(hours=1),
            status="confirmed",
            price=Decimal("88.00"),
            currency="CNY",
        )
        event = AppointmentEvent.objects.create(
            appointment=appointment, action="created", to_status="confirmed"
        )
        OldNotification.objects.create(
            business=business,
            appointment=appointment,
            event=event,
            recipient=person,
            channel="sms",
            kind="booked",
            language="zh-hans",
            send_after=start,
            next_attempt_at=start,
        )
        return appointment

    booked = {
        "mei_salon": book(salon, mei, 0),
        "mei_salon_2": book(salon, mei, 2),
        "mei_clinic": book(clinic, mei, 0),
        "guest": book(salon, guest, 4),
        "wx_guest": book(salon, wx_guest, 6),
        "twin": book(salon, twin, 8),
    }
    CustomerNote.objects.create(business=salon, customer=guest, text="过敏：对染发剂过敏")
    CustomerNote.objects.create(business=salon, customer=mei, text="prefers Tony")
    return {"ids": {name: a.pk for name, a in booked.items()}, "guest": guest.pk}


def test_todays_customers_become_each_businesss_records(old_apps):
    data = write_todays_data(old_apps)

    migrate(latest())

    ids = data["ids"]
    appointments = {name: Appointment.objects.get(pk=pk) for name, pk in ids.items()}
    mei = User.objects.get(username="mei")
    salon_mei = appointments["mei_salon"].client
    assert appointments["mei_salon_2"].client == salon_mei
    assert (salon_mei.business.slug, salon_mei.user, salon_mei.name) == ("salon", mei, "张小美")
    assert (salon_mei.phone, salon_mei.email, salon_mei.notes) == (
        "+8613700137000",
        "mei@example.com",
        "prefers Tony",
    )
    clinic_mei = appointments["mei_clinic"].client
    assert clinic_mei != salon_mei and clinic_mei.business.slug == "clinic"
    assert clinic_mei.user == mei and clinic_mei.notes == ""
    assert appointments["mei_salon"].customer == mei

    zhao = appointments["guest"].client
    assert (zhao.user, zhao.name, zhao.phone, zhao.notes) == (
        None,
        "赵女士",
        "+8613917778117",
        "过敏：对染发剂过敏",
    )
    assert appointments["guest"].customer is None
    assert not User.objects.filter(pk=data["guest"]).exists()
    [message] = Notification.objects.filter(appointment=appointments["guest"])
    assert message.recipient is None and message.addressee == zhao

    # A guest with a WeChat login is somebody's account: it stays, linked.
    wx = User.objects.get(username="guest-wx")
    assert appointments["wx_guest"].client.user == wx
    assert appointments["wx_guest"].customer == wx

    # One record per phone at a business: the second account's number goes to its notes.
    twin = appointments["twin"].client
    assert twin.user.username == "twin" and twin.phone == "" and "+8613700137000" in twin.notes
    assert Customer.objects.filter(business__slug="salon").count() == 4


def test_going_back_gives_walk_ins_an_account_again(db_with_a_walk_in):
    appointment_id = db_with_a_walk_in

    apps = migrate(BEFORE).apps

    OldAppointment = apps.get_model("bookings", "Appointment")
    CustomerNote = apps.get_model("catalog", "CustomerNote")
    appointment = OldAppointment.objects.select_related("customer").get(pk=appointment_id)
    guest = appointment.customer
    assert guest.username.startswith("guest-") and guest.password.startswith("!")
    assert (guest.display_name, guest.phone) == ("赵女士", "+8613917778117")
    assert CustomerNote.objects.get(customer=guest).text == "过敏：对染发剂过敏"
    assert (
        not apps.get_model("notifications", "Notification")
        .objects.filter(appointment_id=appointment_id, recipient=None)
        .exists()
    )

    migrate(latest())

    appointment = Appointment.objects.get(pk=appointment_id)
    assert appointment.customer is None and appointment.client.notes == "过敏：对染发剂过敏"
    assert not User.objects.filter(username=guest.username).exists()


@pytest.fixture
def db_with_a_walk_in(owner, business, service, stylist):
    record = customer_create(
        actor=owner,
        business=business,
        name="赵女士",
        phone="13917778117",
        notes="过敏：对染发剂过敏",
    )
    appointment = appointment_create(
        service=service, client=record, start=at(TUESDAY, "15:00"), staff=stylist, actor=owner
    )
    yield appointment.id
    migrate(latest())
