"""The back office: an owner sees and changes only their own business; actions use services."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.helpers import join_business, make_staff, owner_of
from yuyue.accounts.models import User
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Membership, Service
from yuyue.catalog.services import business_create, service_create
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.models import WorkingInterval

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
START = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)
EVERY_DAY = {
    day: [["09:00", "12:00"], ["13:00", "18:00"]]
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


def make_user(username: str, phone: str) -> User:
    return User.objects.create_user(username=username, password="correct horse", phone=phone)


def make_business(slug: str, owner: User, service_name: str) -> dict:
    """A business with one service needing confirmation, one stylist and one pending booking."""
    business = business_create(owner=owner, slug=slug, name=f"{slug} salon")
    service = service_create(
        business=business,
        actor=owner_of(business),
        name=service_name,
        duration_minutes=60,
        price=Decimal("88.00"),
        requires_confirmation=True,
    )
    staff = make_staff(service=service, name=f"{slug} stylist", hours=EVERY_DAY)
    customer = make_user(f"{slug}-customer", "+8613700137000")
    appointment = appointment_create(
        service=service, customer=customer, start=START, staff=staff, now=NOW
    )
    return {"business": business, "service": service, "staff": staff, "appointment": appointment}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def owner_a(db) -> User:
    return make_user("owner-a", "+8613800138000")


@pytest.fixture
def owner_b(db) -> User:
    return make_user("owner-b", "+8613900139000")


@pytest.fixture
def salon_a(owner_a, frozen) -> dict:
    return make_business("salon-a", owner_a, "Cut A")


@pytest.fixture
def salon_b(owner_b, frozen) -> dict:
    return make_business("salon-b", owner_b, "Secret cut B")


@pytest.fixture
def client_a(client, owner_a):
    client.force_login(owner_a)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def test_an_owner_sees_only_their_own_rows(client_a, salon_a, salon_b):
    mine, theirs = salon_a["appointment"], salon_b["appointment"]

    response = client_a.get(changelist("bookings.appointment"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.public_id in page
    assert theirs.public_id not in page

    response = client_a.get(changelist("catalog.service"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cut A" in page
    assert "Secret cut B" not in page

    # Another business's row cannot be opened, even by its address.
    for url in (
        reverse("admin:bookings_appointment_change", args=[theirs.pk]),
        reverse("admin:catalog_service_change", args=[salon_b["service"].pk]),
        reverse("admin:catalog_business_change", args=[salon_b["business"].pk]),
        reverse("admin:scheduling_staffmember_change", args=[salon_b["staff"].pk]),
    ):
        response = client_a.get(url, follow=True)
        assert response.redirect_chain, url
        assert response.redirect_chain[-1][0] == reverse("admin:index")
        assert "Secret cut B" not in response.content.decode()

    # Asking for the other business's service by id still lists only this business's rows.
    response = client_a.get(
        changelist("bookings.appointment"), {"service__id__exact": salon_b["service"].pk}
    )
    assert theirs.public_id not in response.content.decode()
    rows = response.context["cl"].result_list
    assert all(row.business_id == salon_a["business"].pk for row in rows)


def test_choices_on_forms_stay_inside_the_business(client_a, salon_a, salon_b):
    response = client_a.get(reverse("admin:scheduling_staffmember_add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.fields["services"].queryset) == [salon_a["service"]]
    assert list(form.fields["business"].queryset) == [salon_a["business"]]


def test_the_confirm_action_goes_through_the_service(client_a, owner_a, salon_a, salon_b):
    mine, theirs = salon_a["appointment"], salon_b["appointment"]
    assert mine.status == theirs.status == Status.PENDING

    response = client_a.post(
        changelist("bookings.appointment"),
        {"action": "confirm", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    assert response.status_code == 200
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.CONFIRMED
    assert theirs.status == Status.PENDING
    event = mine.events.last()
    assert event.action == AppointmentEvent.Action.CONFIRMED
    assert event.actor == owner_a
    assert (event.from_status, event.to_status) == (Status.PENDING, Status.CONFIRMED)
    assert not theirs.events.filter(action=AppointmentEvent.Action.CONFIRMED).exists()


def test_a_refused_action_is_a_message_not_an_error(client_a, salon_a):
    appointment = salon_a["appointment"]
    response = client_a.post(
        changelist("bookings.appointment"),
        {"action": "complete", "_selected_action": [appointment.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any(appointment.public_id in message for message in messages)
    appointment.refresh_from_db()
    assert appointment.status == Status.PENDING


def test_appointments_and_their_history_are_read_only(client_a, salon_a):
    appointment = salon_a["appointment"]
    url = reverse("admin:bookings_appointment_change", args=[appointment.pk])
    assert client_a.get(url).status_code == 200
    assert client_a.post(url, {"status": "completed"}).status_code == 403
    assert client_a.get(reverse("admin:bookings_appointment_add")).status_code == 403
    delete = reverse("admin:bookings_appointment_delete", args=[appointment.pk])
    assert client_a.post(delete, {"post": "yes"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Status.PENDING


def test_staff_may_look_but_not_change(client, salon_a):
    staff_user = make_user("stylist", "+8613600136000")
    join_business(
        business=salon_a["business"],
        actor=owner_of(salon_a["business"]),
        user=staff_user,
        role=Membership.Role.STAFF,
    )
    client.force_login(staff_user)
    assert client.get(changelist("catalog.service")).status_code == 200
    assert client.get(reverse("admin:catalog_service_add")).status_code == 403
    url = reverse("admin:catalog_service_change", args=[salon_a["service"].pk])
    response = client.post(url, {"name": "Renamed"})
    assert response.status_code == 403
    assert Service.objects.get(pk=salon_a["service"].pk).name == "Cut A"


def test_overlapping_hours_are_refused_naming_the_weekday(client_a, salon_a):
    staff = salon_a["staff"]
    before = list(WorkingInterval.objects.filter(staff=staff).values_list("id", flat=True))
    response = client_a.post(
        reverse("admin:scheduling_workinginterval_add"),
        {"staff": staff.pk, "weekday": 1, "start_minute": "11:00", "end_minute": "14:00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Tuesday" in errors
    after = list(WorkingInterval.objects.filter(staff=staff).values_list("id", flat=True))
    assert after == before


def test_a_service_refusal_the_form_missed_is_shown_not_raised(client_a, salon_a, monkeypatch):
    def refuse(**kwargs):
        raise InvalidInput({"name": ["Refused by the service."]})

    monkeypatch.setattr("yuyue.catalog.admin.service_update", refuse)
    service = salon_a["service"]
    url = reverse("admin:catalog_service_change", args=[service.pk])
    data = {
        "name": "Renamed",
        "description": "",
        "price": "88.00",
        "active": "on",
        "duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "slot_interval_minutes": "",
        "capacity": 1,
        "requires_confirmation": "on",
        "min_notice_minutes": 60,
        "max_days_ahead": 60,
        "cancel_cutoff_minutes": 120,
        "reschedule_cutoff_minutes": 120,
    }
    response = client_a.post(url, data, follow=True)
    assert response.status_code == 200
    messages = " ".join(str(message) for message in response.context["messages"])
    assert "Refused by the service." in messages
    assert Service.objects.get(pk=service.pk).name == "Cut A"
