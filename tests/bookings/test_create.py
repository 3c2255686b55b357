import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import (
    NOW,
    TUESDAY,
    WEDNESDAY,
    WORKWEEK,
    at,
    make_appointment,
    make_staff,
    owner_of,
)
from yuyue.bookings.errors import (
    IdempotencyKeyReused,
    InvalidInput,
    NotAllowed,
    SlotUnavailable,
)
from yuyue.bookings.models import AppointmentEvent, Channel, Status
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import service_update
from yuyue.scheduling.services import staff_hours_set, staff_member_create

pytestmark = pytest.mark.django_db


def test_it_books_a_free_slot_as_confirmed(service, stylist, customer):
    appointment = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW
    )
    assert appointment.status == Status.CONFIRMED
    assert appointment.staff == stylist
    assert appointment.end - appointment.start == dt.timedelta(minutes=60)
    assert appointment.location == stylist.location
    events = list(appointment.events.values_list("action", "to_status", "actor_id"))
    assert events == [(AppointmentEvent.Action.CREATED, Status.CONFIRMED, customer.id)]


def test_it_creates_pending_when_the_service_requires_confirmation(service, stylist, customer):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)
    appointment = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW
    )
    assert appointment.status == Status.PENDING


def test_the_price_is_a_snapshot(service, stylist, customer):
    appointment = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW
    )
    service_update(service=service, actor=owner_of(service), price=Decimal("99.50"))
    appointment.refresh_from_db()
    assert appointment.price == Decimal("88.00")
    assert appointment.currency == "CNY"


def test_public_ids_are_not_a_sequence(service, stylist, customer):
    first = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW
    )
    second = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "11:00"), now=NOW
    )
    assert first.public_id != second.public_id
    assert not first.public_id.isdigit()
    assert len(first.public_id) >= 16


@pytest.mark.parametrize(
    ("day", "hhmm", "why"),
    [
        (TUESDAY, "12:00", "lunch break"),
        (TUESDAY, "08:00", "before opening"),
        (TUESDAY, "10:30", "off the grid"),
        (TUESDAY, "08:30", "too soon and closed"),
        (TUESDAY + dt.timedelta(days=31), "10:00", "beyond the horizon"),
        (TUESDAY + dt.timedelta(days=5), "10:00", "Sunday, a day off"),
    ],
)
def test_it_refuses_times_that_are_not_offered(service, stylist, customer, day, hhmm, why):
    with pytest.raises(SlotUnavailable) as refused:
        appointment_create(service=service, customer=customer, start=at(day, hhmm), now=NOW)
    assert refused.value.code == "slot_unavailable", why
    assert not stylist.appointments.exists()


def test_it_refuses_a_time_inside_the_minimum_notice(service, stylist, customer):
    # 09:00 is 60 minutes after NOW: allowed; 30 minutes later the notice has run out.
    late_now = NOW + dt.timedelta(minutes=30)
    with pytest.raises(SlotUnavailable):
        appointment_create(
            service=service, customer=customer, start=at(TUESDAY, "09:00"), now=late_now
        )
    booked = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "09:00"), now=NOW
    )
    assert booked.start == at(TUESDAY, "09:00")


def test_a_taken_slot_is_refused_with_the_nearest_alternatives(
    service, stylist, customer, stranger
):
    appointment_create(service=service, customer=stranger, start=at(TUESDAY, "10:00"), now=NOW)
    with pytest.raises(SlotUnavailable) as refused:
        appointment_create(service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW)
    starts = [slot.start for slot in refused.value.alternatives]
    assert sorted(starts) == [at(TUESDAY, "09:00"), at(TUESDAY, "11:00"), at(TUESDAY, "13:00")]


def test_buffers_keep_the_next_booking_away(service, stylist, customer, stranger):
    service_update(service=service, actor=owner_of(service), buffer_after_minutes=15)
    appointment_create(service=service, customer=stranger, start=at(TUESDAY, "09:00"), now=NOW)
    # 10:00 would start inside the 15-minute clean-up after the 09:00 appointment.
    with pytest.raises(SlotUnavailable):
        appointment_create(service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW)


def test_the_same_idempotency_key_returns_the_same_appointment(service, stylist, customer):
    first = appointment_create(
        service=service,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        idempotency_key="k-1",
        now=NOW,
    )
    again = appointment_create(
        service=service,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        idempotency_key="k-1",
        now=NOW,
    )
    assert again.pk == first.pk
    assert stylist.appointments.count() == 1


def test_an_idempotency_key_reused_for_another_time_is_refused(service, stylist, customer):
    appointment_create(
        service=service,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        idempotency_key="k-1",
        now=NOW,
    )
    with pytest.raises(IdempotencyKeyReused):
        appointment_create(
            service=service,
            customer=customer,
            start=at(TUESDAY, "11:00"),
            idempotency_key="k-1",
            now=NOW,
        )


def test_idempotency_keys_belong_to_one_customer(service, stylist, customer, stranger):
    mine = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "10:00"), idempotency_key="k", now=NOW
    )
    theirs = appointment_create(
        service=service, customer=stranger, start=at(TUESDAY, "11:00"), idempotency_key="k", now=NOW
    )
    assert mine.pk != theirs.pk


def test_a_naive_start_is_refused_by_field(service, stylist, customer):
    with pytest.raises(InvalidInput) as refused:
        appointment_create(
            service=service, customer=customer, start=dt.datetime(2026, 12, 1, 10), now=NOW
        )
    assert "start" in refused.value.fields


def test_overlong_notes_are_refused_and_nothing_is_written(service, stylist, customer):
    with pytest.raises(InvalidInput) as refused:
        appointment_create(
            service=service,
            customer=customer,
            start=at(TUESDAY, "10:00"),
            notes="长" * 1001,
            now=NOW,
        )
    assert "notes" in refused.value.fields
    assert not stylist.appointments.exists()


def test_an_inactive_service_cannot_be_booked(service, stylist, customer):
    service_update(service=service, actor=owner_of(service), active=False)
    with pytest.raises(InvalidInput) as refused:
        appointment_create(service=service, customer=customer, start=at(TUESDAY, "10:00"), now=NOW)
    assert "service_id" in refused.value.fields


def test_a_staff_member_who_does_not_offer_the_service_is_refused(
    business, service, stylist, customer
):
    other = staff_member_create(business=business, actor=owner_of(business), name="陈助理")
    staff_hours_set(staff=other, actor=owner_of(other), hours=WORKWEEK)
    with pytest.raises(InvalidInput) as refused:
        appointment_create(
            service=service,
            customer=customer,
            staff=other,
            start=at(TUESDAY, "10:00"),
            now=NOW,
        )
    assert "staff_id" in refused.value.fields


def test_a_stranger_cannot_book_for_someone_else(service, stylist, customer, stranger):
    with pytest.raises(NotAllowed):
        appointment_create(
            service=service,
            customer=customer,
            actor=stranger,
            start=at(TUESDAY, "10:00"),
            now=NOW,
        )


def test_staff_can_book_for_a_customer_from_the_back_office(service, stylist, customer, staff_user):
    appointment = appointment_create(
        service=service,
        customer=customer,
        actor=staff_user,
        channel=Channel.BACKOFFICE,
        start=at(TUESDAY, "10:00"),
        now=NOW,
    )
    assert appointment.customer == customer
    assert appointment.events.get().actor == staff_user


def test_any_staff_picks_the_tightest_gap(business, service, stylist, customer, stranger):
    # Ana's Wednesday has one free hour left at 10:00; Tony's is wide open. Booking 10:00
    # with "any staff" should use Ana's lone hour and keep Tony's long stretch free.
    ana = make_staff(service=service, name="Ana", hours={"wed": [["09:00", "12:00"]]})
    make_appointment(service=service, staff=ana, customer=stranger, start=at(WEDNESDAY, "09:00"))
    make_appointment(service=service, staff=ana, customer=stranger, start=at(WEDNESDAY, "11:00"))
    appointment = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    assert appointment.staff == ana


def test_any_staff_breaks_a_tie_by_the_lighter_day(business, service, stylist, customer, stranger):
    twin = make_staff(service=service, name="Twin")
    # Same free gap at 13:00 for both (13:00–18:00), but Tony already works the morning.
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "09:00")
    )
    appointment = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "13:00"), now=NOW
    )
    assert appointment.staff == twin


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC),
        NOW - dt.timedelta(days=30),
    ],
)
def test_times_no_service_could_offer_are_refused_as_unavailable(service, stylist, customer, start):
    with pytest.raises(SlotUnavailable) as refused:
        appointment_create(service=service, customer=customer, start=start, now=NOW)
    assert refused.value.alternatives == []
    assert not stylist.appointments.exists()
