"""The customer's "My cards" page: what each card holds, its end and its history; only the
holder's cards (docs/cards.md)."""

import pytest

from tests.helpers import WEDNESDAY, at, browser_for
from yuyue.cards.services import card_booking_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_holder_sees_uses_left_balance_expiry_and_history(
    package_card, stored_card, service, stylist, customer
):
    card_booking_create(
        card=package_card,
        service=service,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        actor=customer,
    )
    html = browser_for(customer, english=True).get("/me/cards/").content.decode()
    assert "洗剪吹 10 次卡" in html and "充 1000 送 200" in html
    assert 'data-figure="uses-left">10 / 10<' in html
    assert "Held by bookings" in html
    assert 'data-figure="balance">¥1,200<' in html or 'data-figure="balance">¥1200<' in html
    assert "31 Dec 2026, 00:00" in html
    assert "Reserved by a booking" in html


def test_nobody_else_sees_them(package_card, stranger):
    html = browser_for(stranger, english=True).get("/me/cards/").content.decode()
    assert "洗剪吹 10 次卡" not in html
    assert "You hold no member cards." in html


def test_the_page_asks_for_a_login(client):
    response = client.get("/me/cards/")
    assert response.status_code == 302
    assert "/login" in response["Location"]
