"""`yuyue payments_reconcile --date D` against the WeChat Pay stand-in
(docs/payments.md#reconciliation): a day that agrees says so and exits 0; each planted
difference is reported in one line and the exit status is 1; bad input is one line, status 2."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.helpers import NOW, make_user, owner_of
from tests.lib.test_yuyue_command_refuses_bad_settings_in_one_line import yuyue
from tests.payments.conftest import START
from tests.payments.test_payments_page import paid_online
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import business_create
from yuyue.payments.models import Refund
from yuyue.payments.services import payment_refund_partial, payment_start

pytestmark = [pytest.mark.django_db]
TUESDAY = "2026-12-01"


def run(*args: str) -> tuple[int, str]:
    """The command in this process (the stand-in is here): its exit status and output."""
    out = io.StringIO()
    try:
        call_command("payments_reconcile", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def day(standin, held):
    """Tuesday: the perm's deposit paid, 12.34 of it refunded, as WeChat Pay has it too."""
    order = paid_online(standin, held)
    standin.refund_status = "SUCCESS"
    (refund,) = payment_refund_partial(
        appointment=held, actor=owner_of(held), amount=Decimal("12.34"), reason="少剪"
    )
    refund.refresh_from_db()
    assert refund.state == Refund.State.SUCCEEDED
    return {"order": order.out_trade_no, "refund": refund.out_refund_no, "held": held}


def test_a_day_that_agrees(day):
    status, out = run("--date", TUESDAY)
    assert status == 0, out
    assert out.strip() == (
        "2026-12-01: 1 business(es), 1 order(s) and 1 refund(s) checked, 0 difference(s), "
        "0 not answered"
    )


def test_another_day_checks_nothing(day):
    assert run("--date", "2026-12-02") == (
        0,
        "2026-12-02: 1 business(es), 0 order(s) and 0 refund(s) checked, 0 difference(s), "
        "0 not answered\n",
    )


def test_paid_at_wechat_pay_but_not_in_our_ledger(day, standin, deposit_service, perm_stylist):
    late = appointment_create(
        service=deposit_service,
        customer=make_user("payer-b", phone="+8613800138001"),
        start=START + dt.timedelta(hours=3),
        staff=perm_stylist,
        now=NOW,
    )
    order = payment_start(appointment=late, actor=late.customer, method="wechat_native").order
    standin.pay(order.out_trade_no)  # and the notification never came
    status, out = run("--date", TUESDAY)
    assert status == 1
    (line,) = [line for line in out.splitlines() if line.startswith("DIFFERENCE")]
    assert re.fullmatch(
        rf"DIFFERENCE salon {order.out_trade_no}: paid 50\.00 at WeChat Pay \(transaction "
        r"4200\w+\), not in our ledger \(order open\)",
        line,
    )
    assert "1 difference(s)" in out


def test_the_amount_differs(day, standin):
    standin.orders[day["order"]]["total"] = 4000
    status, out = run("--date", TUESDAY)
    assert status == 1
    assert (
        f"DIFFERENCE salon {day['order']}: amount differs: 50.00 in our ledger, 40.00 at WeChat Pay"
    ) in out.splitlines()


def test_the_refund_state_differs(day, standin):
    standin.refunds[day["refund"]]["status"] = "ABNORMAL"
    status, out = run("--date", TUESDAY)
    assert status == 1
    assert (
        f"DIFFERENCE salon {day['refund']}: refund succeeded here, ABNORMAL at WeChat Pay"
        in out.splitlines()
    )


def test_in_our_ledger_but_unknown_to_wechat_pay(day, standin):
    del standin.orders[day["order"]]
    del standin.refunds[day["refund"]]
    status, out = run("--date", TUESDAY)
    assert status == 1
    lines = [line for line in out.splitlines() if line.startswith("DIFFERENCE")]
    assert lines == [
        f"DIFFERENCE salon {day['order']}: paid 50.00 in our ledger, unknown to WeChat Pay",
        f"DIFFERENCE salon {day['refund']}: refund succeeded here, unknown to WeChat Pay",
    ]


def test_wechat_pay_not_answering_is_not_a_clean_day(day, standin):
    standin.fail_next = 10
    status, out = run("--date", TUESDAY)
    assert status == 1
    assert out.count("UNCHECKED salon") == 2 and "2 not answered" in out


def test_one_business_only(day, standin):
    business_create(owner=make_user("rival", phone="+8613500135000"), slug="rival", name="别家")
    standin.orders[day["order"]]["total"] = 1
    assert run("--date", TUESDAY, "--business", "rival")[0] == 0
    assert run("--date", TUESDAY, "--business", "salon")[0] == 1
    status, out = run("--date", TUESDAY, "--business", "nowhere")
    assert (status, out) == (2, "--business 'nowhere': no such business")


def test_not_configured_is_said(held):
    assert run("--date", TUESDAY) == (
        2,
        "WeChat Pay is not configured (WECHATPAY_MCHID): nothing to reconcile",
    )


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "2026-1-1", "２０２６-12-01"])
def test_a_bad_date_is_one_clear_line(bad):
    status, out = run("--date", bad)
    assert status == 2
    assert out == f"--date {bad!r} is not a date: give YYYY-MM-DD, e.g. 2026-12-01"


@pytest.mark.real_clock
def test_the_console_script_says_it_in_one_line(tmp_path):
    done = yuyue(tmp_path, "payments_reconcile", "--date", "2026-13-01")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "CommandError: --date '2026-13-01' is not a date: give YYYY-MM-DD, e.g. 2026-12-01"
    ]
    assert done.stdout == ""
