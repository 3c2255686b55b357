"""Freed time offered to the waitlist, first come first served, through the one booking path
(docs/waitlist.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_staff, make_user, owner_of
from tests.waitlist.support import TEN, join
from yuyue.bookings.errors import InvalidTransition, NotAllowed, SlotUnavailable
from yuyue.bookings.models import Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_create,
    appointment_offer_accept,
    appointment_offer_release,
    appointment_release_unpaid,
    appointment_reschedule,
)
from yuyue.catalog.services import service_create
from yuyue.lib.errors import InvalidInput
from yuyue.notifications.models import Notification
from yuyue.waitlist.models import FreedTime, WaitlistEntry
from yuyue.waitlist.services import waitlist_join, waitlist_leave, waitlist_round

pytestmark = pytest.mark.django_db
State = WaitlistEntry.State
LATER = NOW + dt.timedelta(minutes=1)


def refresh(*rows):
    for row in rows:
        row.refresh_from_db()


def test_a_cancellation_is_offered_to_the_first_waiter_it_fits(booked, service, stylist):
    first = join(service, "first")
    second = join(service, "second")
    afternoon = join(service, "afternoon", frm="13:00", to="18:00")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    assert FreedTime.objects.filter(handled_at__isnull=True).count() == 1

    assert waitlist_round(now=LATER) == {"lapsed": 0, "expired": 0, "offered": 1}
    refresh(first, second, afternoon)
    assert (first.state, second.state, afternoon.state) == (
        State.OFFERED,
        State.WAITING,
        State.WAITING,
    )
    offer = first.offer
    assert (offer.status, offer.start, offer.staff_id) == (Status.OFFERED, TEN, stylist.id)
    assert offer.customer == first.customer and offer.client == first.client
    assert offer.offer_expires_at == LATER + dt.timedelta(minutes=15)
    # Told through their channel, with the link to accept or decline; the staff hear nothing yet.
    told = Notification.objects.filter(appointment=offer)
    assert [(n.kind, n.recipient_id) for n in told] == [("waitlist_offer", first.customer_id)]
    # Nothing left to offer: the freed time is handled once.
    assert waitlist_round(now=LATER)["offered"] == 0


def test_the_offer_holds_its_time_against_everyone_else(booked, service, stylist, stranger):
    first = join(service, "first")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    with pytest.raises(SlotUnavailable):
        appointment_create(service=service, customer=stranger, start=TEN, staff=stylist, now=LATER)
    first.refresh_from_db()
    assert first.offer.holds_time


def test_accepting_books_it_and_tells_the_shop(booked, service, stylist, staff_user):
    first = join(service, "first")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    offer = appointment_offer_accept(appointment=first.offer, actor=first.customer, now=LATER)
    first.refresh_from_db()
    assert offer.status == Status.CONFIRMED and first.state == State.BOOKED
    kinds = set(Notification.objects.filter(appointment=offer).values_list("kind", "recipient_id"))
    assert ("booked", first.customer_id) in kinds
    assert ("staff_new_booking", staff_user.id) in kinds
    # Once answered, it cannot be answered again.
    with pytest.raises(InvalidTransition):
        appointment_offer_release(appointment=offer, actor=first.customer, now=LATER)


def test_only_the_waiter_answers_and_only_in_time(booked, service, stranger):
    first = join(service, "first")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    with pytest.raises(NotAllowed):
        appointment_offer_accept(appointment=first.offer, actor=stranger, now=LATER)
    with pytest.raises(NotAllowed):
        appointment_offer_release(appointment=first.offer, actor=stranger, now=LATER)
    late = first.offer.offer_expires_at
    with pytest.raises(InvalidTransition):
        appointment_offer_accept(appointment=first.offer, actor=first.customer, now=late)


def test_declining_passes_it_to_the_next_and_keeps_the_place(booked, service):
    first = join(service, "first")
    second = join(service, "second")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    declined = appointment_offer_release(appointment=first.offer, actor=first.customer, now=LATER)
    assert declined.status == Status.CANCELLED
    refresh(first)
    assert (first.state, first.offer, first.offers_passed) == (State.WAITING, None, 1)
    # Nobody is told of an offer declined.
    assert not Notification.objects.filter(appointment=declined, kind="cancelled").exists()

    waitlist_round(now=LATER)
    refresh(first, second)
    assert first.state == State.WAITING
    assert second.state == State.OFFERED and second.offer.start == TEN


def test_an_offer_left_to_lapse_goes_to_the_next(booked, service):
    first = join(service, "first")
    second = join(service, "second")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    offer = first.offer
    # Not before its time.
    assert waitlist_round(now=offer.offer_expires_at - dt.timedelta(seconds=1))["lapsed"] == 0
    done = waitlist_round(now=offer.offer_expires_at)
    assert (done["lapsed"], done["offered"]) == (1, 1)
    refresh(first, second, offer)
    assert offer.status == Status.CANCELLED
    assert first.state == State.WAITING and second.state == State.OFFERED


def test_a_service_paid_online_holds_for_payment_once_accepted(business, location, staff_user):
    perm = service_create(
        business=business,
        actor=owner_of(business),
        name="烫发",
        duration_minutes=60,
        price=Decimal("300.00"),
        min_notice_minutes=60,
        max_days_ahead=30,
        payment_mode="deposit",
        deposit_amount=Decimal("50.00"),
        payment_window_minutes=15,
    )
    stylist = make_staff(service=perm, location=location, user=staff_user)
    payer = make_user("payer")
    held = appointment_create(service=perm, customer=payer, start=TEN, staff=stylist, now=NOW)
    first = join(perm, "first")
    # The hold lapses unpaid: its time frees up.
    appointment_release_unpaid(appointment=held, now=held.pay_by)
    waitlist_round(now=held.pay_by)
    first.refresh_from_db()
    assert first.offer.status == Status.OFFERED and first.offer.online_due == Decimal("50.00")
    accepted_at = held.pay_by + dt.timedelta(minutes=2)
    offer = appointment_offer_accept(appointment=first.offer, actor=first.customer, now=accepted_at)
    assert offer.status == Status.AWAITING_PAYMENT
    assert offer.pay_by == accepted_at + dt.timedelta(minutes=15)


def test_a_reschedule_frees_the_old_time(booked, service, stylist):
    first = join(service, "first")
    appointment_reschedule(
        appointment=booked, actor=booked.customer, start=at(WEDNESDAY, "15:00"), now=NOW
    )
    waitlist_round(now=LATER)
    first.refresh_from_db()
    assert first.state == State.OFFERED and first.offer.start == TEN


def test_a_named_staff_member_and_the_window_are_kept(booked, service, stylist, location):
    other = make_staff(service=service, location=location, name="Amy")
    wants_other = join(service, "other", staff=other)
    too_early = join(service, "early", frm="08:00", to="10:30")
    wants_tony = join(service, "tony", staff=stylist, frm="10:00", to="11:00")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    refresh(wants_other, too_early, wants_tony)
    assert (wants_other.state, too_early.state, wants_tony.state) == (
        State.WAITING,
        State.WAITING,
        State.OFFERED,
    )


def test_the_offer_length_is_the_business_s(booked, service, business):
    business.waitlist_offer_minutes = 30
    business.save()
    first = join(service, "first")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    assert first.offer.offer_expires_at == LATER + dt.timedelta(minutes=30)


def test_a_time_that_cannot_be_taken_goes_to_nobody(booked, service, stylist, stranger):
    first = join(service, "first")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    # Someone booked it directly before the worker came round.
    appointment_create(service=service, customer=stranger, start=TEN, staff=stylist, now=NOW)
    assert waitlist_round(now=LATER)["offered"] == 0
    first.refresh_from_db()
    assert first.state == State.WAITING
    assert not FreedTime.objects.filter(handled_at__isnull=True).exists()


def test_leaving_gives_a_standing_offer_to_the_next(booked, service):
    first = join(service, "first")
    second = join(service, "second")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    waitlist_round(now=LATER)
    first.refresh_from_db()
    offer = first.offer
    left = waitlist_leave(entry=first, actor=first.customer, now=LATER)
    assert left.state == State.LEFT
    offer.refresh_from_db()
    assert offer.status == Status.CANCELLED
    waitlist_round(now=LATER)
    second.refresh_from_db()
    assert second.state == State.OFFERED
    # Only the waiter leaves; leaving twice changes nothing.
    with pytest.raises(NotAllowed):
        waitlist_leave(entry=second, actor=first.customer, now=LATER)
    assert waitlist_leave(entry=first, actor=first.customer, now=LATER).state == State.LEFT


def test_entries_whose_dates_passed_are_cleared(service, stylist):
    entry = join(service, "first")
    thursday_morning = at(WEDNESDAY + dt.timedelta(days=1), "00:01")
    assert waitlist_round(now=thursday_morning - dt.timedelta(minutes=2))["expired"] == 0
    assert waitlist_round(now=thursday_morning)["expired"] == 1
    entry.refresh_from_db()
    assert entry.state == State.EXPIRED


def test_joining_checks_the_wish(service, stylist, customer, business):
    def attempt(**changes):
        values = {
            "service": service,
            "actor": customer,
            "date_from": WEDNESDAY,
            "date_to": WEDNESDAY,
            "time_from": dt.time(9),
            "time_to": dt.time(12),
            "now": NOW,
            **changes,
        }
        with pytest.raises(InvalidInput) as refused:
            waitlist_join(**values)
        return set(refused.value.fields)

    assert attempt(date_from=NOW.date() - dt.timedelta(days=1)) == {"date_from"}
    assert attempt(date_to=WEDNESDAY - dt.timedelta(days=1)) == {"date_to"}
    assert attempt(date_to=WEDNESDAY + dt.timedelta(days=60)) == {"date_to"}
    assert attempt(time_to=dt.time(9)) == {"time_to"}
    assert attempt(channel="fax") == {"channel"}
    for i in range(5):
        waitlist_join(
            service=service,
            actor=customer,
            date_from=WEDNESDAY,
            date_to=WEDNESDAY,
            time_from=dt.time(9 + i),
            time_to=dt.time(12 + i),
            now=NOW,
        )
    assert attempt() == {"service_id"}


def test_a_deleted_account_waits_no_more(service, stylist):
    entry = join(service, "first")
    entry.customer.is_active = False
    entry.customer.save(update_fields=["is_active"])
    waitlist_round(now=LATER)
    entry.refresh_from_db()
    assert entry.state == State.LEFT
