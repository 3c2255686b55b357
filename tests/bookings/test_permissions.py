"""appointment_permissions as a table: status × who × when → allowed, or the reason why not.

The expectations are written out here from docs/booking.md, independently of the module's own
tables; then the services, the customer pages and the API are shown to give the same refusal.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import NOW, at, join_business, make_appointment, make_user
from yuyue.bookings.errors import CutoffPassed, InvalidTransition, NotAllowed
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.permissions import ACTIONS, appointment_permissions
from yuyue.bookings.services import appointment_cancel
from yuyue.catalog.models import Membership
from yuyue.catalog.services import business_create

pytestmark = pytest.mark.django_db

START = at(NOW.date() + dt.timedelta(days=1), "10:00")
# The service's cut-offs are 120 minutes before the start (tests/conftest.py).
MOMENTS = {
    "before_cutoff": START - dt.timedelta(hours=3),
    "after_cutoff": START - dt.timedelta(minutes=30),
    "after_start": START + dt.timedelta(minutes=15),
}
FROM = {
    "confirm": {"pending"},
    "start": {"confirmed"},
    "complete": {"in_progress"},
    "no_show": {"confirmed"},
    "cancel": {"awaiting_payment", "pending", "confirmed"},
    "reschedule": {"pending", "confirmed"},
}
BUSINESS_SIDE = {"owner", "staff", "superuser"}


def expected(status: str, action: str, who: str, when: str, paid: bool = False):
    """None when allowed, else the error class of the refusal. `paid`: the booking owed money
    online (and, out of awaiting_payment, paid it)."""
    if who in BUSINESS_SIDE:
        if status not in FROM[action]:
            return InvalidTransition
        if action == "no_show" and when != "after_start":
            return InvalidTransition
        return None
    if who == "customer":
        if action not in ("cancel", "reschedule"):
            return NotAllowed
        if status not in FROM[action]:
            return InvalidTransition
        # Money at stake, or an unpaid hold: the customer may cancel up to the start (a late
        # cancellation keeps the deposit, docs/payments.md#refunds-by-policy).
        late_cancel = action == "cancel" and (paid or status == "awaiting_payment")
        if when == "after_start" or (when == "after_cutoff" and not late_cancel):
            return CutoffPassed
        return None
    return NotAllowed  # staff of another business, a stranger


@pytest.fixture
def cast(owner, staff_user, customer, stranger):
    other_staff = make_user("other-staff", phone="+8613400134000")
    other = business_create(
        owner=make_user("other-boss", phone="+8613300133000"), slug="b", name="B"
    )
    join_business(
        business=other,
        actor=other.memberships.get().user,
        user=other_staff,
        role=Membership.Role.STAFF,
    )
    root = make_user("root", phone="+8613200132000", is_superuser=True)
    return {
        "owner": owner,
        "staff": staff_user,
        "customer": customer,
        "other_staff": other_staff,
        "stranger": stranger,
        "superuser": root,
    }


@pytest.mark.parametrize("paid", [False, True], ids=["nothing paid online", "paid online"])
def test_the_whole_table(service, stylist, customer, cast, paid):
    checked = 0
    for status in Status.values:
        # One at a time: on PostgreSQL two holding appointments may not share the time.
        Appointment.objects.all().delete()
        appointment = make_appointment(
            service=service, staff=stylist, customer=customer, start=START, status=status
        )
        if paid:
            appointment.online_due = Decimal("50.00")
        for who, actor in cast.items():
            for when, now in MOMENTS.items():
                permissions = appointment_permissions(appointment=appointment, actor=actor, now=now)
                for action in ACTIONS:
                    decision = permissions.decision(action)
                    want = expected(status, action, who, when, paid)
                    where = (status, who, when, action)
                    if want is None:
                        assert decision, where
                        assert decision.reason == "", where
                    else:
                        assert not decision, where
                        assert type(decision.refusal) is want, where
                        assert decision.reason, where
                    checked += 1
    assert checked == len(Status.values) * len(cast) * len(MOMENTS) * len(ACTIONS)


def test_roles_and_deadlines_are_reported(service, stylist, customer, cast):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    roles = {
        who: appointment_permissions(appointment=appointment, actor=actor, now=NOW).role
        for who, actor in cast.items()
    }
    assert roles == {
        "owner": "owner",
        "staff": "staff",
        "customer": "customer",
        "other_staff": None,
        "stranger": None,
        "superuser": "owner",
    }
    permissions = appointment_permissions(appointment=appointment, actor=customer, now=NOW)
    assert permissions.cancel_deadline == START - dt.timedelta(minutes=120)
    assert permissions.cancel_cutoff == START - dt.timedelta(minutes=120)
    assert permissions.reschedule_deadline == START - dt.timedelta(minutes=120)


def test_a_booking_paid_online_may_be_cancelled_up_to_its_start(service, stylist, customer):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    appointment.online_due = Decimal("50.00")
    permissions = appointment_permissions(appointment=appointment, actor=customer, now=NOW)
    assert permissions.cancel_deadline == START
    assert permissions.cancel_cutoff == START - dt.timedelta(minutes=120)
    # Moving it keeps the service's cut-off: the payment is not at stake in a reschedule.
    assert permissions.reschedule_deadline == START - dt.timedelta(minutes=120)


def test_staff_booking_for_themselves_keep_their_staff_rights(service, stylist, staff_user):
    appointment = make_appointment(service=service, staff=stylist, customer=staff_user, start=START)
    late = appointment_permissions(
        appointment=appointment, actor=staff_user, now=MOMENTS["after_cutoff"]
    )
    assert late.role == "staff"
    assert late.can_cancel


def test_a_withdrawn_service_can_be_cancelled_but_not_moved(service, stylist, customer, owner):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    service.active = False
    service.save(update_fields=["active"])
    for actor in (customer, owner):
        permissions = appointment_permissions(appointment=appointment, actor=actor, now=NOW)
        assert permissions.can_cancel
        assert isinstance(permissions.reschedule.refusal, InvalidTransition)


def test_a_deactivated_customer_may_do_nothing(service, stylist, customer):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    permissions = appointment_permissions(appointment=appointment, actor=customer, now=NOW)
    assert permissions.role is None
    assert not any(permissions.decision(action) for action in ACTIONS)


def test_the_service_refuses_with_the_decisions_reason(service, stylist, customer):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    now = MOMENTS["after_cutoff"]
    reason = appointment_permissions(appointment=appointment, actor=customer, now=now).cancel.reason
    with pytest.raises(CutoffPassed) as refused:
        appointment_cancel(appointment=appointment, actor=customer, now=now)
    assert str(refused.value.message) == reason


@pytest.mark.usefixtures("frozen_now")
def test_the_pages_and_the_api_refuse_with_the_same_reason(service, stylist, customer, business):
    from django.test import Client
    from django.utils import translation

    from yuyue.accounts.services import token_issue

    business.phone = "+862162881234"
    business.save(update_fields=["phone"])
    start = NOW + dt.timedelta(minutes=60)  # inside the 120-minute cut-off already
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=start)
    with translation.override("en"):
        reason = appointment_permissions(appointment=appointment, actor=customer).cancel.reason
    assert "+862162881234" in reason

    api = Client(headers={"Authorization": f"Bearer {token_issue(user=customer).key}"})
    answer = api.post(
        f"/api/v1/appointments/{appointment.public_id}/cancel",
        {},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 409
    assert answer.json()["error"] == {"code": "cutoff_passed", "message": reason, "details": None}

    web = Client(headers={"Accept-Language": "en"})
    web.force_login(customer)
    page = web.get(f"/appointments/{appointment.public_id}/cancel/")
    assert page.status_code == 409
    assert reason in page.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED


@pytest.mark.usefixtures("frozen_now")
def test_the_api_lists_what_the_caller_may_do(service, stylist, customer, staff_user):
    from django.test import Client

    from yuyue.accounts.services import token_issue

    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)

    def actions_for(user) -> list[str]:
        client = Client(headers={"Authorization": f"Bearer {token_issue(user=user).key}"})
        return client.get(f"/api/v1/appointments/{appointment.public_id}").json()["actions"]

    assert actions_for(customer) == ["cancel", "reschedule"]
    assert actions_for(staff_user) == ["cancel", "reschedule", "start"]
