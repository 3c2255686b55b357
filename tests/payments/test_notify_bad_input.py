"""The notify route is public by design and not in the API's document (it answers in WeChat
Pay's shape), so its bad input is swept here: unsigned, signed-but-garbage and encrypted-but-
garbage notifications are each a 4xx {"code": "FAIL", "message": …}, never a 5xx, and change
nothing."""

import json

import pytest

from tests.payments.standin import Notification
from tests.payments.test_wechat_pay import NOTIFY, pay, send
from tests.security.test_bad_input_is_never_a_5xx import BAD_BODIES, BAD_VALUES
from yuyue.bookings.models import Status
from yuyue.payments.models import PaymentEntry, SeenNotification

pytestmark = [pytest.mark.django_db]


def assert_refused(response) -> None:
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert body["code"] == "FAIL" and isinstance(body["message"], str) and body["message"]


@pytest.fixture
def ordered(standin, held, customer):
    order = pay(customer, held).json()
    standin.pay(order["out_trade_no"])
    return order


def test_unsigned_bodies_are_refused(ordered, held, client):
    for raw in BAD_BODIES:
        assert_refused(client.post(NOTIFY, raw, content_type="application/json"))
    odd_headers = {
        "HTTP_WECHATPAY_TIMESTAMP": "9" * 40,
        "HTTP_WECHATPAY_NONCE": "\x00",
        "HTTP_WECHATPAY_SIGNATURE": "%%%",
        "HTTP_WECHATPAY_SERIAL": "x" * 10_000,
    }
    assert_refused(client.post(NOTIFY, b"{}", content_type="application/json", **odd_headers))


def test_signed_garbage_is_refused(ordered, standin, held):
    bodies = [raw.decode("utf-8", errors="replace") for raw in BAD_BODIES[1:]]
    bodies += [
        json.dumps({"event_type": "TRANSACTION.SUCCESS", "resource": value})
        for value in BAD_VALUES[1:]
    ]
    bodies += [json.dumps({"event_type": value, "resource": {}}) for value in BAD_VALUES[1:]]
    for text in bodies:
        assert_refused(send(Notification(standin.signed_headers(text), text.encode())))


def test_encrypted_garbage_is_refused(ordered, standin, held):
    plain = standin.transaction(ordered["out_trade_no"])
    for name in ("appid", "mchid", "out_trade_no", "amount", "trade_state", "transaction_id"):
        for value in BAD_VALUES[1:]:
            if name == "transaction_id" and isinstance(value, str) and value.isalnum():
                continue  # looks like one of WeChat Pay's ids ("localtime"): not bad input
            response = send(standin.notification({**plain, name: value}))
            if response.status_code == 204:
                # Only a payment that did not succeed is taken (and changes nothing).
                assert name == "trade_state"
                continue
            assert_refused(response)
    held.refresh_from_db()
    assert held.status == Status.AWAITING_PAYMENT
    assert not PaymentEntry.objects.exists()


def test_nothing_is_remembered_from_a_refused_notification(ordered, standin, held, client):
    for raw in BAD_BODIES:
        client.post(NOTIFY, raw, content_type="application/json")
    send(standin.notification(standin.transaction(ordered["out_trade_no"]), key=None, timestamp=1))
    assert not SeenNotification.objects.exists()
    assert not PaymentEntry.objects.exists()
