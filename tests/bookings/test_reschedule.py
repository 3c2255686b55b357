import datetime as dt

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_appointment, make_staff, owner_of
from yuyue.bookings.errors import CutoffPassed, InvalidTransition, NotAllowed, SlotUnavailable
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import appointment_create, appointment_reschedule
from yuyue.catalog.services import service_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(service, stylist, customer):
    return appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), now=NOW
    )


def test_it_moves_the_appointment_and_frees_the_old_time(booked, service, customer, stranger):
    moved = appointment_reschedule(
        appointment=booked, actor=customer, start=at(WEDNESDAY, "14:00"), now=NOW
    )
    assert moved.start == at(WEDNESDAY, "14:00")
    assert moved.end == at(WEDNESDAY, "15:00")
    event = moved.events.get(action=AppointmentEvent.Action.RESCHEDULED)
    assert dt.datetime.fromisoformat(event.data["old"]["start"]) == at(WEDNESDAY, "10:00")
    # The old hour is free again for someone else.
    taken = appointment_create(
        service=service, customer=stranger, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    assert taken.staff_id == moved.staff_id


def test_moving_into_its_own_time_overlap_is_allowed(booked, customer, service):
    # 60-minute service on a 30-minute grid: 10:30 overlaps the appointment's own old span.
    service_update(service=service, actor=owner_of(service), slot_interval_minutes=30)
    moved = appointment_reschedule(
        appointment=booked, actor=customer, start=at(WEDNESDAY, "10:30"), now=NOW
    )
    assert moved.start == at(WEDNESDAY, "10:30")


def test_a_taken_time_is_refused_and_the_old_time_kept(booked, service, customer, stranger):
    appointment_create(service=service, customer=stranger, start=at(WEDNESDAY, "14:00"), now=NOW)
    with pytest.raises(SlotUnavailable) as refused:
        appointment_reschedule(
            appointment=booked, actor=customer, start=at(WEDNESDAY, "14:00"), now=NOW
        )
    assert refused.value.alternatives
    booked.refresh_from_db()
    assert booked.start == at(WEDNESDAY, "10:00")
    assert booked.status == Status.CONFIRMED


def test_a_customer_cannot_move_after_the_cutoff(booked, customer):
    too_late = booked.start - dt.timedelta(minutes=30)
    with pytest.raises(CutoffPassed):
        appointment_reschedule(
            appointment=booked, actor=customer, start=at(WEDNESDAY, "14:00"), now=too_late
        )


def test_a_stranger_cannot_move_it(booked, stranger, other_owner):
    for intruder in (stranger, other_owner):
        with pytest.raises(NotAllowed):
            appointment_reschedule(
                appointment=booked, actor=intruder, start=at(WEDNESDAY, "14:00"), now=NOW
            )
    booked.refresh_from_db()
    assert booked.start == at(WEDNESDAY, "10:00")


def test_a_finished_appointment_cannot_move(service, stylist, customer, owner):
    done = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status="completed",
    )
    with pytest.raises(InvalidTransition):
        appointment_reschedule(appointment=done, actor=owner, start=at(WEDNESDAY, "14:00"), now=NOW)


def test_staff_can_move_it_to_a_colleague(booked, business, service, staff_user):
    colleague = make_staff(service=service, name="李造型师")
    moved = appointment_reschedule(
        appointment=booked, actor=staff_user, start=at(WEDNESDAY, "10:00"), staff=colleague, now=NOW
    )
    assert moved.staff == colleague


def test_a_customer_move_needs_new_confirmation_when_the_service_requires_it(
    booked, service, customer
):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)
    moved = appointment_reschedule(
        appointment=booked, actor=customer, start=at(WEDNESDAY, "14:00"), now=NOW
    )
    assert moved.status == Status.PENDING
