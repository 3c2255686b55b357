"""Money on the back office's appointment page (docs/payments.md#on-the-appointment-page):
due, paid and refunded; staff record a counter payment; an owner refunds part through
WeChat Pay with a reason. A refused form says why on the form and writes nothing."""

from decimal import Decimal

import pytest

from tests.helpers import html_of, make_user, office_browser_for, owner_of
from tests.payments.test_payments_page import paid_online
from yuyue.catalog.services import business_create
from yuyue.payments.models import PaymentAccount, PaymentEntry, Refund

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def paid(standin, held):
    paid_online(standin, held)
    held.refresh_from_db()
    return held


def url(appointment, tail=""):
    return f"/manage/salon/appointments/{appointment.public_id}/{tail}"


def money(html: str, name: str) -> str:
    import re

    return re.search(rf'data-money="{name}">([^<]*)<', html).group(1).strip()


def entries(appointment):
    return list(
        PaymentEntry.objects.filter(appointment=appointment).values_list(
            "kind", "channel", "amount"
        )
    )


def test_the_page_shows_due_paid_and_refunded(paid, staff_user):
    html = html_of(office_browser_for(staff_user).get(url(paid)))
    assert (money(html, "due"), money(html, "paid"), money(html, "refunded")) == (
        "¥50",
        "¥50",
        "¥0",
    )
    assert 'name="counter-amount"' in html
    # Only owners are offered the refund.
    assert 'name="refund-amount"' not in html
    html = html_of(office_browser_for(owner_of(paid)).get(url(paid)))
    assert 'name="refund-amount"' in html and "¥50" in html


def test_the_page_in_chinese(paid):
    response = office_browser_for(owner_of(paid), english=False).get(url(paid))
    html = html_of(response)
    assert response.status_code == 200
    assert "到店支付" in html and "微信支付退款" in html


def test_a_held_booking_shows_what_it_owes_and_offers_no_counter(held, staff_user):
    html = html_of(office_browser_for(staff_user).get(url(held)))
    assert money(html, "due").startswith("¥50")
    assert money(html, "paid") == "¥0"
    assert 'name="counter-amount"' not in html


def test_staff_record_a_counter_payment(paid, staff_user):
    response = office_browser_for(staff_user).post(
        url(paid, "counter-payment/"),
        {"counter-amount": "250.00", "counter-channel": "wechat_qr", "counter-note": "余款"},
    )
    assert response.status_code == 303 and response["Location"] == url(paid)
    assert entries(paid)[-1] == ("counter", "wechat_qr", Decimal("250.00"))
    assert PaymentAccount.objects.get(appointment=paid).paid == Decimal("300.00")
    html = html_of(office_browser_for(staff_user).get(url(paid)))
    assert money(html, "paid") == "¥300" and "余款" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"counter-amount": "abc", "counter-channel": "cash"}, "counter-amount", "number"),
        ({"counter-amount": "-5", "counter-channel": "cash"}, "counter-amount", "0.01"),
        ({"counter-amount": "1.234", "counter-channel": "cash"}, "counter-amount", "2 decimal"),
        ({"counter-amount": "10", "counter-channel": "wechat_native"}, "counter-channel", "valid"),
        ({"counter-channel": "cash"}, "counter-amount", "required"),
    ],
)
def test_a_bad_counter_payment_is_refused_on_the_form(paid, staff_user, data, field, message):
    before = entries(paid)
    response = office_browser_for(staff_user).post(url(paid, "counter-payment/"), data)
    assert response.status_code == 400
    html = html_of(response)
    error = html.split(f'id="id_{field}_error">', 1)[1].split("<", 1)[0]
    assert message in error
    assert entries(paid) == before


def test_no_counter_payment_before_the_appointment_is_kept(held, staff_user):
    response = office_browser_for(staff_user).post(
        url(held, "counter-payment/"), {"counter-amount": "50", "counter-channel": "cash"}
    )
    assert response.status_code == 400
    assert "Payments at the counter are for appointments kept." in html_of(response)
    assert entries(held) == []


def test_an_owner_refunds_part_with_a_reason(paid, standin):
    standin.refund_status = "SUCCESS"
    response = office_browser_for(owner_of(paid)).post(
        url(paid, "refund/"), {"refund-amount": "20.50", "refund-reason": "服务未做完"}
    )
    assert response.status_code == 303
    assert entries(paid)[-1] == ("refund", "wechat_native", Decimal("20.50"))
    (refund,) = Refund.objects.all()
    assert (refund.reason, refund.state) == ("服务未做完", "succeeded")
    html = html_of(office_browser_for(owner_of(paid)).get(url(paid)))
    assert money(html, "refunded") == "¥20.50"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"refund-amount": "10"}, "refund-reason", "required"),
        ({"refund-amount": "0", "refund-reason": "x"}, "refund-amount", "0.01"),
        ({"refund-amount": "50.01", "refund-reason": "x"}, "refund-amount", "more than is left"),
        ({"refund-amount": "10", "refund-reason": "x" * 81}, "refund-reason", "80"),
    ],
)
def test_a_bad_refund_is_refused_on_the_form(paid, standin, data, field, message):
    response = office_browser_for(owner_of(paid)).post(url(paid, "refund/"), data)
    assert response.status_code == 400
    error = html_of(response).split(f'id="id_{field}_error">', 1)[1].split("<", 1)[0]
    assert message in error
    assert Refund.objects.count() == 0 and standin.refunds == {}
    account = PaymentAccount.objects.get(appointment=paid)
    assert (account.refunded, account.refunding) == (0, 0)


def test_staff_may_not_refund(paid, staff_user, standin):
    response = office_browser_for(staff_user).post(
        url(paid, "refund/"), {"refund-amount": "10", "refund-reason": "x"}
    )
    assert response.status_code == 403
    assert Refund.objects.count() == 0 and standin.refunds == {}


def test_another_business_reaches_neither_form(paid, standin):
    rival = make_user("rival", phone="+8613500135000")
    business_create(owner=rival, slug="rival", name="别家")
    browser = office_browser_for(rival)
    for tail, data in [
        ("counter-payment/", {"counter-amount": "10", "counter-channel": "cash"}),
        ("refund/", {"refund-amount": "10", "refund-reason": "x"}),
    ]:
        assert browser.post(url(paid, tail), data).status_code == 404
        assert browser.get(url(paid, tail)).status_code in (404, 405)
    assert entries(paid) == [("payment", "wechat_native", Decimal("50.00"))]
