"""A customer may cancel a booking paid online after the cut-off, up to its start, and is told
first what comes back (docs/payments.md#refunds-by-policy): the deposit is kept, or
everything comes back when the business refunds late cancellations. Bookings with nothing
paid keep the cut-off. Amounts are checked to the fen at the WeChat Pay stand-in."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.helpers import (
    NOW,
    browser_for,
    client_for,
    error_of,
    html_of,
    make_appointment,
    make_staff,
    owner_of,
)
from tests.payments.conftest import START
from tests.payments.test_wechat_pay import ledger, pay, send
from yuyue.bookings.models import Status
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import service_create
from yuyue.payments.models import PaymentAccount
from yuyue.payments.sweep import sweep

pytestmark = [pytest.mark.django_db]
# The deposit service's cut-off is a day before the start: today 10:00 (NOW is 08:00).
CUTOFF = START - dt.timedelta(days=1)
LATE = START - dt.timedelta(hours=2)


def paid_booking(standin, appointment, customer):
    order = pay(customer, appointment).json()
    standin.pay(order["out_trade_no"])
    assert send(standin.paid_notification(order["out_trade_no"])).status_code == 204
    standin.refund_status = "SUCCESS"
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    return appointment


@pytest.fixture
def paid(standin, held, customer):
    return paid_booking(standin, held, customer)


def shown(user, appointment) -> dict:
    return client_for(user).get(f"/api/v1/appointments/{appointment.public_id}").json()


def cancel(user, appointment):
    return client_for(user).post(
        f"/api/v1/appointments/{appointment.public_id}/cancel",
        {"reason": ""},
        content_type="application/json",
    )


def refunded_fen(standin) -> int:
    return sum(r["refund"] for r in standin.refunds.values())


def test_before_the_cut_off_everything_would_come_back_and_does(paid, customer, standin):
    body = shown(customer, paid)
    assert body["payment"]["refund_if_cancelled_now"] == "50.00"
    assert body["payment"]["full_refund_until"] == "2026-12-01T10:00:00+08:00"
    # Paid online: cancellable (with the deposit at stake) up to the start.
    assert body["cancel_deadline"] == "2026-12-02T10:00:00+08:00"
    assert cancel(customer, paid).status_code == 200
    sweep()
    assert ledger(paid) == [("payment", Decimal("50.00")), ("refund", Decimal("50.00"))]
    assert refunded_fen(standin) == 5000


def test_after_the_cut_off_the_customer_may_still_cancel_and_the_deposit_is_kept(
    paid, customer, standin
):
    with time_machine.travel(LATE, tick=False):
        body = shown(customer, paid)
        assert "cancel" in body["actions"]
        assert body["payment"]["refund_if_cancelled_now"] == "0.00"
        assert body["payment"]["kept_if_cancelled_now"] == "50.00"
        response = cancel(customer, paid)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "cancelled"
        assert sweep()["settled"] == 1
    assert ledger(paid) == [("payment", Decimal("50.00"))]
    assert standin.refunds == {}
    account = PaymentAccount.objects.get(appointment=paid)
    assert (account.paid, account.refunded, account.refunding) == (Decimal("50.00"), 0, 0)
    assert account.settled_at is not None


def test_a_business_that_refunds_late_cancellations_says_so_and_refunds_to_the_fen(
    paid, customer, business, standin
):
    business.keeps_deposit_after_cutoff = False
    business.save(update_fields=["keeps_deposit_after_cutoff"])
    with time_machine.travel(LATE, tick=False):
        assert shown(customer, paid)["payment"]["refund_if_cancelled_now"] == "50.00"
        assert cancel(customer, paid).status_code == 200
        sweep()
    assert ledger(paid) == [("payment", Decimal("50.00")), ("refund", Decimal("50.00"))]
    assert refunded_fen(standin) == 5000


def test_a_full_prepayment_cancelled_late_keeps_the_prepayment(
    business, location, staff_user, customer, standin
):
    service = service_create(
        business=business,
        actor=owner_of(business),
        name="护理",
        duration_minutes=60,
        price=Decimal("288.80"),
        min_notice_minutes=60,
        max_days_ahead=30,
        cancel_cutoff_minutes=6 * 60,
        payment_mode="full",
        payment_window_minutes=15,
    )
    staff = make_staff(service=service, location=location, user=staff_user)
    held = appointment_create(service=service, customer=customer, start=START, staff=staff, now=NOW)
    booking = paid_booking(standin, held, customer)
    assert shown(customer, booking)["payment"]["refund_if_cancelled_now"] == "288.80"
    # Five hours before: after the six-hour cut-off.
    with time_machine.travel(START - dt.timedelta(hours=5), tick=False):
        assert shown(customer, booking)["payment"]["refund_if_cancelled_now"] == "0.00"
        assert cancel(customer, booking).status_code == 200
        sweep()
    assert ledger(booking) == [("payment", Decimal("288.80"))]
    assert standin.refunds == {}


def test_the_shop_cancelling_late_gives_everything_back_and_says_so(
    paid, staff_user, customer, standin
):
    with time_machine.travel(LATE, tick=False):
        # The customer would lose the deposit; the shop cancelling gives it all back.
        assert shown(customer, paid)["payment"]["refund_if_cancelled_now"] == "0.00"
        assert shown(staff_user, paid)["payment"]["refund_if_cancelled_now"] == "50.00"
        assert cancel(staff_user, paid).status_code == 200
        sweep()
    assert refunded_fen(standin) == 5000


def test_after_the_start_the_customer_can_no_longer_cancel_online(paid, customer, standin):
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        body = shown(customer, paid)
        assert "cancel" not in body["actions"]
        assert body["payment"]["refund_if_cancelled_now"] is None
        response = cancel(customer, paid)
    assert response.status_code == 409
    assert error_of(response)["code"] == "cutoff_passed"
    assert Status(paid.status) == Status.CONFIRMED


def test_a_booking_with_nothing_paid_keeps_the_cut_off(appointment_after_cutoff, customer):
    body = shown(customer, appointment_after_cutoff)
    assert "cancel" not in body["actions"]
    assert body["payment"]["refund_if_cancelled_now"] is None
    assert body["payment"]["full_refund_until"] is None
    response = cancel(customer, appointment_after_cutoff)
    assert response.status_code == 409
    assert error_of(response)["code"] == "cutoff_passed"


@pytest.fixture
def appointment_after_cutoff(service, stylist, customer):
    """A booking of the plain service (nothing paid online) starting inside its cut-off."""
    start = NOW + dt.timedelta(minutes=service.cancel_cutoff_minutes - 30)
    return make_appointment(service=service, staff=stylist, customer=customer, start=start)


def test_the_web_says_the_deposit_is_kept_before_the_customer_confirms(paid, customer, standin):
    browser = browser_for(customer)
    url = f"/appointments/{paid.public_id}/cancel/"
    before = html_of(browser.get(f"/appointments/{paid.public_id}/"))
    assert "已支付 ¥50" in before
    assert "¥50 将全额退回" in before and "12月1日 10:00 后，定金 ¥50 不再退还" in before
    with time_machine.travel(LATE, tick=False):
        page = html_of(browser.get(url))
        assert "定金 ¥50 不退" in page
        assert 'name="refund_back" value="0.00"' in page
        response = browser.post(url, {"reason": "", "refund_back": "0.00"})
        assert response.status_code == 302
        sweep()
    after = html_of(browser.get(f"/appointments/{paid.public_id}/"))
    assert "已支付 ¥50" in after and "退款" not in after
    assert standin.refunds == {}


def test_the_web_asks_again_when_the_terms_changed_since_the_page_was_shown(
    paid, customer, standin
):
    browser = browser_for(customer)
    url = f"/appointments/{paid.public_id}/cancel/"
    assert 'name="refund_back" value="50.00"' in html_of(browser.get(url))
    with time_machine.travel(LATE, tick=False):
        # Read before the cut-off, sent after it: nothing happens until they confirm again.
        response = browser.post(url, {"reason": "", "refund_back": "50.00"})
        assert response.status_code == 409
        assert "定金 ¥50 不退" in html_of(response)
    paid.refresh_from_db()
    assert paid.status == Status.CONFIRMED


def test_the_web_shows_what_was_refunded(paid, customer, standin):
    assert cancel(customer, paid).status_code == 200
    sweep()
    page = html_of(browser_for(customer).get(f"/appointments/{paid.public_id}/"))
    assert "已支付 ¥50" in page and "已退款 ¥50" in page


def test_the_api_cancels_only_on_the_terms_the_customer_was_shown(paid, customer, standin):
    """A client that showed "everything back" before the cut-off and sends the cancellation
    after it cancels nothing: 409 refund_changed, and the appointment says the new terms."""
    assert shown(customer, paid)["payment"]["refund_if_cancelled_now"] == "50.00"
    url = f"/api/v1/appointments/{paid.public_id}/cancel"
    with time_machine.travel(LATE, tick=False):
        response = client_for(customer).post(
            url, {"refund_shown": "50.00"}, content_type="application/json"
        )
        assert response.status_code == 409
        assert error_of(response)["code"] == "refund_changed"
        paid.refresh_from_db()
        assert paid.status == Status.CONFIRMED
        assert shown(customer, paid)["payment"]["refund_if_cancelled_now"] == "0.00"
        response = client_for(customer).post(
            url, {"refund_shown": "0.00"}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "cancelled"
        sweep()
    assert standin.refunds == {}


def test_the_api_refuses_a_refund_shown_that_is_no_amount(paid, customer):
    response = client_for(customer).post(
        f"/api/v1/appointments/{paid.public_id}/cancel",
        {"refund_shown": "fifty"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "refund_shown" in str(error_of(response)["details"])
    paid.refresh_from_db()
    assert paid.status == Status.CONFIRMED
