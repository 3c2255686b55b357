"""Every (status, action, actor) combination: the allowed ones work, every other is refused."""

import datetime as dt

import pytest

from tests.helpers import NOW, at, make_appointment
from yuyue.bookings.errors import CutoffPassed, InvalidTransition, NotAllowed
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_start,
)

pytestmark = pytest.mark.django_db

START = at(NOW.date() + dt.timedelta(days=1), "10:00")
# Before the cut-off for actions that come before the visit; after the start for a no-show.
BEFORE = NOW
AFTER_START = START + dt.timedelta(minutes=15)

SERVICES = {
    "confirm": appointment_confirm,
    "start": appointment_start,
    "complete": appointment_complete,
    "no_show": appointment_mark_no_show,
    "cancel": appointment_cancel,
}
# docs/booking.md#the-status-machine, written out independently of the implementation's table.
ALLOWED = {
    ("pending", "confirm"): "confirmed",
    ("confirmed", "start"): "in_progress",
    ("in_progress", "complete"): "completed",
    ("confirmed", "no_show"): "no_show",
    ("pending", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("awaiting_payment", "cancel"): "cancelled",
}
CUSTOMER_ACTIONS = {"cancel"}


@pytest.fixture
def cast(owner, staff_user, customer, stranger, other_owner):
    return {
        "owner": owner,
        "staff": staff_user,
        "customer": customer,
        "stranger": stranger,
        "other_owner": other_owner,
    }


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", list(SERVICES))
@pytest.mark.parametrize("who", ["owner", "staff", "customer", "stranger", "other_owner"])
def test_the_status_machine(service, stylist, customer, cast, status, action, who):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=START, status=status
    )
    now = AFTER_START if action == "no_show" else BEFORE
    target = ALLOWED.get((status, action))
    may_act = who in {"owner", "staff"} or (who == "customer" and action in CUSTOMER_ACTIONS)

    if not may_act:
        with pytest.raises(NotAllowed):
            SERVICES[action](appointment=appointment, actor=cast[who], now=now)
    elif target is None:
        with pytest.raises(InvalidTransition):
            SERVICES[action](appointment=appointment, actor=cast[who], now=now)
    else:
        result = SERVICES[action](appointment=appointment, actor=cast[who], now=now)
        assert result.status == target
        event = AppointmentEvent.objects.get(appointment=appointment)
        assert (event.from_status, event.to_status, event.actor) == (status, target, cast[who])

    appointment.refresh_from_db()
    assert appointment.status == (target if may_act and target else status)
    if not (may_act and target):
        assert not AppointmentEvent.objects.filter(appointment=appointment).exists()


def test_a_no_show_cannot_be_recorded_before_the_start(service, stylist, customer, owner):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    with pytest.raises(InvalidTransition):
        appointment_mark_no_show(appointment=appointment, actor=owner, now=START - dt.timedelta(1))
    assert appointment.status == Status.CONFIRMED


def test_a_customer_cannot_cancel_after_the_cutoff(service, stylist, customer):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    too_late = START - dt.timedelta(minutes=service.cancel_cutoff_minutes - 1)
    with pytest.raises(CutoffPassed):
        appointment_cancel(appointment=appointment, actor=customer, now=too_late)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED


def test_staff_can_cancel_after_the_cutoff(service, stylist, customer, staff_user):
    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    too_late = START - dt.timedelta(minutes=1)
    result = appointment_cancel(
        appointment=appointment, actor=staff_user, reason="店内停电", now=too_late
    )
    assert result.status == Status.CANCELLED
    assert result.events.get().reason == "店内停电"


def test_a_cancelled_appointment_frees_its_time(service, stylist, customer, stranger):
    from yuyue.bookings.services import appointment_create

    appointment = make_appointment(service=service, staff=stylist, customer=customer, start=START)
    appointment_cancel(appointment=appointment, actor=customer, now=NOW)
    again = appointment_create(service=service, customer=stranger, start=START, now=NOW)
    assert again.staff == stylist
