"""Every endpoint that names a private thing, tried by everyone who must not reach it.

Intruders: nobody (no token), another customer, and the owner of another business (staff
rights there are no rights here). Each must be refused — 401 without a token; 404 for an
appointment (its existence is not theirs to know); 403 or 404 for a business's back office
(the business itself is public) — see none of the victim's data, and change nothing.
"""

import pytest

from tests.api.conftest import WEDNESDAY, error_of
from tests.helpers import at, owner_of
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Business, Location, Membership, Service
from yuyue.scheduling.models import DateOverride, StaffMember, WorkingInterval
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

SECRET_NOTE = "门禁密码 4321"

# (method, path template, body): {a} is the appointment's id, {s} the service's, {m} the staff
# member's, {l} the location's.
APPOINTMENT_ENDPOINTS = [
    ("get", "/api/v1/appointments/{a}", None),
    ("post", "/api/v1/appointments/{a}/cancel", {}),
    ("post", "/api/v1/appointments/{a}/reschedule", {"start": "2026-12-02T14:00:00"}),
    ("post", "/api/v1/appointments/{a}/confirm", None),
    ("post", "/api/v1/appointments/{a}/start", None),
    ("post", "/api/v1/appointments/{a}/complete", None),
    ("post", "/api/v1/appointments/{a}/no-show", None),
]
BUSINESS_ENDPOINTS = [
    ("get", "/api/v1/businesses/salon/appointments", None),
    ("patch", "/api/v1/businesses/salon", {"name": "taken over"}),
    ("post", "/api/v1/businesses/salon/locations", {"name": "fake"}),
    ("patch", "/api/v1/businesses/salon/locations/{l}", {"name": "fake"}),
    (
        "post",
        "/api/v1/businesses/salon/services",
        {"name": "x", "duration_minutes": 5, "price": "0"},
    ),
    ("get", "/api/v1/businesses/salon/services/{s}", None),
    ("patch", "/api/v1/businesses/salon/services/{s}", {"price": "0.01"}),
    ("delete", "/api/v1/businesses/salon/services/{s}", None),
    ("post", "/api/v1/businesses/salon/staff", {"name": "mole"}),
    ("get", "/api/v1/businesses/salon/staff/{m}", None),
    ("patch", "/api/v1/businesses/salon/staff/{m}", {"name": "mole"}),
    ("delete", "/api/v1/businesses/salon/staff/{m}", None),
    ("post", "/api/v1/businesses/salon/staff/{m}/members", {"username": "stranger"}),
    ("get", "/api/v1/businesses/salon/staff/{m}/hours", None),
    ("put", "/api/v1/businesses/salon/staff/{m}/hours", {}),
    ("get", "/api/v1/businesses/salon/staff/{m}/overrides", None),
    (
        "post",
        "/api/v1/businesses/salon/staff/{m}/overrides",
        {"date": "2026-12-03", "closed": True},
    ),
    ("delete", "/api/v1/businesses/salon/staff/{m}/overrides/2026-12-24", None),
]
INTRUDERS = ["anon", "as_stranger", "as_other_owner"]


@pytest.fixture
def victim(service, stylist, customer, location):
    appointment = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), notes=SECRET_NOTE
    )
    staff_override_set(
        staff=stylist,
        actor=owner_of(stylist),
        date=WEDNESDAY.replace(day=24),
        closed=True,
        note="年假",
    )
    return {"a": appointment.public_id, "s": service.id, "m": stylist.id, "l": location.id}


def snapshot() -> list:
    """Everything an intruder might try to change."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Appointment,
            Business,
            Location,
            Membership,
            Service,
            StaffMember,
            WorkingInterval,
            DateOverride,
        )
    ]


def call(client, method: str, path: str, body):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, content_type="application/json")


def assert_nothing_leaked(response, victim) -> None:
    text = response.content.decode()
    for secret in (SECRET_NOTE, victim["a"], "+8613700137000", "customer@example.com", "年假"):
        assert secret not in text, secret
    error_of(response)


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize(("method", "template", "body"), APPOINTMENT_ENDPOINTS)
def test_nobody_else_reaches_a_customer_s_appointment(
    request, victim, intruder, method, template, body
):
    client = request.getfixturevalue(intruder)
    before = snapshot()

    response = call(client, method, template.format(**victim), body)

    assert response.status_code == (401 if intruder == "anon" else 404)
    assert_nothing_leaked(response, victim)
    assert snapshot() == before


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize(("method", "template", "body"), BUSINESS_ENDPOINTS)
def test_nobody_outside_the_business_reaches_its_back_office(
    request, victim, intruder, method, template, body
):
    client = request.getfixturevalue(intruder)
    before = snapshot()

    response = call(client, method, template.format(**victim), body)

    assert response.status_code in ({401} if intruder == "anon" else {403, 404})
    assert_nothing_leaked(response, victim)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("method", "template", "body"), [e for e in BUSINESS_ENDPOINTS if "{" in e[1]]
)
def test_a_refusal_does_not_reveal_whether_the_row_exists(
    as_stranger, victim, method, template, body
):
    real = call(as_stranger, method, template.format(**victim), body)
    made_up = call(as_stranger, method, template.format(a="x", s=999999, m=999999, l=999999), body)

    assert real.status_code == made_up.status_code
    assert error_of(real) == error_of(made_up)


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_public_lists_show_intruders_nothing_private(request, victim, intruder, stylist):
    client = request.getfixturevalue(intruder)

    for path in ("/api/v1/businesses/salon/staff", "/api/v1/businesses/salon/services"):
        response = client.get(path)
        assert response.status_code == 200
        assert "staff" not in [item.get("username") for item in response.json()["items"]]
        assert SECRET_NOTE not in response.content.decode()
