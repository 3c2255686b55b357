"""Reads of member cards that depend on who asks: a card is its holder's and its business's
(owners and staff), nobody else's (docs/cards.md#who-sees-a-card)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yuyue.accounts.models import User
from yuyue.cards.models import (
    PURCHASE_PURPOSE,
    ZERO,
    Card,
    CardBalance,
    CardEntry,
    CardProduct,
    CardPurchase,
    Kind,
    package_value,
)
from yuyue.catalog.models import Business, Service
from yuyue.catalog.selectors import business_role
from yuyue.customers.models import Customer
from yuyue.payments.models import Order, PaymentEntry


def cards_of_holder(*, user: User | AnonymousUser) -> QuerySet[Card]:
    """The cards the account holds, at every business (none for nobody)."""
    if not user.is_authenticated:
        return Card.objects.none()
    return (
        Card.objects.filter(customer__user=user)
        .select_related("balance", "business")
        .order_by("-bought_at", "-id")
    )


def card_for(*, user: User | AnonymousUser | None, public_id: str) -> Card | None:
    """The card if the user may see it (its holder, or its business's owners and staff); else
    None, so a card of someone else's is as if it did not exist. The one access rule."""
    if user is None or not user.is_authenticated:
        return None
    card = (
        Card.objects.select_related("balance", "business", "customer")
        .filter(public_id=public_id)
        .first()
    )
    if card is None:
        return None
    if card.customer.user_id == user.pk:
        return card
    if business_role(user=user, business_id=card.business_id) is not None:
        return card
    return None


def cards_of_customer(*, customer: Customer) -> QuerySet[Card]:
    """A business's customer record's cards, newest first, with their balances (the back
    office's customer page)."""
    return (
        Card.objects.filter(customer=customer)
        .select_related("balance")
        .order_by("-bought_at", "-id")
    )


def card_history(*, card: Card) -> QuerySet[CardEntry]:
    return card.entries.select_related("appointment", "actor").order_by("created_at", "id")


def card_products_on_sale(*, business: Business) -> QuerySet[CardProduct]:
    return (
        CardProduct.objects.filter(business=business, active=True)
        .prefetch_related("services")
        .order_by("name", "id")
    )


def cards_usable_for(
    *, user: User | AnonymousUser, service: Service, now: dt.datetime | None = None
) -> QuerySet[Card]:
    """The caller's active cards that may pay for this service: stored value at its business,
    or a package for it. Whether enough is left is the reservation's to say, under its lock."""
    now = now or timezone.now()
    return (
        cards_of_holder(user=user)
        .filter(business_id=service.business_id, status=Card.Status.ACTIVE)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(kind=Kind.STORED_VALUE) | Q(services=service))
        .distinct()
    )


@dataclass(frozen=True)
class Liability:
    """What a business owes its card holders and what moved in a period (预收款), from the
    ledger's sums; the balance rows give the same outstanding figures (a test holds them to
    it)."""

    cards_sold: int
    sales_amount: Decimal  # money taken for cards (sales and top-ups) in the period
    refunds_amount: Decimal  # money given back for cards in the period
    uses_used: int  # package uses used in the period
    value_used: Decimal  # stored value used in the period (principal and bonus)
    principal_used: Decimal
    outstanding_principal: Decimal  # money received and not yet used: the liability
    outstanding_bonus: Decimal  # credit given, owed in service, not in money
    outstanding_uses: int
    outstanding_uses_value: Decimal  # the unused uses at their price pro rata


def _sum(queryset: QuerySet, field: str) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def cards_liability(*, business: Business, start: dt.datetime, end: dt.datetime) -> Liability:
    """The owner's report: cards sold, money in and back, uses in [start, end), and what is
    outstanding now (expired and refunded cards have nothing left, their entries say so)."""
    entries = CardEntry.objects.filter(card__business=business)
    period = entries.filter(created_at__gte=start, created_at__lt=end)
    sales = period.filter(kind=CardEntry.Kind.SALE)
    refunds = period.filter(kind=CardEntry.Kind.REFUND)
    uses = period.filter(kind__in=[CardEntry.Kind.USE, CardEntry.Kind.USE_UNDONE])
    value_used = -(_sum(uses, "principal") + _sum(uses, "bonus"))
    outstanding_uses_value = ZERO
    package_uses = (
        entries.filter(card__kind=Kind.PACKAGE)
        .values("card_id", "card__price", "card__uses")
        .annotate(left=Sum("uses_left"))
    )
    outstanding_uses = 0
    for row in package_uses:
        left = row["left"] or 0
        outstanding_uses += left
        outstanding_uses_value += package_value(
            price=row["card__price"], uses_left=left, uses=row["card__uses"]
        )
    return Liability(
        cards_sold=sales.aggregate(n=Count("card_id", distinct=True))["n"],
        sales_amount=_sum(
            period.filter(
                kind__in=[CardEntry.Kind.SALE, CardEntry.Kind.TOP_UP], payment__isnull=False
            ),
            "payment__amount",
        ),
        # At the counter (the card's refund entry names the money), and through WeChat Pay for
        # cards bought online (the money goes back after the card is closed, when WeChat Pay
        # answers: the payments ledger's refund of the card's order).
        refunds_amount=_sum(refunds.filter(payment__isnull=False), "payment__amount")
        + _sum(
            PaymentEntry.objects.filter(
                business=business,
                kind=PaymentEntry.Kind.REFUND,
                order__purpose=PURCHASE_PURPOSE,
                created_at__gte=start,
                created_at__lt=end,
            ),
            "amount",
        ),
        uses_used=-(uses.aggregate(n=Sum("uses_left"))["n"] or 0),
        value_used=value_used,
        principal_used=-_sum(uses, "principal"),
        outstanding_principal=_sum(entries, "principal"),
        outstanding_bonus=_sum(entries, "bonus"),
        outstanding_uses=outstanding_uses,
        outstanding_uses_value=outstanding_uses_value,
    )


def balances_total(*, business: Business) -> dict[str, Decimal | int]:
    """The same outstanding figures from the balance rows (the check the report is held to)."""
    totals = CardBalance.objects.filter(card__business=business).aggregate(
        principal=Sum("principal"), bonus=Sum("bonus"), uses=Sum("uses_left")
    )
    return {
        "principal": totals["principal"] or ZERO,
        "bonus": totals["bonus"] or ZERO,
        "uses": totals["uses"] or 0,
    }


def card_product_on_sale(*, business: Business, product_id: int) -> CardProduct | None:
    """One of the cards the business sells now (None: no such card on sale)."""
    return card_products_on_sale(business=business).filter(pk=product_id).first()


def card_purchase_for(*, user: User | AnonymousUser, public_id: str) -> CardPurchase | None:
    """A card bought online, seen by its buyer only."""
    if not user.is_authenticated:
        return None
    return (
        CardPurchase.objects.select_related("order", "card", "product", "business")
        .filter(public_id=public_id, buyer=user)
        .first()
    )


def card_purchase_state(purchase: CardPurchase) -> str:
    """`paid` once its card is made, `lapsed` when its order was closed unpaid, else `open`."""
    if purchase.card_id is not None:
        return "paid"
    return "lapsed" if purchase.order.state == Order.State.CLOSED else "open"
