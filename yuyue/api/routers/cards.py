"""Member cards: anyone sees the cards a business sells; customers see the cards they hold,
with their history; a card is its holder's and its business's only (docs/cards.md)."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from yuyue.api.auth import bearer
from yuyue.api.schemas.appointments import JsapiParams, PayIn
from yuyue.api.schemas.cards import (
    CardDetailOut,
    CardId,
    CardPage,
    CardProductPage,
    CardPurchaseOut,
    PurchaseId,
)
from yuyue.api.schemas.common import Id, PageIn, Slug, errors, money, page_of
from yuyue.cards.models import Card, CardEntry, CardProduct, CardPurchase
from yuyue.cards.selectors import (
    card_for,
    card_history,
    card_product_on_sale,
    card_products_on_sale,
    card_purchase_for,
    card_purchase_state,
    cards_of_holder,
)
from yuyue.cards.services import card_purchase_start
from yuyue.catalog.selectors import business_or_404, require_open

router = Router(tags=["cards"])


# Here, not with the other card schemas: the booking schemas import those (a card to pay with).
class CardBuyOut(Schema):
    purchase_id: str = Field(description="Ask `GET /card-purchases/{id}` until `card_id` is set.")
    method: str
    out_trade_no: str
    amount: str
    code_url: str | None = Field(description="wechat_native: show it as a QR code.")
    jsapi: JsapiParams | None = Field(description="wechat_jsapi: pass to wx.requestPayment.")
    pay_by: dt.datetime


def product_out(product: CardProduct) -> dict:
    return {
        "id": product.pk,
        "kind": product.kind,
        "name": product.name,
        "price": money(product.price),
        "uses": product.uses,
        "valid_days": product.valid_days,
        "bonus": money(product.bonus),
        "discount_percent": product.discount_percent,
        "no_show_uses": product.no_show_uses,
        "services": [{"id": s.pk, "name": s.name} for s in product.services.all()],
        "terms": product.terms,
    }


def card_out(card: Card) -> dict:
    balance = card.balance
    zone = card.zone
    return {
        "id": card.public_id,
        "business": {"slug": card.business.slug, "name": card.business.name},
        "kind": card.kind,
        "name": card.name,
        "status": card.status,
        "uses": card.uses,
        "uses_left": balance.uses_left,
        "uses_reserved": balance.reserved_uses,
        "principal": money(balance.principal),
        "bonus": money(balance.bonus),
        "amount_reserved": money(balance.reserved_principal + balance.reserved_bonus),
        "balance_available": money(balance.principal_available + balance.bonus_available),
        "discount_percent": card.discount_percent,
        "price": money(card.price),
        "services": [{"id": s.pk, "name": s.name} for s in card.services.all()],
        "bought_at": card.bought_at.astimezone(zone),
        "expires_at": None if card.expires_at is None else card.expires_at.astimezone(zone),
        "terms": card.terms,
    }


def entry_out(entry: CardEntry, card: Card) -> dict:
    return {
        "kind": entry.kind,
        "label": entry.get_kind_display(),
        "at": entry.created_at.astimezone(card.zone),
        "uses": entry.uses_left,
        "principal": money(entry.principal),
        "bonus": money(entry.bonus),
        "appointment_id": None if entry.appointment is None else entry.appointment.public_id,
        "reason": entry.reason,
    }


@router.get(
    "/businesses/{slug}/card-products",
    auth=None,
    response={200: CardProductPage, **errors(404, 422)},
    summary="The member cards a business sells",
)
def card_products(request: HttpRequest, slug: Slug, page: Query[PageIn]) -> dict:
    """Packages (N uses of some services) and stored value cards on sale, with their terms."""
    business = business_or_404(slug)
    return page_of(card_products_on_sale(business=business), page, product_out)


@router.get(
    "/me/cards",
    auth=bearer,
    response={200: CardPage, **errors(401, 422)},
    summary="My member cards",
)
def my_cards(request: HttpRequest, page: Query[PageIn]) -> dict:
    """The cards the caller holds, at every business: uses left, balance, expiry. Book with
    one by passing its `id` as `card_id`."""
    cards = cards_of_holder(user=request.auth).prefetch_related("services")
    return page_of(cards, page, card_out)


@router.get(
    "/cards/{card_id}",
    auth=bearer,
    response={200: CardDetailOut, **errors(401, 404, 422)},
    summary="A member card and its history",
)
def card_detail(request: HttpRequest, card_id: CardId) -> dict:
    """Its holder and its business's owners and staff see it, with every movement on it;
    to anyone else it does not exist (404)."""
    card = card_for(user=request.auth, public_id=card_id)
    if card is None:
        raise Http404
    require_open(card.business)
    return {
        **card_out(card),
        "history": [entry_out(entry, card) for entry in card_history(card=card)],
    }


@router.post(
    "/businesses/{slug}/card-products/{product_id}/buy",
    auth=bearer,
    response={200: CardBuyOut, **errors(400, 401, 403, 404, 422, 503)},
    summary="Buy a member card online",
)
def card_buy(request: HttpRequest, slug: Slug, product_id: Id, payload: PayIn) -> dict:
    """Pay a card on sale through WeChat Pay, as `/appointments/{id}/pay` pays a booking:
    `wechat_native` answers a `code_url`, `wechat_jsapi` the parameters of `wx.requestPayment`.
    The card is made when WeChat Pay says it is paid: ask `GET /card-purchases/{purchase_id}`
    until its `card_id` is set. Asking again while the order is open offers the same one. 404
    `payments_not_configured` when online payment is not set up here; 503
    `payment_unavailable` when WeChat Pay cannot be reached: try again."""
    business = business_or_404(slug)
    require_open(business)
    product = card_product_on_sale(business=business, product_id=product_id)
    if product is None:
        raise Http404
    purchase, started = card_purchase_start(
        product=product, actor=request.auth, method=payload.method
    )
    order = started.order
    return {
        "purchase_id": purchase.public_id,
        "method": order.method,
        "out_trade_no": order.out_trade_no,
        "amount": money(order.amount),
        "code_url": started.code_url or None,
        "jsapi": started.jsapi or None,
        "pay_by": order.expires_at.astimezone(product.zone),
    }


def purchase_out(purchase: CardPurchase) -> dict:
    return {
        "id": purchase.public_id,
        "product_id": purchase.product_id,
        "name": purchase.product.name,
        "amount": money(purchase.order.amount),
        "state": card_purchase_state(purchase),
        "card_id": None if purchase.card is None else purchase.card.public_id,
        "pay_by": purchase.order.expires_at.astimezone(purchase.product.zone),
    }


@router.get(
    "/card-purchases/{purchase_id}",
    auth=bearer,
    response={200: CardPurchaseOut, **errors(401, 404, 422)},
    summary="A member card bought online",
)
def card_purchase(request: HttpRequest, purchase_id: PurchaseId) -> dict:
    """Its buyer only (404 to anyone else): `open` until WeChat Pay says it is paid, then
    `paid` with the new card's `card_id`; `lapsed` when it was not paid in time."""
    purchase = card_purchase_for(user=request.auth, public_id=purchase_id)
    if purchase is None:
        raise Http404
    return purchase_out(purchase)
