"""Paying a deposit through the WeChat Pay stand-in: the order is signed and checked, the
notification takes effect exactly once, and every bad notification changes nothing and is
written to the audit log."""

import datetime as dt
import logging
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, transaction

from tests.helpers import NOW, client_for, error_of, make_user
from tests.payments import standin as wx
from yuyue.bookings.models import Status
from yuyue.payments import wechatpay
from yuyue.payments.models import AppendOnly, Order, PaymentAccount, PaymentEntry
from yuyue.payments.sweep import sweep
from yuyue.wechat.models import WeChatIdentity

pytestmark = [pytest.mark.django_db]
NOTIFY = "/api/v1/payments/wechat/notify"


def pay(user, appointment, method="wechat_native"):
    return client_for(user).post(
        f"/api/v1/appointments/{appointment.public_id}/pay",
        {"method": method},
        content_type="application/json",
    )


def send(notification):
    """The notification as WeChat Pay posts it, through the test client."""
    headers = {name.upper().replace("-", "_"): v for name, v in notification.headers.items()}
    return client_for().post(
        NOTIFY,
        notification.body,
        content_type="application/json",
        **{f"HTTP_{name}": value for name, value in headers.items()},
    )


def ledger(appointment):
    return list(PaymentEntry.objects.filter(appointment=appointment).values_list("kind", "amount"))


@pytest.fixture
def ordered(standin, held, customer):
    response = pay(customer, held)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="yuyue.audit")
    return caplog


def refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "payments.notify_refused" in r.getMessage()]


def test_a_native_order_is_signed_and_answers_the_code_url(ordered, standin, held):
    assert ordered["code_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    assert ordered["amount"] == "50.00"
    assert ordered["jsapi"] is None
    order = standin.orders[ordered["out_trade_no"]]
    assert (order["total"], order["trade_type"]) == (5000, "NATIVE")
    assert order["notify_url"] == "https://yuyue.example.com" + NOTIFY
    assert standin.refused == []
    assert dt.datetime.fromisoformat(ordered["pay_by"]) == held.pay_by


def test_asking_again_offers_the_same_order(ordered, standin, held, customer):
    again = pay(customer, held).json()
    assert again["out_trade_no"] == ordered["out_trade_no"]
    assert len(standin.orders) == 1


def test_a_paid_notification_confirms_the_booking_once(ordered, standin, held, customer):
    standin.pay(ordered["out_trade_no"])
    first = send(standin.paid_notification(ordered["out_trade_no"]))
    assert first.status_code == 204, first.content
    # WeChat Pay sends again (a new nonce): 204, nothing more.
    again = send(standin.paid_notification(ordered["out_trade_no"]))
    assert again.status_code == 204

    held.refresh_from_db()
    assert held.status == Status.CONFIRMED
    assert ledger(held) == [("payment", Decimal("50.00"))]
    shown = client_for(customer).get(f"/api/v1/appointments/{held.public_id}").json()
    assert shown["payment"] == {
        "mode": "deposit",
        "amount_due": "50.00",
        "amount_paid": "50.00",
        "amount_refunded": "0.00",
        "pay_by": shown["payment"]["pay_by"],
        "state": "paid",
        # Before the cut-off (a day before the start) everything would come back.
        "refund_if_cancelled_now": "50.00",
        "kept_if_cancelled_now": "0.00",
        "full_refund_until": "2026-12-01T10:00:00+08:00",
        "reason": "",
    }
    assert shown["status"] == "confirmed"


def _bad(standin, out_trade_no, how):
    plain = standin.transaction(out_trade_no)
    if how == "forged":
        return standin.notification(plain, key=wx.new_key())
    if how == "late":
        return standin.notification(plain, timestamp=int(NOW.timestamp()) - 6 * 60 - 5)
    if how == "wrong_amount":
        return standin.notification({**plain, "amount": {**plain["amount"], "total": 1}})
    if how == "wrong_merchant":
        return standin.notification({**plain, "mchid": "1900000999"})
    if how == "unknown_order":
        return standin.notification({**plain, "out_trade_no": "YY999x0"})
    if how == "wrong_apiv3_key":
        return standin.notification(plain, apiv3_key="c" * 32)
    if how == "wrong_serial":
        notification = standin.notification(plain)
        notification.headers["Wechatpay-Serial"] = "PUB_KEY_ID_SOMEONE_ELSE"
        return notification
    if how == "tampered":
        notification = standin.notification(plain)
        notification.body = notification.body.replace(b'"summary": "', b'"summary": "x')
        return notification
    raise AssertionError(how)


BAD = {
    "forged": 401,
    "late": 401,
    "wrong_serial": 401,
    "tampered": 401,
    "wrong_amount": 400,
    "wrong_merchant": 400,
    "unknown_order": 400,
    "wrong_apiv3_key": 400,
}


@pytest.mark.parametrize("how", list(BAD))
def test_a_bad_notification_changes_nothing_and_is_audited(ordered, standin, held, audit_log, how):
    standin.pay(ordered["out_trade_no"])
    response = send(_bad(standin, ordered["out_trade_no"], how))
    assert response.status_code == BAD[how]
    assert response.json()["code"] == "FAIL"
    assert response.json()["message"]
    held.refresh_from_db()
    assert held.status == Status.AWAITING_PAYMENT
    assert ledger(held) == []
    assert Order.objects.get().state == Order.State.OPEN
    assert len(refusals(audit_log)) == 1


def test_a_replayed_notification_is_refused(ordered, standin, held, audit_log):
    standin.pay(ordered["out_trade_no"])
    notification = standin.paid_notification(ordered["out_trade_no"])
    assert send(notification).status_code == 204
    replay = send(notification)
    assert replay.status_code == 400
    assert replay.json() == {"code": "FAIL", "message": "replayed"}
    assert ledger(held) == [("payment", Decimal("50.00"))]
    assert "replayed" in refusals(audit_log)[0]


def test_notifications_are_refused_when_payments_are_off(held):
    response = client_for().post(NOTIFY, b"{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "FAIL"


def test_paying_needs_payments_set_up(held, customer):
    response = pay(customer, held)
    assert response.status_code == 404
    assert error_of(response)["code"] == "payments_not_configured"


def test_nobody_else_pays_a_customers_booking(standin, held, stranger):
    assert pay(stranger, held).status_code == 404
    assert standin.orders == {}


def test_a_booking_with_nothing_to_pay_is_refused(standin, held, customer):
    send_paid = pay(customer, held).json()
    standin.pay(send_paid["out_trade_no"])
    assert send(standin.paid_notification(send_paid["out_trade_no"])).status_code == 204
    response = pay(customer, held)
    assert response.status_code == 409
    assert error_of(response)["code"] == "nothing_to_pay"


def test_wechat_pay_down_is_503_and_a_retry_orders_again(standin, held, customer):
    standin.fail_next = 1
    response = pay(customer, held)
    assert response.status_code == 503
    assert error_of(response)["code"] == "payment_unavailable"
    retried = pay(customer, held)
    assert retried.status_code == 200
    assert retried.json()["code_url"]


def test_an_answer_not_signed_by_wechat_pay_is_not_believed(standin, held, customer):
    standin.platform_key = wx.new_key()  # someone in the middle answers
    response = pay(customer, held)
    assert response.status_code == 503
    assert not Order.objects.exclude(code_url="").exists()


def test_jsapi_answers_the_signed_parameters_of_wx_request_payment(
    standin, held, customer, wechatpay_keys
):
    WeChatIdentity.objects.create(
        appid=wx.APPID, openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", user=customer
    )
    response = pay(customer, held, "wechat_jsapi")
    assert response.status_code == 200, response.content
    params = response.json()["jsapi"]
    assert params["appId"] == wx.APPID
    assert params["signType"] == "RSA"
    assert params["package"].startswith("prepay_id=wx")
    message = (
        f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    )
    merchant = wechatpay_keys[0]
    assert wechatpay.verify(merchant.public_key(), message, params["paySign"])
    assert (
        standin.orders[response.json()["out_trade_no"]]["openid"] == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
    )


def test_jsapi_needs_a_wechat_login(standin, held, customer):
    response = pay(customer, held, "wechat_jsapi")
    assert response.status_code == 422
    assert "method" in error_of(response)["details"]["fields"]


def test_an_unpaid_hold_is_closed_at_wechat_pay_and_released(ordered, standin, held):
    done = sweep(now=held.pay_by + dt.timedelta(seconds=1))
    assert done["released"] == 1
    held.refresh_from_db()
    assert held.status == Status.CANCELLED
    assert standin.orders[ordered["out_trade_no"]]["trade_state"] == "CLOSED"
    assert Order.objects.get().state == Order.State.CLOSED


def test_a_payment_whose_notification_was_lost_is_found_before_release(ordered, standin, held):
    standin.pay(ordered["out_trade_no"])
    done = sweep(now=held.pay_by + dt.timedelta(seconds=1))
    assert done["released"] == 0
    held.refresh_from_db()
    assert held.status == Status.CONFIRMED
    assert ledger(held) == [("payment", Decimal("50.00"))]


def test_payment_after_release_is_refunded_in_full_at_once(ordered, standin, held):
    sweep(now=held.pay_by + dt.timedelta(seconds=1))
    standin.refund_status = "SUCCESS"
    # The customer paid at the last second; WeChat Pay's notification comes after the release.
    standin.orders[ordered["out_trade_no"]]["trade_state"] = "NOTPAY"
    standin.pay(ordered["out_trade_no"])
    assert send(standin.paid_notification(ordered["out_trade_no"])).status_code == 204
    held.refresh_from_db()
    assert held.status == Status.CANCELLED
    assert standin.refunded_total(ordered["out_trade_no"]) == 5000
    assert ledger(held) == [("payment", Decimal("50.00")), ("refund", Decimal("50.00"))]
    account = PaymentAccount.objects.get(appointment=held)
    assert (account.paid, account.refunded, account.refunding) == (
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    )


def test_the_ledger_is_append_only_and_refunds_never_exceed_payments(ordered, standin, held):
    standin.pay(ordered["out_trade_no"])
    send(standin.paid_notification(ordered["out_trade_no"]))
    entry = PaymentEntry.objects.get()
    # The database refuses, whatever the code does; the model refuses before it.
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(AppendOnly), transaction.atomic():
        entry.save()
    account = PaymentAccount.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentAccount.objects.filter(pk=account.pk).update(refunded=Decimal("50.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentEntry.objects.create(
            appointment=held, kind="counter", channel="cash", amount=0, currency="CNY"
        )
    assert PaymentEntry.objects.get().amount == Decimal("50.00")


def test_a_second_customer_cannot_pay_into_anothers_hold(standin, held):
    other = make_user("other", phone="+8613300133000")
    assert pay(other, held).status_code == 404


def test_nonces_are_forgotten_once_their_window_has_passed(ordered, standin, held):
    from yuyue.payments.models import SeenNotification

    standin.pay(ordered["out_trade_no"])
    notification = standin.paid_notification(ordered["out_trade_no"])
    assert send(notification).status_code == 204
    sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=9))
    assert SeenNotification.objects.count() == 1
    sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11))
    assert not SeenNotification.objects.exists()
    # The old request sent again is still refused: its timestamp is out of the window now.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)):
        assert send(notification).status_code == 401
    assert ledger(held) == [("payment", Decimal("50.00"))]
