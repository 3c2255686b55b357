"""The customer pages: a booking awaiting payment leads to the pay page, which shows WeChat
Pay's Native code as a QR code drawn in the page and moves on once paid."""

import pytest

from tests.helpers import browser_for, html_of
from tests.payments.test_wechat_pay import send

pytestmark = [pytest.mark.django_db]


def test_the_done_page_of_a_hold_leads_to_paying(held, customer):
    response = browser_for(customer).get(f"/appointments/{held.public_id}/done/")
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{held.public_id}/pay/"


def test_the_pay_page_shows_the_code_and_moves_on_once_paid(standin, held, customer):
    browser = browser_for(customer)
    url = f"/appointments/{held.public_id}/pay/"
    first = html_of(browser.get(url))
    assert "<svg" not in first and 'type="submit"' in first
    assert browser.post(url).status_code == 302
    page = html_of(browser.get(url))
    assert 'class="pay-code"' in page and "<svg" in page
    assert "50.00" in page
    status_url = f"/appointments/{held.public_id}/pay/status"
    assert browser.get(status_url).json() == {"status": "awaiting_payment", "awaiting": True}

    (out_trade_no,) = standin.orders
    standin.pay(out_trade_no)
    assert send(standin.paid_notification(out_trade_no)).status_code == 204
    assert browser.get(status_url).json() == {"status": "confirmed", "awaiting": False}
    assert browser.get(url)["Location"] == f"/appointments/{held.public_id}/"


def test_payments_off_is_said_on_the_page_and_nothing_is_ordered(held, customer):
    browser = browser_for(customer)
    response = browser.post(f"/appointments/{held.public_id}/pay/")
    assert response.status_code == 200
    assert 'role="alert"' in html_of(response)


def test_nobody_else_sees_the_pay_page(standin, held, stranger, staff_user):
    for who in (stranger, staff_user):
        browser = browser_for(who)
        assert browser.get(f"/appointments/{held.public_id}/pay/").status_code == 404
        assert browser.post(f"/appointments/{held.public_id}/pay/").status_code == 404
        assert browser.get(f"/appointments/{held.public_id}/pay/status").status_code == 404
    assert standin.orders == {}
