"""Undoing a status change (issue 24, item 4): staff and owners may take back a start, a
completion or a no-show within ten minutes, as a new "undone" event; nothing else, nobody else,
never later, and never onto time booked since."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW, at, make_appointment, make_user, owner_of
from yuyue.bookings.errors import InvalidTransition, NotAllowed
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.permissions import UNDO_WINDOW
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_start,
    appointment_undo,
)

pytestmark = pytest.mark.django_db

START = at(NOW.date(), "10:00")


@pytest.fixture
def booked(service, stylist, customer):
    return make_appointment(service=service, staff=stylist, customer=customer, start=START)


def at_moment(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def test_a_no_show_is_undone_within_ten_minutes_as_a_new_event(booked, staff_user):
    with at_moment(START + dt.timedelta(minutes=15)):
        appointment_mark_no_show(appointment=booked, actor=staff_user)
    with at_moment(START + dt.timedelta(minutes=15) + UNDO_WINDOW - dt.timedelta(seconds=1)):
        appointment_undo(appointment=booked, actor=staff_user)

    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED
    actions = [(e.action, e.from_status, e.to_status) for e in booked.events.all()]
    assert actions == [
        (AppointmentEvent.Action.NO_SHOW, "confirmed", "no_show"),
        (AppointmentEvent.Action.UNDONE, "no_show", "confirmed"),
    ]


def test_a_completion_and_then_a_start_are_undone_one_by_one(booked, staff_user):
    with at_moment(START):
        appointment_start(appointment=booked, actor=staff_user)
    with at_moment(START + dt.timedelta(minutes=60)):
        appointment_complete(appointment=booked, actor=staff_user)
        appointment_undo(appointment=booked, actor=staff_user)
        booked.refresh_from_db()
        assert booked.status == Status.IN_PROGRESS
        # The undo is the last event now: there is nothing more to undo (no redo, no chain).
        with pytest.raises(InvalidTransition):
            appointment_undo(appointment=booked, actor=staff_user)


def test_after_ten_minutes_it_stands(booked, staff_user):
    with at_moment(START + dt.timedelta(minutes=15)):
        appointment_mark_no_show(appointment=booked, actor=staff_user)
    late = START + dt.timedelta(minutes=15) + UNDO_WINDOW + dt.timedelta(seconds=1)
    with at_moment(late), pytest.raises(InvalidTransition):
        appointment_undo(appointment=booked, actor=staff_user)
    booked.refresh_from_db()
    assert booked.status == Status.NO_SHOW


@pytest.mark.parametrize("change", ["confirm", "cancel"])
def test_confirmations_and_cancellations_are_not_undone(service, stylist, customer, change):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=START, status="pending"
    )
    owner = owner_of(service.business)
    with at_moment(NOW):
        if change == "confirm":
            appointment_confirm(appointment=appointment, actor=owner)
        else:
            appointment_cancel(appointment=appointment, actor=owner)
        with pytest.raises(InvalidTransition):
            appointment_undo(appointment=appointment, actor=owner)


def test_customers_and_strangers_cannot_undo(booked, staff_user, customer):
    with at_moment(START + dt.timedelta(minutes=15)):
        appointment_mark_no_show(appointment=booked, actor=staff_user)
        for someone in (customer, make_user("stranger")):
            with pytest.raises(NotAllowed):
                appointment_undo(appointment=booked, actor=someone)
    booked.refresh_from_db()
    assert booked.status == Status.NO_SHOW


def test_a_no_show_whose_time_was_booked_since_is_not_undone(booked, staff_user, service, stylist):
    with at_moment(START + dt.timedelta(minutes=15)):
        appointment_mark_no_show(appointment=booked, actor=staff_user)
    walk_in = make_appointment(
        service=service,
        staff=stylist,
        customer=make_user("walkin"),
        start=START + dt.timedelta(minutes=20),
        status="in_progress",
    )
    with at_moment(START + dt.timedelta(minutes=21)), pytest.raises(InvalidTransition):
        appointment_undo(appointment=booked, actor=staff_user)
    booked.refresh_from_db()
    assert booked.status == Status.NO_SHOW and walk_in.status == Status.IN_PROGRESS
