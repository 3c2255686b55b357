"""Each booking service writes the messages it implies in its own transaction.

The rule: docs/notifications.md#the-outbox.
"""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from tests.helpers import NOW, WEDNESDAY, at, make_user, owner_of
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_create,
    appointment_start,
)
from yuyue.catalog.services import service_update
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def rows():
    return sorted(
        (n.kind, n.channel, n.recipient.username, n.offset_minutes)
        for n in Notification.objects.select_related("recipient")
    )


def book(service, stylist, customer, hhmm="10:00", **extra):
    return appointment_create(
        service=service,
        customer=customer,
        staff=stylist,
        start=at(WEDNESDAY, hhmm),
        now=NOW,
        **extra,
    )


def test_a_booking_enqueues_the_confirmation_the_staff_notice_and_two_reminders(
    service, stylist, customer
):
    appointment = book(service, stylist, customer)
    assert rows() == [
        ("booked", "email", "customer", 0),
        ("reminder", "email", "customer", 120),
        ("reminder", "email", "customer", 1440),
        # The owner hears of it too, by email (their default: they have an address).
        ("staff_new_booking", "email", "owner", 0),
        # The staff member's account has a phone but no email.
        ("staff_new_booking", "sms", "staff", 0),
    ]
    reminders = Notification.objects.filter(kind="reminder")
    assert {r.offset_minutes: r.send_after for r in reminders} == {
        1440: appointment.start - dt.timedelta(hours=24),
        120: appointment.start - dt.timedelta(hours=2),
    }
    assert all(n.status == "pending" and n.language == "zh-hans" for n in reminders)


def test_a_rolled_back_booking_leaves_no_row_and_sends_nothing(mailbox, service, stylist, customer):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(service, stylist, customer)
        assert Notification.objects.count() == 5
        raise RuntimeError("the caller's transaction fails after the booking")
    assert Notification.objects.count() == 0
    drain()
    assert mailbox.received() == []


def test_a_refused_booking_enqueues_nothing(service, stylist, customer, stranger):
    book(service, stylist, customer)
    before = rows()
    with pytest.raises(SlotUnavailable):
        book(service, stylist, stranger)
    assert rows() == before


def test_staff_who_book_for_a_customer_get_no_notice_of_their_own_booking(
    service, stylist, customer, staff_user
):
    book(service, stylist, customer, actor=staff_user)
    assert ("staff_new_booking", "sms", "staff", 0) not in rows()


def test_confirming_sends_confirmed_and_keeps_one_set_of_reminders(
    service, stylist, customer, staff_user
):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)
    appointment = book(service, stylist, customer)
    appointment_confirm(appointment=appointment, actor=staff_user, now=NOW)
    kinds = [kind for kind, *_ in rows()]
    assert kinds.count("confirmed") == 1
    assert kinds.count("reminder") == 2


def test_cancelling_tells_customer_and_staff_and_skips_the_reminders(service, stylist, customer):
    appointment = book(service, stylist, customer)
    appointment_cancel(appointment=appointment, actor=customer, reason="ill", now=NOW)
    assert ("cancelled", "email", "customer", 0) in rows()
    assert ("staff_cancelled", "sms", "staff", 0) in rows()
    assert set(Notification.objects.filter(kind="reminder").values_list("status", flat=True)) == {
        "skipped"
    }


def test_starting_and_completing_tell_nobody(service, stylist, customer, staff_user):
    appointment = book(service, stylist, customer)
    before = rows()
    later = at(WEDNESDAY, "10:05")
    appointment_start(appointment=appointment, actor=staff_user, now=later)
    appointment_complete(appointment=appointment, actor=staff_user, now=later)
    assert rows() == before


def test_a_customer_without_email_is_texted_and_one_with_neither_is_logged_as_failed(
    mailbox, service, stylist
):
    texted = make_user("texted")
    unreachable = make_user("unreachable", phone="")
    book(service, stylist, texted, "10:00")
    book(service, stylist, unreachable, "11:00")
    assert {
        (n.recipient.username, n.channel) for n in Notification.objects.filter(kind="booked")
    } == {
        ("texted", "sms"),
        ("unreachable", "email"),
    }
    with time_machine.travel(NOW, tick=False):
        drain()
    failed = Notification.objects.get(kind="booked", recipient=unreachable)
    assert (failed.status, failed.last_error) == ("failed", "No email on file.")
    assert Notification.objects.get(kind="booked", recipient=texted).status == "sent"
