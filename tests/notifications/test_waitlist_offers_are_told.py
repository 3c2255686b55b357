"""A waitlist offer is told to its waiter only, by email or text, in their language, with the
link to accept or decline it and the time it is held until; an offer answered before its
message went is skipped (docs/waitlist.md#the-offer)."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW, make_user
from tests.notifications.support import text_of
from tests.waitlist.support import waitlist_offer_for
from yuyue.bookings.services import appointment_offer_release
from yuyue.notifications import errors
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def send_now():
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        drain()


def test_the_offer_is_mailed_with_its_link_and_its_time(service, stylist, customer, mailbox):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    send_now()
    row = Notification.objects.get(appointment=offer)
    assert (row.kind, row.status, row.recipient_id) == ("waitlist_offer", "sent", customer.id)
    (mail,) = mailbox.to("customer@example.com")
    assert "候补到了" in mail["Subject"]
    body = text_of(mail)
    assert f"https://book.example.com/waitlist/offers/{offer.public_id}/" in body
    assert "为您保留到" in body
    # Not an invitation: the time is not theirs until they accept it.
    assert "text/calendar" not in mail.as_string()


def test_the_offer_is_texted_in_english(service, stylist, webhook):
    texter = make_user("texter", phone="+8613700137001", language="en")
    _entry, offer = waitlist_offer_for(texter, service, stylist, make_user("freer"))
    send_now()
    (request,) = [r for r in webhook.requests if r["json"]["template"] == "waitlist_offer"]
    text = request["json"]["params"]["text"]
    assert "has come free and is held for you until" in text
    assert request["json"]["params"]["link"].endswith(f"/waitlist/offers/{offer.public_id}/")


def test_an_offer_declined_before_its_message_went_is_skipped(service, stylist, customer, mailbox):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    appointment_offer_release(appointment=offer, actor=customer)
    send_now()
    row = Notification.objects.get(appointment=offer)
    assert (row.status, row.last_error) in {
        ("skipped", errors.CANCELLED),
        ("skipped", errors.OFFER_GONE),
    }
    assert mailbox.to("customer@example.com") == []
