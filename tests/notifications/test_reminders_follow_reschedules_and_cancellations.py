"""Reminders: per-business offsets, none in the past, moved by reschedules, skipped by
cancellations, and never sent for an appointment that no longer needs them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.helpers import FRIDAY, NOW, WEDNESDAY, at
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_cancel, appointment_create, appointment_reschedule
from yuyue.catalog.models import validate_reminder_offsets
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def reminders():
    return {
        (r.offset_minutes, r.status): r.send_after
        for r in Notification.objects.filter(kind="reminder")
    }


def book(service, stylist, customer, start):
    return appointment_create(
        service=service, customer=customer, staff=stylist, start=start, now=NOW
    )


def test_the_business_chooses_the_offsets(business, service, stylist, customer):
    business.reminder_offsets_minutes = [60]
    business.save()
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    assert reminders() == {(60, "pending"): appointment.start - dt.timedelta(hours=1)}


def test_no_reminder_is_written_for_a_time_already_past(service, stylist, customer):
    # Booked at 08:00 for 11:00 today: a day ahead is past, two hours ahead is 09:00.
    appointment = book(service, stylist, customer, at(NOW.date(), "11:00"))
    assert reminders() == {(120, "pending"): appointment.start - dt.timedelta(hours=2)}


def test_a_reschedule_moves_the_pending_reminders(service, stylist, customer):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    moved = appointment_reschedule(
        appointment=appointment, actor=customer, start=at(FRIDAY, "15:00"), now=NOW
    )
    assert moved.sequence == 1
    assert reminders() == {
        (1440, "pending"): moved.start - dt.timedelta(hours=24),
        (120, "pending"): moved.start - dt.timedelta(hours=2),
    }
    assert Notification.objects.filter(kind="reminder").count() == 2


def test_a_reminder_already_sent_is_written_again_for_the_new_time(
    mailbox, service, stylist, customer
):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    with time_machine.travel(appointment.start - dt.timedelta(hours=24), tick=False):
        drain()
        moved = appointment_reschedule(
            appointment=appointment, actor=customer, start=at(FRIDAY, "15:00")
        )
    assert reminders() == {
        (1440, "sent"): appointment.start - dt.timedelta(hours=24),
        (1440, "pending"): moved.start - dt.timedelta(hours=24),
        (120, "pending"): moved.start - dt.timedelta(hours=2),
    }


def test_a_reschedule_too_close_for_a_reminder_skips_it(service, stylist, customer):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    moved = appointment_reschedule(
        appointment=appointment, actor=customer, start=at(NOW.date(), "11:00"), now=NOW
    )
    assert reminders() == {
        (1440, "skipped"): moved.start - dt.timedelta(hours=24),
        (120, "pending"): moved.start - dt.timedelta(hours=2),
    }


def test_a_cancellation_skips_the_reminders(service, stylist, customer):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    appointment_cancel(appointment=appointment, actor=customer, now=NOW)
    assert {status for _offset, status in reminders()} == {"skipped"}


def test_a_reminder_due_for_a_cancelled_appointment_is_not_sent(
    mailbox, service, stylist, customer
):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    # Cancelled behind the services' back (a restore from backup, a manual fix): the
    # dispatcher's own check at send time still stops the reminder.
    Appointment.objects.filter(pk=appointment.pk).update(status="cancelled")
    with time_machine.travel(appointment.start - dt.timedelta(hours=2), tick=False):
        drain()
    reminder = Notification.objects.get(kind="reminder", offset_minutes=1440)
    assert reminder.status == "skipped"
    assert reminder.last_error == "Skipped: the appointment was cancelled."
    assert not [m for m in mailbox.received() if "预约提醒" in m["Subject"]]


def test_a_dispatcher_down_for_a_day_sends_the_reminder_when_back(
    mailbox, service, stylist, customer
):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    # Nothing ran between the booking and ten minutes after the reminder was due.
    with time_machine.travel(appointment.start - dt.timedelta(hours=23, minutes=50), tick=False):
        drain()
    (reminder,) = [m for m in mailbox.received() if "预约提醒" in m["Subject"]]
    assert reminder["To"] == "customer@example.com"
    assert Notification.objects.get(offset_minutes=1440).status == "sent"
    assert Notification.objects.get(offset_minutes=120).status == "pending"


def test_after_a_longer_outage_only_the_closest_reminder_goes(mailbox, service, stylist, customer):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    with time_machine.travel(appointment.start - dt.timedelta(hours=1), tick=False):
        drain()
    assert Notification.objects.get(offset_minutes=1440).status == "skipped"
    assert Notification.objects.get(offset_minutes=120).status == "sent"
    assert len([m for m in mailbox.received() if "预约提醒" in m["Subject"]]) == 1


def test_no_reminder_goes_once_the_appointment_has_started(mailbox, service, stylist, customer):
    appointment = book(service, stylist, customer, at(WEDNESDAY, "10:00"))
    with time_machine.travel(appointment.start + dt.timedelta(minutes=5), tick=False):
        drain()
    assert set(Notification.objects.filter(kind="reminder").values_list("status", flat=True)) == {
        "skipped"
    }


@pytest.mark.parametrize(
    "offsets", [[0], [1440, 1440], ["60"], [[60]], [True], list(range(1, 7)), [60 * 24 * 31]]
)
def test_reminder_offsets_outside_the_rules_are_refused(offsets):
    with pytest.raises(ValidationError):
        validate_reminder_offsets(offsets)


def test_sensible_reminder_offsets_are_accepted():
    for offsets in ([], [60], [1440, 120], [10080, 1440, 60]):
        validate_reminder_offsets(offsets)
