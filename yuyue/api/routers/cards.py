"""Member cards: anyone sees the cards a business sells; customers see the cards they hold,
with their history; a card is its holder's and its business's only (docs/cards.md)."""

from django.http import Http404, HttpRequest
from ninja import Query, Router

from yuyue.api.auth import bearer
from yuyue.api.schemas.cards import (
    CardDetailOut,
    CardId,
    CardPage,
    CardProductPage,
)
from yuyue.api.schemas.common import PageIn, Slug, errors, money, page_of
from yuyue.cards.models import Card, CardEntry, CardProduct
from yuyue.cards.selectors import card_for, card_history, card_products_on_sale, cards_of_holder
from yuyue.catalog.selectors import business_or_404, require_open

router = Router(tags=["cards"])


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
