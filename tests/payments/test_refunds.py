"""Refunds by policy through the stand-in: the customer before the cut-off gets everything
back, after it the deposit is kept (unless the shop gives it back); a business cancellation
gives everything back; a no-show keeps the deposit. Refund requests are idempotent, their
notifications take effect once, and what is refunded never exceeds what was paid."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.helpers import NOW, client_for, owner_of
from tests.payments.conftest import START
from tests.payments.test_wechat_pay import ledger, pay, send
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_mark_no_show,
    appointment_start,
)
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.payments.models import PaymentAccount, Refund
from yuyue.payments.services import (
    payment_record_counter,
    payment_refund_partial,
    refunds_retry,
)
from yuyue.payments.sweep import sweep

pytestmark = [pytest.mark.django_db]
FIFTY = Decimal("50.00")


@pytest.fixture
def paid(standin, held, customer):
    """The perm's deposit, paid through WeChat Pay; refunds answer at once."""
    order = pay(customer, held).json()
    standin.pay(order["out_trade_no"])
    assert send(standin.paid_notification(order["out_trade_no"])).status_code == 204
    standin.refund_status = "SUCCESS"
    held.refresh_from_db()
    return held


def account_of(appointment) -> tuple[Decimal, Decimal, Decimal]:
    account = PaymentAccount.objects.get(appointment=appointment)
    return account.paid, account.refunded, account.refunding


def test_the_customer_cancelling_before_the_cut_off_gets_everything_back(paid, customer, standin):
    appointment_cancel(appointment=paid, actor=customer, now=NOW)
    assert sweep()["settled"] == 1
    assert ledger(paid) == [("payment", FIFTY), ("refund", FIFTY)]
    assert account_of(paid) == (FIFTY, FIFTY, Decimal("0.00"))
    assert sum(r["refund"] for r in standin.refunds.values()) == 5000
    # Settled once: another round asks for nothing more.
    assert sweep()["settled"] == 0
    assert len(standin.refunds) == 1
    # WeChat Pay shows the reason to the payer: words in the shop's language, not our code.
    assert [r["reason"] for r in standin.refunds.values()] == ["按退款规则退款"]


def _cancelled_late(appointment, customer):
    # After the cut-off (24 hours before the start): a booking paid online may still be
    # cancelled by its customer, up to the start.
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        appointment_cancel(appointment=appointment, actor=customer)


def test_the_customer_cancelling_after_the_cut_off_leaves_the_deposit(paid, customer, standin):
    _cancelled_late(paid, customer)
    sweep()
    assert ledger(paid) == [("payment", FIFTY)]
    assert standin.refunds == {}
    assert PaymentAccount.objects.get(appointment=paid).settled_at is not None


def test_a_shop_that_gives_late_deposits_back_gives_it_back(paid, customer, business):
    business.keeps_deposit_after_cutoff = False
    business.save(update_fields=["keeps_deposit_after_cutoff"])
    _cancelled_late(paid, customer)
    sweep()
    assert ledger(paid) == [("payment", FIFTY), ("refund", FIFTY)]


def test_the_business_cancelling_gives_everything_back_even_late(paid, staff_user):
    appointment_cancel(
        appointment=paid, actor=staff_user, reason="师傅病了", now=START - dt.timedelta(hours=1)
    )
    sweep()
    assert ledger(paid) == [("payment", FIFTY), ("refund", FIFTY)]


def test_a_no_show_keeps_the_deposit(paid, staff_user, standin):
    appointment_mark_no_show(appointment=paid, actor=staff_user, now=START + dt.timedelta(hours=1))
    sweep()
    assert ledger(paid) == [("payment", FIFTY)]
    assert standin.refunds == {}


def test_a_refund_under_way_is_finished_by_its_notification_once(paid, customer, standin):
    standin.refund_status = "PROCESSING"
    appointment_cancel(appointment=paid, actor=customer, now=NOW)
    sweep()
    assert account_of(paid) == (FIFTY, Decimal("0.00"), FIFTY)
    assert (
        client_for(customer)
        .get(f"/api/v1/appointments/{paid.public_id}")
        .json()["payment"]["state"]
        == "refunding"
    )
    (out_refund_no,) = standin.refunds
    assert send(standin.refund_notification(out_refund_no)).status_code == 204
    assert send(standin.refund_notification(out_refund_no)).status_code == 204
    assert ledger(paid) == [("payment", FIFTY), ("refund", FIFTY)]
    assert account_of(paid) == (FIFTY, FIFTY, Decimal("0.00"))
    assert Refund.objects.get().state == Refund.State.SUCCEEDED


def test_a_refund_wechat_pay_did_not_answer_is_asked_again_with_the_same_number(
    paid, customer, standin
):
    standin.fail_next = 1
    appointment_cancel(appointment=paid, actor=customer, now=NOW)
    sweep()
    assert standin.refunds == {}
    assert Refund.objects.get().state == Refund.State.PENDING
    assert refunds_retry(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)) == 1
    assert refunds_retry(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)) == 0
    assert list(standin.refunds) == [Refund.objects.get().out_refund_no]
    assert ledger(paid) == [("payment", FIFTY), ("refund", FIFTY)]


def test_an_owner_refunds_part_with_a_reason_and_never_more_than_was_paid(paid, business):
    owner = owner_of(business)
    payment_refund_partial(appointment=paid, actor=owner, amount=Decimal("20.00"), reason="迟到")
    assert account_of(paid) == (FIFTY, Decimal("20.00"), Decimal("0.00"))
    with pytest.raises(InvalidInput):
        payment_refund_partial(
            appointment=paid, actor=owner, amount=Decimal("30.01"), reason="再退"
        )
    with pytest.raises(InvalidInput):
        payment_refund_partial(appointment=paid, actor=owner, amount=Decimal("1.00"), reason="")
    assert account_of(paid) == (FIFTY, Decimal("20.00"), Decimal("0.00"))


def test_only_an_owner_refunds(paid, staff_user, customer):
    for who in (staff_user, customer):
        with pytest.raises(NotAllowed):
            payment_refund_partial(appointment=paid, actor=who, amount=Decimal("1.00"), reason="x")
    assert Refund.objects.count() == 0


def test_staff_record_the_rest_paid_at_the_counter(paid, staff_user, customer):
    appointment_start(appointment=paid, actor=staff_user, now=START)
    appointment_complete(appointment=paid, actor=staff_user, now=START + dt.timedelta(hours=1))
    payment_record_counter(
        appointment=paid, actor=staff_user, channel="wechat_qr", amount=Decimal("250.00")
    )
    assert ledger(paid) == [("payment", FIFTY), ("counter", Decimal("250.00"))]
    shown = client_for(customer).get(f"/api/v1/appointments/{paid.public_id}").json()
    assert shown["payment"]["amount_paid"] == "300.00"
    assert shown["payment"]["amount_due"] == "50.00"
    with pytest.raises(InvalidInput):
        payment_record_counter(
            appointment=paid, actor=staff_user, channel="bitcoin", amount=Decimal("1")
        )
    with pytest.raises(NotAllowed):
        payment_record_counter(
            appointment=paid, actor=customer, channel="cash", amount=Decimal("1")
        )
