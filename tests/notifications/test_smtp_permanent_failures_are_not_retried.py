"""A recipient the server refuses, an invalid or missing address: failed with the reason,
at once, while every other message is delivered."""

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, make_user, quiet_owners
from yuyue.accounts.models import User
from yuyue.bookings.services import appointment_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def book(service, stylist, customer, hhmm):
    quiet_owners(service.business)
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, hhmm), now=NOW
    )


def test_550_for_one_recipient_fails_that_message_and_delivers_the_others(
    mailbox, service, stylist
):
    for i, hhmm in enumerate(("09:00", "10:00", "11:00")):
        book(service, stylist, make_user(f"c{i}", email=f"c{i}@example.com"), hhmm)
    mailbox.refuse["c1@example.com"] = "550 5.1.1 <c1@example.com>: mailbox unavailable"
    with time_machine.travel(NOW, tick=False):
        drain()
    status = {
        n.recipient.email: (n.status, n.attempts, n.last_error)
        for n in Notification.objects.filter(kind="booked").select_related("recipient")
    }
    assert status["c1@example.com"] == (
        "failed",
        1,
        "SMTP 550 5.1.1 <c1@example.com>: mailbox unavailable",
    )
    assert status["c0@example.com"][0] == status["c2@example.com"][0] == "sent"
    assert sorted(m["To"] for m in mailbox.received()) == ["c0@example.com", "c2@example.com"]


def test_an_invalid_address_fails_without_asking_the_server(mailbox, service, stylist, customer):
    book(service, stylist, customer, "10:00")
    User.objects.filter(pk=customer.pk).update(email="not an address")
    with time_machine.travel(NOW, tick=False):
        drain()
    row = Notification.objects.get(kind="booked")
    assert (row.status, row.last_error) == ("failed", "The address is not valid.")
    assert mailbox.received() == []


def test_an_address_removed_before_sending_fails_as_no_email_on_file(
    mailbox, service, stylist, customer
):
    book(service, stylist, customer, "10:00")
    User.objects.filter(pk=customer.pk).update(email="")
    with time_machine.travel(NOW, tick=False):
        drain()
    row = Notification.objects.get(kind="booked")
    assert (row.status, row.last_error) == ("failed", "No email on file.")
