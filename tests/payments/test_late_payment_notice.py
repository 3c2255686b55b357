"""A hold released unpaid tells its customer why in words, and a payment arriving after that
is refunded in full with a message saying so (docs/payments.md#the-race)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from tests.helpers import browser_for, html_of
from tests.payments.test_wechat_pay import ledger, pay, send
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import appointment_release_unpaid
from yuyue.notifications.dispatcher import drain

pytestmark = [pytest.mark.django_db]
FIFTY = Decimal("50.00")


def bodies_to(address: str) -> list[str]:
    return [m.body for m in mail.outbox if address in m.to]


def test_the_late_payer_is_refunded_in_full_and_told_why(standin, held, customer):
    standin.refund_status = "SUCCESS"
    order = pay(customer, held).json()
    standin.pay(order["out_trade_no"])
    with time_machine.travel(held.pay_by + dt.timedelta(seconds=1), tick=False):
        assert appointment_release_unpaid(appointment=held) is not None
        drain()
        (released,) = bodies_to(customer.email)
        assert "未在时限内支付，已取消" in released and "unpaid" not in released

        assert send(standin.paid_notification(order["out_trade_no"])).status_code == 204
        held.refresh_from_db()
        assert held.status == Status.CANCELLED
        assert ledger(held) == [("payment", FIFTY), ("refund", FIFTY)]
        assert held.events.filter(action=AppointmentEvent.Action.PAID_LATE).count() == 1
        drain()
        told = bodies_to(customer.email)[1:]
        assert len(told) == 1
        assert "您的付款在预约取消后才到账，已全额退款。" in told[0]
        # WeChat Pay sending it again changes nothing and tells nobody twice.
        assert send(standin.paid_notification(order["out_trade_no"])).status_code == 204
        drain()
    assert len(bodies_to(customer.email)) == 2
    assert ledger(held) == [("payment", FIFTY), ("refund", FIFTY)]


def test_the_web_says_why_a_hold_was_cancelled(held, customer):
    assert appointment_release_unpaid(appointment=held, now=held.pay_by + dt.timedelta(seconds=1))
    browser = browser_for(customer)
    page = html_of(browser.get(f"/appointments/{held.public_id}/"))
    assert "未在时限内支付，已取消" in page and "未支付" in page
    assert "未在时限内支付，已取消" in html_of(browser.get("/appointments"))
