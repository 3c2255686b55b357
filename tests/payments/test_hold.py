"""A booking of a service paid online is `awaiting_payment` until its window ends: it holds its
time through the one booking path, is released unpaid after the window, and goes on to pending
or confirmed when paid. Staff booking for a customer may waive the payment."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import NOW, make_user, owner_of
from tests.payments.conftest import START
from yuyue.bookings.errors import NotAllowed, SlotUnavailable
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_create,
    appointment_mark_paid,
    appointment_release_unpaid,
)
from yuyue.catalog.services import service_update
from yuyue.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
AFTER_WINDOW = NOW + dt.timedelta(minutes=15)


def test_a_deposit_booking_awaits_payment_and_tells_nobody_yet(held):
    assert held.status == Status.AWAITING_PAYMENT
    assert held.pay_by == NOW + dt.timedelta(minutes=15)
    assert held.online_due == Decimal("50.00")
    assert not Notification.objects.filter(appointment=held).exists()


def test_the_hold_takes_its_time_from_everyone_else(held, deposit_service, stranger):
    with pytest.raises(SlotUnavailable):
        appointment_create(service=deposit_service, customer=stranger, start=START, now=NOW)


def test_a_later_change_to_the_service_does_not_change_what_the_booking_owes(
    held, deposit_service, business
):
    service_update(
        service=deposit_service, actor=owner_of(business), deposit_amount=Decimal("80.00")
    )
    held.refresh_from_db()
    assert held.online_due == Decimal("50.00")


def test_paid_goes_on_to_confirmed_and_tells_both(held, staff_user):
    paid = appointment_mark_paid(appointment=held, now=NOW + dt.timedelta(minutes=3))
    assert paid is not None
    assert paid.status == Status.CONFIRMED
    event = paid.events.get(action=AppointmentEvent.Action.PAID)
    assert (event.from_status, event.to_status, event.actor) == (
        Status.AWAITING_PAYMENT,
        Status.CONFIRMED,
        None,
    )
    kinds = set(Notification.objects.filter(appointment=held).values_list("kind", "recipient"))
    assert (Notification.Kind.BOOKED, held.customer_id) in kinds
    assert (Notification.Kind.STAFF_NEW_BOOKING, staff_user.id) in kinds


def test_paid_goes_on_to_pending_when_the_shop_confirms(deposit_service, perm_stylist, customer):
    service_update(
        service=deposit_service, actor=owner_of(deposit_service), requires_confirmation=True
    )
    held = appointment_create(service=deposit_service, customer=customer, start=START, now=NOW)
    assert appointment_mark_paid(appointment=held, now=NOW).status == Status.PENDING


def test_a_paid_booking_is_never_released(held):
    appointment_mark_paid(appointment=held, now=NOW)
    assert appointment_release_unpaid(appointment=held, now=AFTER_WINDOW) is None
    held.refresh_from_db()
    assert held.status == Status.CONFIRMED


def test_the_hold_is_kept_until_its_window_ends(held):
    assert appointment_release_unpaid(appointment=held, now=AFTER_WINDOW - dt.timedelta(1)) is None
    held.refresh_from_db()
    assert held.status == Status.AWAITING_PAYMENT


def test_released_after_the_window_frees_the_time_and_tells_the_customer_only(
    held, deposit_service, stranger
):
    released = appointment_release_unpaid(appointment=held, now=AFTER_WINDOW)
    assert released is not None
    assert released.status == Status.CANCELLED
    event = released.events.get(action=AppointmentEvent.Action.CANCELLED)
    assert (event.reason, event.actor) == ("unpaid", None)
    notices = list(Notification.objects.filter(appointment=held))
    assert {(n.kind, n.recipient_id) for n in notices} == {
        (Notification.Kind.CANCELLED, held.customer_id)
    }
    again = appointment_create(
        service=deposit_service, customer=stranger, start=START, now=AFTER_WINDOW
    )
    assert again.status == Status.AWAITING_PAYMENT
    # Money that arrives for the released hold does not bring it back.
    assert appointment_mark_paid(appointment=held, now=AFTER_WINDOW) is None


def test_the_customer_may_give_up_the_hold(held, customer):
    assert appointment_cancel(appointment=held, actor=customer, now=NOW).status == "cancelled"


def test_staff_booking_for_a_customer_may_waive_the_payment(deposit_service, perm_stylist):
    walk = make_user("walk-in", phone="+8613100131000")
    booked = appointment_create(
        service=deposit_service,
        customer=walk,
        actor=owner_of(deposit_service),
        start=START,
        now=NOW,
        waive_payment=True,
    )
    assert (booked.status, booked.pay_by, booked.online_due) == (
        Status.CONFIRMED,
        None,
        Decimal("0.00"),
    )


def test_a_customer_cannot_waive_their_own_payment(deposit_service, perm_stylist, customer):
    with pytest.raises(NotAllowed):
        appointment_create(
            service=deposit_service, customer=customer, start=START, now=NOW, waive_payment=True
        )
