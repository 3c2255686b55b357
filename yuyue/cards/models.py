"""Member cards: the products a business sells, the cards its customers hold, and the
append-only ledger of every movement on a card (docs/cards.md)."""

import secrets
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business, Service
from yuyue.customers.models import Customer
from yuyue.payments.models import PaymentEntry

ZERO = Decimal("0.00")
MAX_NAME_LENGTH = 100
MAX_TERMS_LENGTH = 2000
MAX_REASON_LENGTH = 200
# The payments order's purpose for a card bought online; its hook is card_purchase_paid.
PURCHASE_PURPOSE = "card"


def _money(verbose: Any, **extra: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=10, decimal_places=2, **extra)


def package_value(*, price: Decimal, uses_left: int, uses: int) -> Decimal:
    """What a package's unused uses are worth: its price pro rata, never more than the price,
    to the fen (half up). A refund gives this back; the liability report sums it."""
    if uses <= 0:
        return ZERO
    unused = max(0, min(uses_left, uses))
    return (price * unused / uses).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def new_card_id() -> str:
    # Unguessable, like an appointment's: a card's id in a URL names nobody else's card.
    return secrets.token_urlsafe(12)


class Kind(models.TextChoices):
    PACKAGE = "package", _("Package (次卡)")
    STORED_VALUE = "stored_value", _("Stored value (储值卡)")


class CardProduct(models.Model):
    """What a business sells: N uses of some services (a package), or credit for a price plus
    a bonus (stored value). A card sold copies what it needs, so editing a product never
    changes the cards already sold."""

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="card_products", verbose_name=_("business")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    # Package: the services a use pays for.
    services = models.ManyToManyField(
        Service, blank=True, related_name="card_products", verbose_name=_("services")
    )
    uses = models.PositiveIntegerField(_("uses"), default=0)
    # Days a card can be used, counted from the day it is bought; empty: no end.
    valid_days = models.PositiveIntegerField(_("valid days"), null=True, blank=True)
    price = _money(_("price"))
    # Stored value: credit given on top of the price paid (pay 1000, get 1200).
    bonus = _money(_("bonus"), default=ZERO)
    # Stored value: services cost this much less when paid with the card (10 = 10% off).
    discount_percent = models.PositiveSmallIntegerField(_("member discount (%)"), default=0)
    # Whether a no-show uses the card (the reservation is kept) or releases it.
    no_show_uses = models.BooleanField(_("a no-show uses the card"), default=True)
    terms = models.TextField(_("terms"), blank=True, max_length=MAX_TERMS_LENGTH)
    active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("card product")
        verbose_name_plural = _("card products")
        ordering = ["business", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="card_product_price"),
            models.CheckConstraint(condition=models.Q(bonus__gte=0), name="card_product_bonus"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__lte=99), name="card_product_discount"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="stored_value") | models.Q(uses__gt=0),
                name="card_product_package_uses",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Where a card bought of it counts its days: its business's zone."""
        return self.business.zone


class Card(models.Model):
    """One card a customer holds: the product's terms as sold, and its state. What is left on
    it is its `balance` row; how it got there, its entries."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REFUNDED = "refunded", _("Refunded")

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_card_id, editable=False
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="cards", verbose_name=_("business")
    )
    product = models.ForeignKey(
        CardProduct, on_delete=models.PROTECT, related_name="cards", verbose_name=_("product")
    )
    # The business's record of the holder; the holder's account is the record's.
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cards", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services")
    )
    uses = models.PositiveIntegerField(_("uses"), default=0)
    price = _money(_("price paid"))
    bonus = _money(_("bonus"), default=ZERO)
    discount_percent = models.PositiveSmallIntegerField(_("member discount (%)"), default=0)
    no_show_uses = models.BooleanField(_("a no-show uses the card"), default=True)
    terms = models.TextField(_("terms"), blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    bought_at = models.DateTimeField(_("bought at"))
    # The first instant it can no longer be used; empty: no end.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sold by"),
    )

    class Meta:
        verbose_name = _("member card")
        verbose_name_plural = _("member cards")
        ordering = ["-bought_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"], name="card_expiry")]

    def __str__(self) -> str:
        return f"{self.name} · {self.public_id}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """Where its days are counted (and its end shown): its business's zone."""
        return self.business.zone


class CardBalance(models.Model):
    """What is left on one card, reservations included. Updated only in the transaction that
    writes the card's entry, under this row's lock, by the deltas of that entry: so it is
    always the sum of the entries. The database refuses anything below zero, and reservations
    beyond what is there."""

    card = models.OneToOneField(
        Card, on_delete=models.PROTECT, primary_key=True, related_name="balance"
    )
    uses_left = models.IntegerField(_("uses left"), default=0)
    principal = _money(_("principal"), default=ZERO)
    bonus = _money(_("bonus"), default=ZERO)
    # Held by bookings not yet used nor released: part of the above, not available.
    reserved_uses = models.IntegerField(_("uses reserved"), default=0)
    reserved_principal = _money(_("principal reserved"), default=ZERO)
    reserved_bonus = _money(_("bonus reserved"), default=ZERO)

    class Meta:
        verbose_name = _("card balance")
        verbose_name_plural = _("card balances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uses_left__gte=0)
                & models.Q(principal__gte=0)
                & models.Q(bonus__gte=0)
                & models.Q(reserved_uses__gte=0)
                & models.Q(reserved_principal__gte=0)
                & models.Q(reserved_bonus__gte=0),
                name="card_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(reserved_uses__lte=models.F("uses_left"))
                & models.Q(reserved_principal__lte=models.F("principal"))
                & models.Q(reserved_bonus__lte=models.F("bonus")),
                name="card_balance_reserved_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.uses_left} / {self.principal} + {self.bonus}"

    @property
    def amount(self) -> Decimal:
        """A stored value card's credit left, principal and bonus."""
        return self.principal + self.bonus

    @property
    def reserved_amount(self) -> Decimal:
        return self.reserved_principal + self.reserved_bonus

    @property
    def uses_available(self) -> int:
        return self.uses_left - self.reserved_uses

    @property
    def principal_available(self) -> Decimal:
        return self.principal - self.reserved_principal

    @property
    def bonus_available(self) -> Decimal:
        return self.bonus - self.reserved_bonus


# The columns of a balance, each an entry's delta of the same name.
BALANCE_FIELDS = (
    "uses_left",
    "principal",
    "bonus",
    "reserved_uses",
    "reserved_principal",
    "reserved_bonus",
)


class AppendOnly(Exception):
    pass


class CardEntry(models.Model):
    """One movement on a card, never changed nor deleted: its deltas to each balance column
    (a use of a reserved use: uses_left -1 and reserved_uses -1), and the money it moved, if
    any, through the payments ledger."""

    class Kind(models.TextChoices):
        SALE = "sale", _("Sale")
        TOP_UP = "top_up", _("Top-up")
        BONUS = "bonus", _("Bonus")
        RESERVE = "reserve", _("Reserved by a booking")
        USE = "use", _("Used")
        USE_UNDONE = "use_undone", _("Use taken back")
        RELEASE = "release", _("Released")
        REFUND = "refund", _("Refund")
        EXPIRY = "expiry", _("Expired")
        ADJUSTMENT = "adjustment", _("Adjustment")

    card = models.ForeignKey(
        Card, on_delete=models.PROTECT, related_name="entries", verbose_name=_("card")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    uses_left = models.IntegerField(_("uses"), default=0)
    principal = _money(_("principal"), default=ZERO)
    bonus = _money(_("bonus"), default=ZERO)
    reserved_uses = models.IntegerField(_("uses reserved"), default=0)
    reserved_principal = _money(_("principal reserved"), default=ZERO)
    reserved_bonus = _money(_("bonus reserved"), default=ZERO)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_entries",
        verbose_name=_("appointment"),
    )
    payment = models.ForeignKey(
        PaymentEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment"),
    )
    reason = models.CharField(_("reason"), max_length=MAX_REASON_LENGTH, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("card entry")
        verbose_name_plural = _("card entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"], name="card_entry_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.card_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("card entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("card entries are never deleted")


class CardPurchase(models.Model):
    """A card bought online through WeChat Pay: what is bought and by whom, and the payments
    order paying it. When WeChat Pay says the order is paid, the card is made once, in the
    transaction that records the payment (docs/cards.md#money); an order never paid lapses
    (the payment sweep closes it) and no card is made."""

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_card_id, editable=False
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="+", verbose_name=_("business")
    )
    product = models.ForeignKey(
        CardProduct, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("buyer"),
    )
    order = models.OneToOneField(
        "payments.Order", on_delete=models.PROTECT, related_name="+", verbose_name=_("order")
    )
    card = models.OneToOneField(
        Card,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="purchase",
        verbose_name=_("card"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("card bought online")
        verbose_name_plural = _("cards bought online")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.public_id
