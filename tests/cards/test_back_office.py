"""Member cards in the back office: the owner's products and liability report, selling at the
counter from a customer's page, a card's history with adjustment and refund
(docs/cards.md)."""

import re
from decimal import Decimal

import pytest

from tests.helpers import WEDNESDAY, at, office_browser_for
from yuyue.bookings.services import appointment_start
from yuyue.cards.models import Card, CardEntry, CardProduct
from yuyue.cards.selectors import balances_total
from yuyue.cards.services import card_booking_create
from yuyue.payments.models import PaymentEntry
from yuyue.webkit.templatetags.webkit import money

pytestmark = pytest.mark.django_db


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match[1].strip()


def test_the_owner_puts_a_package_on_sale(owner, service):
    browser = office_browser_for(owner)
    response = browser.post(
        "/manage/salon/cards/products/new/",
        {
            "kind": "package",
            "name": "剪发 5 次卡",
            "price": "300.00",
            "uses": "5",
            "services": [str(service.id)],
            "valid_days": "90",
            "no_show_uses": "on",
            "active": "on",
            "terms": "90 天内有效",
        },
    )
    assert response.status_code == 303
    product = CardProduct.objects.get(name="剪发 5 次卡")
    assert (product.uses, product.valid_days, list(product.services.all())) == (5, 90, [service])
    # Taken off sale: the edit form without "on sale".
    response = browser.post(
        f"/manage/salon/cards/products/{product.id}/",
        {
            "kind": "package",
            "name": "剪发 5 次卡",
            "price": "300.00",
            "uses": "5",
            "services": [str(service.id)],
        },
    )
    assert response.status_code == 303
    product.refresh_from_db()
    assert not product.active


def test_a_bad_product_is_refused_with_a_reason(owner, business):
    response = office_browser_for(owner).post(
        "/manage/salon/cards/products/new/",
        {"kind": "package", "name": "空卡", "price": "100", "uses": "5"},
        follow=True,
    )
    assert "Choose the services a use pays for." in response.content.decode()
    assert not CardProduct.objects.exists()


def test_staff_sell_a_card_from_the_customer_page(package, record, staff_user):
    browser = office_browser_for(staff_user)
    page = browser.get(f"/manage/salon/customers/{record.id}/").content.decode()
    assert "洗剪吹 10 次卡" in page
    response = browser.post(
        f"/manage/salon/customers/{record.id}/cards/sell/",
        {"product": str(package.id), "channel": "cash"},
    )
    assert response.status_code == 303
    card = Card.objects.get()
    assert response["Location"] == f"/manage/salon/cards/{card.public_id}/"
    assert PaymentEntry.objects.get(kind="sale").amount == Decimal("680.00")
    assert "10 / 10" in browser.get(response["Location"]).content.decode()


def test_staff_see_no_products_page(staff_user, package):
    assert office_browser_for(staff_user).get("/manage/salon/cards/").status_code == 403


def test_the_owner_adjusts_and_refunds_a_card(package_card, owner):
    browser = office_browser_for(owner)
    url = f"/manage/salon/cards/{package_card.public_id}/"
    browser.post(url, {"action": "adjust", "uses": "-4", "reason": "纸卡已用 4 次"})
    assert CardEntry.objects.filter(kind="adjustment", reason="纸卡已用 4 次").exists()
    page = browser.get(url).content.decode()
    assert f"Gives back {money(Decimal('408.00'), 'CNY')}" in page  # 680 × 6/10
    browser.post(url, {"action": "refund", "channel": "cash", "reason": "搬家"})
    package_card.refresh_from_db()
    assert package_card.status == Card.Status.REFUNDED
    assert PaymentEntry.objects.get(kind="refund").amount == Decimal("408.00")


def test_the_liability_report_matches_the_ledger_to_the_fen(
    owner, package_card, stored_card, service, stylist, customer, staff_user
):
    for card, hhmm in ((package_card, "10:00"), (stored_card, "14:00")):
        appointment = card_booking_create(
            card=card, service=service, staff=stylist, start=at(WEDNESDAY, hhmm), actor=customer
        )
        appointment_start(appointment=appointment, actor=staff_user)
    html = office_browser_for(owner).get("/manage/salon/cards/?from=2026-12-01&to=2026-12-31")
    html = html.content.decode()
    totals = balances_total(business=package_card.business)
    assert figure(html, "cards-sold") == "2"
    assert figure(html, "sales") == money(Decimal("1680.00"), "CNY")
    assert figure(html, "uses-used") == "1"
    assert figure(html, "value-used") == money(Decimal("79.20"), "CNY")
    # What is outstanding is what the balance rows hold: 1000 − 79.20 principal, 200 bonus,
    # 9 uses worth 680 × 9/10.
    assert totals == {"principal": Decimal("920.80"), "bonus": Decimal("200.00"), "uses": 9}
    assert figure(html, "principal") == money(Decimal("920.80"), "CNY")
    assert figure(html, "bonus") == money(Decimal("200.00"), "CNY")
    assert figure(html, "uses") == "9"
    assert figure(html, "uses-value") == money(Decimal("612.00"), "CNY")


@pytest.mark.parametrize(
    "data",
    [
        {"action": "adjust", "uses": "x", "reason": "r"},
        {"action": "adjust", "uses": "99999999999", "reason": "r"},
        {"action": "adjust", "uses": "1", "reason": "\x00"},
        {"action": "adjust", "amount": "NaN", "reason": "r"},
        {"action": "refund", "channel": "wechat_native"},
        {"action": "nope"},
        {},
    ],
)
def test_junk_on_a_card_is_refused_and_changes_nothing(package_card, owner, data):
    before = list(CardEntry.objects.values_list("id", flat=True))
    response = office_browser_for(owner).post(
        f"/manage/salon/cards/{package_card.public_id}/", data
    )
    assert response.status_code == 303
    assert list(CardEntry.objects.values_list("id", flat=True)) == before


@pytest.mark.parametrize(
    "data",
    [
        {"product": "999999", "channel": "cash"},
        {"product": "x", "channel": "cash"},
        {"product": "{package}", "channel": "bitcoin"},
        {"product": "{package}", "channel": "cash\x00"},
    ],
)
def test_a_junk_sale_is_refused(package, record, staff_user, data):
    data = {k: v.replace("{package}", str(package.id)) for k, v in data.items()}
    response = office_browser_for(staff_user).post(
        f"/manage/salon/customers/{record.id}/cards/sell/", data
    )
    assert response.status_code == 303
    assert not Card.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "gift", "name": "x", "price": "1"},
        {"kind": "package", "name": "x", "price": "-1", "uses": "1"},
        {"kind": "stored_value", "name": "x", "price": "1", "discount_percent": "100"},
        {"kind": "stored_value", "name": "x", "price": "1e9"},
        {"kind": "package", "name": "x", "price": "1", "uses": "1", "services": ["999999"]},
        {"kind": "package", "name": "x" * 200, "price": "1", "valid_days": "0"},
    ],
)
def test_a_junk_product_is_refused(owner, business, data):
    response = office_browser_for(owner).post("/manage/salon/cards/products/new/", data)
    assert response.status_code == 200
    assert not CardProduct.objects.exists()


def test_staff_top_up_a_stored_value_card_at_the_counter(stored_card, staff_user):
    url = f"/manage/salon/cards/{stored_card.public_id}/"
    response = office_browser_for(staff_user).post(
        url, {"action": "top_up", "amount": "500.00", "bonus": "50", "channel": "card"}
    )
    assert response.status_code == 303
    stored_card.balance.refresh_from_db()
    assert (stored_card.balance.principal, stored_card.balance.bonus) == (
        Decimal("1500.00"),
        Decimal("250.00"),
    )
    top_up = stored_card.entries.get(kind="top_up")
    assert (top_up.payment.kind, top_up.payment.amount) == ("sale", Decimal("500.00"))


def test_a_package_takes_no_top_up(package_card, owner):
    office_browser_for(owner).post(
        f"/manage/salon/cards/{package_card.public_id}/",
        {"action": "top_up", "amount": "500.00", "channel": "cash"},
    )
    assert not package_card.entries.filter(kind="top_up").exists()
