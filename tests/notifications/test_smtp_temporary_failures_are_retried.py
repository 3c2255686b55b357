"""A mail server that answers 421, or cannot be reached, delays messages but loses none."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.utils import timezone

from tests.helpers import NOW, WEDNESDAY, at, free_port, make_user
from yuyue.bookings.services import appointment_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def book_five(service, stylist):
    for i, hhmm in enumerate(("09:00", "10:00", "11:00", "14:00", "15:00")):
        customer = make_user(f"c{i}", email=f"c{i}@example.com")
        appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, hhmm), now=NOW
        )


def test_421_for_a_while_is_retried_with_growing_gaps_and_nothing_is_lost(
    mailbox, settings, service, stylist
):
    settings.NOTIFY_MAX_ATTEMPTS = 10
    book_five(service, stylist)
    bookings = Notification.objects.filter(kind="booked")
    mailbox.temporary_failures = 17
    attempts_at: dict[int, list[dt.datetime]] = {n.pk: [] for n in bookings}
    with time_machine.travel(NOW, tick=False) as clock:
        for _round in range(50):
            due = list(bookings.filter(status="pending", next_attempt_at__lte=timezone.now()))
            for row in due:
                attempts_at[row.pk].append(timezone.now())
            drain()
            waiting = bookings.filter(status="pending")
            if not waiting.exists():
                break
            clock.move_to(min(row.next_attempt_at for row in waiting))
    assert mailbox.refused_data == 17
    assert set(bookings.values_list("status", flat=True)) == {"sent"}
    received = [m["To"] for m in mailbox.received() if "预约成功" in m["Subject"]]
    assert sorted(received) == [f"c{i}@example.com" for i in range(5)]
    retried = [times for times in attempts_at.values() if len(times) >= 3]
    assert retried, "some message needed several attempts"
    for times in retried:
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert gaps == sorted(gaps), gaps
        assert gaps[-1] > gaps[0]
        assert gaps[0] >= dt.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS / 2)


def test_an_unreachable_server_is_a_temporary_failure(
    settings, mailbox, service, stylist, customer
):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    with time_machine.travel(NOW, tick=False):
        drain()
    row = Notification.objects.get(kind="booked")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > NOW


def test_after_the_last_attempt_a_temporary_failure_becomes_failed(
    settings, mailbox, service, stylist, customer
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    mailbox.temporary_failures = 1000
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    row = Notification.objects.get(kind="booked")
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            drain()
            row.refresh_from_db()
            if row.status != "pending":
                break
            clock.move_to(row.next_attempt_at)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error.startswith("SMTP 421")
    assert mailbox.received() == []
