"""A member card bought online through the WeChat Pay stand-in (docs/cards.md#money): the
notification makes the card once — a duplicate, or two at once, change nothing more — and an
order never paid lapses with no card."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections

from tests.helpers import NOW, client_for, error_of, owner_of
from tests.payments import standin as wx
from tests.payments.test_races import together
from yuyue.cards.models import Card, CardEntry, CardPurchase
from yuyue.cards.selectors import cards_liability
from yuyue.cards.services import card_adjust, card_refund, card_top_up
from yuyue.payments import wechatpay
from yuyue.payments.models import Order, PaymentEntry, Refund
from yuyue.payments.services import payment_notification_handle
from yuyue.payments.sweep import sweep
from yuyue.wechat.models import WeChatIdentity

pytestmark = [pytest.mark.django_db]


def buy(user, product, method="wechat_native"):
    return client_for(user).post(
        f"/api/v1/businesses/{product.business.slug}/card-products/{product.pk}/buy",
        {"method": method},
        content_type="application/json",
    )


def notify(notification):
    return payment_notification_handle(
        headers=notification.headers, body=notification.body, now=NOW
    )


def purchase_of(user, purchase_id):
    return client_for(user).get(f"/api/v1/card-purchases/{purchase_id}")


@pytest.fixture
def bought(standin, package, customer):
    response = buy(customer, package)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_native_order_answers_the_code_url_and_the_purchase(bought, standin, customer):
    assert bought["code_url"].startswith("weixin://")
    assert bought["amount"] == "680.00"
    assert standin.orders[bought["out_trade_no"]]["total"] == 68000
    state = purchase_of(customer, bought["purchase_id"]).json()
    assert (state["state"], state["card_id"]) == ("open", None)
    assert Card.objects.count() == 0


def test_asking_again_offers_the_same_purchase(bought, standin, package, customer):
    again = buy(customer, package).json()
    assert again["purchase_id"] == bought["purchase_id"]
    assert len(standin.orders) == 1


def test_the_notification_makes_the_card_once(bought, standin, customer):
    standin.pay(bought["out_trade_no"])
    notify(standin.paid_notification(bought["out_trade_no"]))
    notify(standin.paid_notification(bought["out_trade_no"]))  # WeChat Pay's retry
    card = Card.objects.get()
    assert card.customer.user == customer
    assert card.balance.uses_left == 10
    sale = PaymentEntry.objects.get()
    assert (sale.kind, sale.amount, sale.channel) == ("sale", Decimal("680.00"), "wechat_native")
    assert sale.business_id == card.business_id and sale.appointment_id is None
    assert sale.transaction_id == Order.objects.get().transaction_id != ""
    entries = list(CardEntry.objects.values_list("kind", "uses_left", "payment"))
    assert entries == [("sale", 10, sale.pk)]
    state = purchase_of(customer, bought["purchase_id"]).json()
    assert (state["state"], state["card_id"]) == ("paid", card.public_id)
    assert client_for(customer).get("/api/v1/me/cards").json()["items"][0]["uses_left"] == 10


def test_a_stored_value_card_gets_its_sale_and_its_bonus(standin, stored, customer):
    bought = buy(customer, stored).json()
    standin.pay(bought["out_trade_no"])
    notify(standin.paid_notification(bought["out_trade_no"]))
    entries = list(CardEntry.objects.values_list("kind", "principal", "bonus"))
    assert entries == [
        ("sale", Decimal("1000.00"), Decimal("0.00")),
        ("bonus", Decimal("0.00"), Decimal("200.00")),
    ]


def test_jsapi_answers_the_signed_parameters(standin, package, customer, wechatpay_keys):
    WeChatIdentity.objects.create(
        appid=wx.APPID, openid="oBuyer0000000000000000000001", user=customer
    )
    response = buy(customer, package, "wechat_jsapi")
    assert response.status_code == 200, response.content
    params = response.json()["jsapi"]
    message = (
        f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    )
    assert wechatpay.verify(wechatpay_keys[0].public_key(), message, params["paySign"])


def test_an_unpaid_purchase_lapses_with_its_order_closed(bought, standin, customer):
    done = sweep(now=NOW + dt.timedelta(minutes=16))
    assert done["sales_lapsed"] == 1
    assert standin.orders[bought["out_trade_no"]]["trade_state"] == "CLOSED"
    assert Order.objects.get().state == Order.State.CLOSED
    assert purchase_of(customer, bought["purchase_id"]).json()["state"] == "lapsed"
    assert Card.objects.count() == 0


def test_a_payment_whose_notification_was_lost_is_found_by_the_sweep(bought, standin):
    standin.pay(bought["out_trade_no"])
    done = sweep(now=NOW + dt.timedelta(minutes=16))
    assert done["sales_paid"] == 1
    assert Card.objects.get().balance.uses_left == 10


def test_a_purchase_is_its_buyers_only(bought, stranger, staff_user):
    for someone in (stranger, staff_user):
        assert purchase_of(someone, bought["purchase_id"]).status_code == 404


def test_a_card_not_on_sale_cannot_be_bought(standin, package, customer):
    package.active = False
    package.save()
    assert buy(customer, package).status_code == 404


def test_buying_needs_payments_set_up(package, customer):
    response = buy(customer, package)
    assert response.status_code == 404
    assert error_of(response)["code"] == "payments_not_configured"
    assert CardPurchase.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_notifications_at_once_make_one_card(standin, package, customer):
    bought = buy(customer, package).json()
    standin.pay(bought["out_trade_no"])
    notes = [standin.paid_notification(bought["out_trade_no"]) for _ in range(2)]
    results = together([lambda n=n: notify(n) for n in notes])
    assert results == [None, None]
    connections.close_all()
    assert Card.objects.count() == 1
    assert PaymentEntry.objects.filter(kind="sale").count() == 1
    assert CardEntry.objects.count() == 1


def paid_card(standin, product, customer):
    bought = buy(customer, product).json()
    standin.pay(bought["out_trade_no"])
    notify(standin.paid_notification(bought["out_trade_no"]))
    return Card.objects.get(purchase__public_id=bought["purchase_id"]), bought


def test_a_card_bought_online_is_refunded_through_wechat_pay(standin, package, customer):
    card, bought = paid_card(standin, package, customer)
    card_adjust(card=card, actor=owner_of(card), uses=-3, reason="用了三次")
    standin.refund_status = "SUCCESS"
    card_refund(card=card, actor=owner_of(card), channel="cash", reason="搬家")
    # 7 of 10 uses left of 680.00: 476.00 back to the payer, once, nothing at the counter.
    assert standin.refunded_total(bought["out_trade_no"]) == 47600
    [(no, asked)] = standin.refunds.items()
    assert asked["reason"] == "搬家"
    refund = Refund.objects.get()
    assert (refund.state, refund.amount, refund.account) == ("succeeded", Decimal("476.00"), None)
    back = PaymentEntry.objects.get(kind="refund")
    assert (back.amount, back.channel, back.business_id) == (
        Decimal("476.00"),
        "wechat_native",
        card.business_id,
    )
    assert back.wechat_refund_id == refund.wechat_refund_id != ""
    card.refresh_from_db()
    assert card.status == Card.Status.REFUNDED
    report = cards_liability(
        business=card.business, start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=1)
    )
    assert (report.sales_amount, report.refunds_amount) == (Decimal("680.00"), Decimal("476.00"))
    # WeChat Pay's notification of the same refund changes nothing more.
    notify(standin.refund_notification(no))
    assert PaymentEntry.objects.filter(kind="refund").count() == 1


def test_a_refund_not_answered_is_asked_again_with_the_same_number(standin, package, customer):
    card, bought = paid_card(standin, package, customer)
    standin.fail_next = 1  # WeChat Pay cannot be reached
    card_refund(card=card, actor=owner_of(card), channel="cash")
    refund = Refund.objects.get()
    assert refund.state == "pending" and standin.refunds == {}
    standin.refund_status = "SUCCESS"
    sweep(now=NOW + dt.timedelta(minutes=3))
    assert list(standin.refunds) == [refund.out_refund_no]
    sweep(now=NOW + dt.timedelta(minutes=6))  # answered: not asked again
    assert standin.refunded_total(bought["out_trade_no"]) == 68000
    refund.refresh_from_db()
    assert refund.state == "succeeded"
    assert PaymentEntry.objects.filter(kind="refund").count() == 1


def test_top_ups_at_the_counter_go_back_at_the_counter(standin, stored, customer):
    card, bought = paid_card(standin, stored, customer)
    card_top_up(card=card, actor=owner_of(card), channel="cash", amount=Decimal("300.00"))
    standin.refund_status = "SUCCESS"
    card_refund(card=card, actor=owner_of(card), channel="cash")
    assert standin.refunded_total(bought["out_trade_no"]) == 100000
    assert sorted(PaymentEntry.objects.filter(kind="refund").values_list("channel", "amount")) == [
        ("cash", Decimal("300.00")),
        ("wechat_native", Decimal("1000.00")),
    ]
