"""Text messages through the webhook provider, against a real local HTTP server: signed JSON,
2xx sent, 4xx failed, 5xx and timeouts retried, hourly caps per phone and per business."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, make_user
from tests.notifications.support import WEBHOOK_SECRET
from yuyue.bookings.services import appointment_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def book(service, stylist, customer, hhmm="10:00"):
    return appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, hhmm), now=NOW
    )


@pytest.fixture
def texter(db):
    """A customer with a phone and no email: told by text message."""
    return make_user("texter", phone="+8613700137001", language="en")


def send_now():
    with time_machine.travel(NOW, tick=False):
        drain()


def test_a_text_is_posted_as_signed_json_and_marked_sent(webhook, service, stylist, texter):
    appointment = book(service, stylist, texter)
    send_now()
    by_template = {r["json"]["template"]: r for r in webhook.requests}
    assert set(by_template) == {"booked", "staff_new_booking"}
    request = by_template["booked"]
    body = request["json"]
    row = Notification.objects.get(kind="booked")
    assert set(body) == {"to", "template", "params", "message_id"}
    assert (body["to"], body["message_id"]) == ("+8613700137001", row.message_id)
    assert body["params"]["start"] == "2 Dec 2026, 10:00 (China Standard Time, UTC+08:00)"
    assert body["params"]["text"].startswith("悦己美发沙龙: your booking for 洗剪吹 on 2 Dec 2026")
    assert appointment.public_id in body["params"]["link"]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    expected = hmac.new(
        WEBHOOK_SECRET.encode(),
        headers["x-yuyue-timestamp"].encode() + b"." + request["body"],
        hashlib.sha256,
    ).hexdigest()
    assert headers["x-yuyue-signature"] == f"sha256={expected}"
    assert (row.status, row.address) == ("sent", "+8613700137001")
    assert row.provider_message_id.startswith("gw-")
    staff_text = by_template["staff_new_booking"]["json"]
    assert staff_text["to"] == "+8613900139000"
    assert staff_text["params"]["text"].startswith("新预约：texter，洗剪吹，2026年12月2日 10:00")
    assert json.loads(by_template["booked"]["body"]) == body


def test_a_4xx_answer_fails_the_message(webhook, service, stylist, texter):
    webhook.statuses = [400, 400]
    book(service, stylist, texter)
    send_now()
    row = Notification.objects.get(kind="booked")
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("HTTP 400")


def test_a_5xx_answer_is_retried_until_it_goes(webhook, service, stylist, texter):
    webhook.statuses = [503, 503]
    book(service, stylist, texter)
    send_now()
    row = Notification.objects.get(kind="booked")
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("HTTP 503")
    with time_machine.travel(row.next_attempt_at, tick=False):
        drain()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_gateway_that_does_not_answer_in_time_is_retried(webhook, service, stylist, texter):
    webhook.hang = 1.5  # longer than NOTIFY_WEBHOOK_TIMEOUT (1 s in the fixture)
    book(service, stylist, texter)
    send_now()
    row = Notification.objects.get(kind="booked")
    assert row.status == "pending"
    assert "timed out" in row.last_error


def test_texts_to_one_phone_wait_once_its_hourly_cap_is_reached(
    settings, webhook, service, stylist, texter
):
    settings.NOTIFY_SMS_PER_PHONE_PER_HOUR = 2
    for hhmm in ("09:00", "10:00", "11:00"):
        book(service, stylist, texter, hhmm)
    send_now()
    rows = Notification.objects.filter(kind="booked").order_by("next_attempt_at")
    assert [r.status for r in rows] == ["sent", "sent", "pending"]
    waiting = rows[2]
    assert waiting.last_error == "Hourly limit of text messages to this phone reached."
    assert waiting.next_attempt_at >= NOW + dt.timedelta(hours=1)
    assert len([r for r in webhook.requests if r["json"]["to"] == texter.phone]) == 2


def test_texts_of_one_business_wait_once_its_hourly_cap_is_reached(
    settings, webhook, service, stylist
):
    settings.NOTIFY_SMS_PER_BUSINESS_PER_HOUR = 3
    for i, hhmm in enumerate(("09:00", "10:00", "11:00")):
        book(service, stylist, make_user(f"t{i}", phone=f"+861370013701{i}"), hhmm)
    send_now()
    statuses = list(
        Notification.objects.filter(channel="sms")
        .exclude(kind="reminder")
        .values_list("status", flat=True)
    )
    assert sorted(statuses) == ["pending"] * 3 + ["sent"] * 3
    assert len(webhook.requests) == 3
