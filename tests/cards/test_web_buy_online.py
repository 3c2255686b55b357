"""Buying a member card on the web through the WeChat Pay stand-in: the business's cards, the
buy button, the QR code page polling until paid, then my cards."""

import pytest

from tests.helpers import NOW, browser_for
from yuyue.cards.models import Card, CardPurchase
from yuyue.payments.services import payment_notification_handle

pytestmark = [pytest.mark.django_db]


def test_a_card_is_bought_on_the_web_and_shows_in_my_cards(standin, package, customer, stranger):
    web = browser_for(customer)
    slug = package.business.slug
    shop = web.get(f"/b/{slug}/cards/")
    assert shop.status_code == 200
    assert package.name in shop.content.decode()
    assert f"/b/{slug}/cards/" in web.get(f"/b/{slug}/").content.decode()

    bought = web.post(f"/b/{slug}/cards/{package.pk}/buy/")
    assert bought.status_code == 302
    purchase = CardPurchase.objects.get()
    assert bought["Location"] == f"/cards/bought/{purchase.public_id}/"
    page = web.get(bought["Location"]).content.decode()
    assert "<svg" in page and "data-poll" in page
    status = f"/cards/bought/{purchase.public_id}/status"
    assert web.get(status).json() == {"state": "open", "awaiting": True}
    assert browser_for(stranger).get(bought["Location"]).status_code == 404

    standin.pay(purchase.order.out_trade_no)
    note = standin.paid_notification(purchase.order.out_trade_no)
    payment_notification_handle(headers=note.headers, body=note.body, now=NOW)
    assert web.get(status).json() == {"state": "paid", "awaiting": False}
    assert web.get(bought["Location"])["Location"] == "/me/cards/"
    card = Card.objects.get()
    assert card.name in web.get("/me/cards/").content.decode()


def test_buying_without_online_payment_says_so(package, customer):
    web = browser_for(customer, english=True)
    response = web.post(f"/b/{package.business.slug}/cards/{package.pk}/buy/")
    assert response.status_code == 404
    assert 'role="alert"' in response.content.decode()
    assert CardPurchase.objects.count() == 0
