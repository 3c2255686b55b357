"""Texts through Tencent Cloud SMS, end to end through the dispatcher, against a stand-in on
loopback that verifies the TC3-HMAC-SHA256 signature as Tencent does and answers each error
code: sent, skipped, failed and retried, with Tencent's reason in the message log."""

import datetime as dt
import json

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, make_user
from tests.notifications.tencent_standin import TencentStandin, serve
from yuyue.bookings.services import appointment_create
from yuyue.notifications import errors
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification
from yuyue.notifications.tencent import cut

pytestmark = pytest.mark.django_db

TEMPLATES = {"1001": 3, "1002": 3, "1003": 4}  # booked, staff's new booking, reminder


@pytest.fixture
def tencent(settings):
    standin = TencentStandin(templates=dict(TEMPLATES))
    server, url = serve(standin)
    settings.NOTIFY_SMS_PROVIDER = "tencent"
    settings.TENCENT_SMS_SECRET_ID = standin.secret_id
    settings.TENCENT_SMS_SECRET_KEY = standin.secret_key
    settings.TENCENT_SMS_SDK_APP_ID = standin.sdk_app_id
    settings.TENCENT_SMS_SIGN_NAME = standin.sign_name
    settings.TENCENT_SMS_REGION = "ap-guangzhou"
    settings.TENCENT_SMS_ENDPOINT = url
    settings.TENCENT_SMS_TIMEOUT = 2
    settings.TENCENT_SMS_PARAM_MAX_LENGTH = 12
    settings.TENCENT_SMS_TEMPLATES = {
        "booked": "1001",
        "staff_new_booking": "1002",
        "reminder": "1003",
    }
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def texter(db):
    """A customer with a phone and no email: told by text message."""
    return make_user("texter", phone="+8613700137001", language="zh-hans")


def book(service, stylist, customer, hhmm="10:00"):
    return appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, hhmm), now=NOW
    )


def send_now():
    with time_machine.travel(NOW, tick=False):
        drain()


def booked_row() -> Notification:
    return Notification.objects.get(kind="booked", channel="sms")


def test_a_signed_request_sends_the_template_with_its_parameters(tencent, service, stylist, texter):
    book(service, stylist, texter)
    send_now()
    row = booked_row()
    assert (row.status, row.address, row.logged_only) == ("sent", "+8613700137001", False)
    assert row.provider_message_id.startswith("2433:")
    sent = {s["TemplateId"]: s for s in tencent.sent}
    booked = sent["1001"]
    assert booked["PhoneNumberSet"] == ["+8613700137001"]
    assert (booked["SmsSdkAppId"], booked["SignName"]) == ("1400000001", "悦约")
    business, service_name, time = booked["TemplateParamSet"]
    assert business == cut(service.business.name, 12)
    assert service_name == service.name
    assert time == "12月2日 10:00"
    assert booked["SessionContext"] == row.message_id
    headers = tencent.requests[0]["headers"]
    assert headers["x-tc-action"] == "SendSms"
    assert headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["authorization"].startswith(
        f"TC3-HMAC-SHA256 Credential={tencent.secret_id}/2026-12-01/sms/tc3_request, "
        "SignedHeaders=content-type;host, Signature="
    )
    # The staff member's text went through its own template.
    assert sent["1002"]["PhoneNumberSet"] == ["+8613900139000"]


def test_parameters_are_cut_to_tencents_length(tencent, settings, service, stylist, texter):
    service.name = "洗剪吹加深层护理与头皮按摩套餐"
    service.save(update_fields=["name"])
    book(service, stylist, texter)
    send_now()
    assert booked_row().status == "sent"
    params = tencent.sent[0]["TemplateParamSet"]
    assert params[1] == "洗剪吹加深层护理与头皮…"
    assert all(len(p) <= 12 for p in params)


def test_a_wrong_secret_key_is_refused_like_tencent_and_retried(
    tencent, settings, service, stylist, texter
):
    settings.TENCENT_SMS_SECRET_KEY = "not-the-key"
    book(service, stylist, texter)
    send_now()
    row = booked_row()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("Tencent SMS AuthFailure.SignatureFailure")
    assert tencent.sent == []
    settings.TENCENT_SMS_SECRET_KEY = tencent.secret_key
    with time_machine.travel(row.next_attempt_at, tick=False):
        drain()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_clock_off_by_more_than_five_minutes_is_refused(tencent, service, stylist, texter):
    tencent.clock_skew = 301
    book(service, stylist, texter)
    send_now()
    row = booked_row()
    assert row.status == "pending"
    assert row.last_error.startswith("Tencent SMS AuthFailure.SignatureExpire")
    tencent.clock_skew = 299
    with time_machine.travel(row.next_attempt_at, tick=False):
        drain()
    row.refresh_from_db()
    assert row.status == "sent"


@pytest.mark.parametrize(
    ("code", "status", "waits_at_least"),
    [
        ("LimitExceeded.PhoneNumberDailyLimit", "skipped", None),
        ("FailedOperation.PhoneNumberInBlacklist", "skipped", None),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", "pending", dt.timedelta(seconds=30)),
        ("LimitExceeded.PhoneNumberOneHourLimit", "pending", dt.timedelta(hours=1)),
        ("FailedOperation.InsufficientBalanceInSmsPackage", "pending", dt.timedelta(0)),
        ("FailedOperation.TemplateIncorrectOrUnapproved", "failed", None),
        ("InvalidParameterValue.IncorrectPhoneNumber", "failed", None),
        ("FailedOperation.SignatureIncorrectOrUnapproved", "failed", None),
    ],
)
def test_each_per_phone_code_has_its_outcome(
    tencent, service, stylist, texter, code, status, waits_at_least
):
    book(service, stylist, texter)
    tencent.phone_codes = [code]  # the first text sent (the customer's) gets it
    with time_machine.travel(NOW, tick=False):
        drain(batch_size=1)
    row = booked_row()
    assert row.status == status
    assert row.last_error.startswith(f"Tencent SMS {code}: ")
    if waits_at_least is not None:
        assert row.next_attempt_at >= NOW + waits_at_least


@pytest.mark.parametrize(
    "code", ["InternalError", "RequestLimitExceeded", "AuthFailure.SecretIdNotFound"]
)
def test_request_level_errors_are_retried(tencent, service, stylist, texter, code):
    tencent.request_errors = [code]
    book(service, stylist, texter)
    with time_machine.travel(NOW, tick=False):
        drain(batch_size=1)
    row = booked_row()
    assert row.status == "pending"
    assert row.last_error.startswith(f"Tencent SMS {code}")


def test_request_level_refusals_fail(tencent, service, stylist, texter):
    tencent.request_errors = ["InvalidParameterValue.IncorrectPhoneNumber"]
    book(service, stylist, texter)
    with time_machine.travel(NOW, tick=False):
        drain(batch_size=1)
    assert booked_row().status == "failed"


@pytest.mark.parametrize(("http", "status"), [(502, "pending"), (429, "pending"), (403, "failed")])
def test_http_errors(tencent, service, stylist, texter, http, status):
    tencent.http_statuses = [http]
    book(service, stylist, texter)
    with time_machine.travel(NOW, tick=False):
        drain(batch_size=1)
    row = booked_row()
    assert row.status == status
    assert row.last_error.startswith(f"Tencent SMS HTTP {http}")


def test_an_unreachable_endpoint_is_retried(tencent, settings, service, stylist, texter):
    settings.TENCENT_SMS_ENDPOINT = "http://127.0.0.1:9"  # discard port: nothing listens
    book(service, stylist, texter)
    send_now()
    row = booked_row()
    assert row.status == "pending"
    assert "Tencent SMS" in row.last_error


def test_a_kind_without_a_template_is_skipped_with_the_reason(
    tencent, settings, service, stylist, texter
):
    settings.TENCENT_SMS_TEMPLATES = {"staff_new_booking": "1002"}
    book(service, stylist, texter)
    send_now()
    row = booked_row()
    assert (row.status, row.last_error) == ("skipped", errors.NO_SMS_TEMPLATE)
    assert [s["TemplateId"] for s in tencent.sent] == ["1002"]


def test_a_template_may_name_its_own_parameters(tencent, settings, service, stylist, texter):
    tencent.templates["2001"] = 2
    settings.TENCENT_SMS_TEMPLATES = {"booked": "2001:time,service"}
    book(service, stylist, texter)
    send_now()
    assert booked_row().status == "sent"
    booked = next(s for s in tencent.sent if s["TemplateId"] == "2001")
    assert booked["TemplateParamSet"] == ["12月2日 10:00", service.name]


def test_english_texts_carry_english_values(tencent, service, stylist):
    english = make_user("en-texter", phone="+8613700137002", language="en")
    book(service, stylist, english)
    send_now()
    booked = next(s for s in tencent.sent if s["TemplateId"] == "1001")
    assert booked["TemplateParamSet"][2] == "2 Dec 10:00"
    assert json.dumps(booked, ensure_ascii=False)  # the stand-in parsed what we sent
