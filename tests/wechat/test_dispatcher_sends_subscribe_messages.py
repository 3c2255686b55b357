"""The `miniprogram` channel: a customer with a WeChat identity and a consent left hears
through a subscribe message; each WeChat errcode has its one outcome."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import FRIDAY, NOW, WEDNESDAY, at
from tests.wechat.support import APPID, TEMPLATES
from yuyue.bookings.services import appointment_create, appointment_reschedule
from yuyue.notifications import errors
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity
from yuyue.wechat.services import subscribe_consent_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
OPENID = "o-customer"


@pytest.fixture
def wechat_customer(standin, customer, business):
    business.reminder_offsets_minutes = [1440]
    business.save()
    WeChatIdentity.objects.create(appid=APPID, openid=OPENID, user=customer)
    return customer


def accept(standin, user, *purposes):
    """The customer taps "allow" in wx.requestSubscribeMessage: WeChat and we both count it."""
    for purpose in purposes:
        standin.subscribe(OPENID, TEMPLATES[purpose])
    subscribe_consent_record(actor=user, results={TEMPLATES[p]: "accept" for p in purposes})


def book(service, stylist, customer, start=None):
    return appointment_create(
        service=service, customer=customer, staff=stylist, start=start or at(WEDNESDAY, "10:00")
    )


def only(kind):
    return Notification.objects.get(kind=kind, recipient__username="customer")


def test_a_booking_is_told_through_the_mini_program(standin, wechat_customer, service, stylist):
    accept(standin, wechat_customer, "confirmation")
    appointment = book(service, stylist, wechat_customer)

    drain()

    row = only("booked")
    assert row.channel == "miniprogram"
    assert row.status == "sent"
    assert row.address == OPENID
    [message] = standin.sent
    assert row.provider_message_id == str(message["msgid"])
    assert message["touser"] == OPENID
    assert message["template_id"] == TEMPLATES["confirmation"]
    assert message["page"] == f"pages/appointment/appointment?id={appointment.public_id}"
    assert message["data"] == {
        "thing1": {"value": "洗剪吹"},
        "time2": {"value": "2026年12月2日 10:00"},
        "thing3": {"value": "静安店"},
        "phrase4": {"value": "预约成功"},
    }
    assert SubscribeConsent.objects.get(template_id=TEMPLATES["confirmation"]).remaining == 0


def test_without_a_consent_the_usual_channel_carries_it(standin, wechat_customer, service, stylist):
    book(service, stylist, wechat_customer)

    drain()

    assert only("booked").channel == "email"
    assert standin.sent == []


def test_without_a_wechat_identity_nothing_changes(standin, customer, service, stylist):
    SubscribeConsent.objects.create(
        user=customer, template_id=TEMPLATES["confirmation"], remaining=1
    )

    book(service, stylist, customer)

    assert only("booked").channel == "email"


def test_one_consent_carries_one_message(standin, wechat_customer, business, service, stylist):
    business.reminder_offsets_minutes = [1440, 120]
    business.save()
    accept(standin, wechat_customer, "reminder")

    book(service, stylist, wechat_customer)

    channels = dict(
        Notification.objects.filter(kind="reminder").values_list("offset_minutes", "channel")
    )
    # The reminder nearest the start is the one the mini program carries.
    assert channels == {120: "miniprogram", 1440: "email"}


def test_a_reminder_goes_out_at_the_new_time_after_a_reschedule(
    standin, wechat_customer, service, stylist
):
    accept(standin, wechat_customer, "reminder", "change")
    appointment = book(service, stylist, wechat_customer)
    appointment_reschedule(
        appointment=appointment, actor=wechat_customer, start=at(FRIDAY, "15:00")
    )
    drain()
    [moved] = standin.sent
    assert moved["template_id"] == TEMPLATES["change"]
    assert moved["data"]["time2"] == {"value": "2026年12月4日 15:00"}
    assert moved["data"]["time3"] == {"value": "2026年12月2日 10:00"}
    assert moved["data"]["phrase4"] == {"value": "已改期"}

    with time_machine.travel(at(FRIDAY - dt.timedelta(days=1), "15:00"), tick=False):
        drain()

    reminder = only("reminder")
    assert reminder.channel == "miniprogram"
    assert reminder.status == "sent"
    assert standin.sent[-1]["template_id"] == TEMPLATES["reminder"]
    assert standin.sent[-1]["data"]["time2"] == {"value": "2026年12月4日 15:00"}


def test_43101_skips_the_message_for_good(standin, wechat_customer, service, stylist):
    # We believe there is a consent; WeChat has none left (the user revoked it).
    subscribe_consent_record(actor=wechat_customer, results={TEMPLATES["confirmation"]: "accept"})
    book(service, stylist, wechat_customer)

    drain()

    row = only("booked")
    assert row.status == "skipped"
    assert row.last_error == errors.WECHAT_REFUSED
    assert SubscribeConsent.objects.get(template_id=TEMPLATES["confirmation"]).remaining == 0
    with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):
        drain()
    assert only("booked").status == "skipped"
    assert len(standin.received("subscribe_send")) == 1


def test_40001_refreshes_the_token_and_sends(standin, wechat_customer, service, stylist):
    accept(standin, wechat_customer, "confirmation")
    book(service, stylist, wechat_customer)
    standin.fail_next("subscribe_send", 40001)

    drain()

    assert only("booked").status == "sent"
    assert len(standin.received("subscribe_send")) == 2
    assert len(standin.sent) == 1


def test_42001_refreshes_the_token_and_sends(standin, wechat_customer, service, stylist):
    accept(standin, wechat_customer, "confirmation", "change")
    appointment = book(service, stylist, wechat_customer)
    drain()
    standin.expire_tokens()
    appointment_reschedule(
        appointment=appointment, actor=wechat_customer, start=at(FRIDAY, "15:00")
    )

    drain()

    assert only("rescheduled").status == "sent"
    assert len(standin.received("stable_token")) == 2


@pytest.mark.parametrize("failure", [-1, 500, 503, 45011])
def test_busy_or_down_goes_to_the_backoff(standin, wechat_customer, service, stylist, failure):
    accept(standin, wechat_customer, "confirmation")
    book(service, stylist, wechat_customer)
    standin.fail_next("subscribe_send", failure)

    tally = drain()

    row = only("booked")
    assert tally.retried == 1
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.next_attempt_at > NOW
    assert SubscribeConsent.objects.get(template_id=TEMPLATES["confirmation"]).remaining == 1
    with time_machine.travel(row.next_attempt_at, tick=False):
        drain()
    assert only("booked").status == "sent"


def test_a_timeout_goes_to_the_backoff(standin, wechat_customer, service, stylist, settings):
    accept(standin, wechat_customer, "confirmation")
    book(service, stylist, wechat_customer)
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"  # discard: nothing listens

    drain()

    assert only("booked").status == "pending"


def test_47003_fails_at_once_naming_the_field(standin, wechat_customer, service, stylist, settings):
    # A misconfigured mapping puts the service's name into a time key.
    settings.WECHAT_TEMPLATE_FIELDS = {
        **settings.WECHAT_TEMPLATE_FIELDS,
        "booked": "thing1=service,time2=service",
    }
    accept(standin, wechat_customer, "confirmation")
    book(service, stylist, wechat_customer)

    drain()

    row = only("booked")
    assert row.status == "failed"
    assert "47003" in row.last_error
    assert "data.time2.value" in row.last_error
