"""The money of appointments: one account per appointment, the orders and refunds asked of
WeChat Pay, and the append-only ledger of every movement (docs/payments.md#the-ledger)."""

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.models import Appointment

ZERO = Decimal("0.00")


def _money(verbose: Any, **extra: Any) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=10, decimal_places=2, **extra)


class Method(models.TextChoices):
    WECHAT_NATIVE = "wechat_native", _("WeChat Pay (scan a code)")
    WECHAT_JSAPI = "wechat_jsapi", _("WeChat Pay (mini program)")


class Channel(models.TextChoices):
    WECHAT_NATIVE = "wechat_native", _("WeChat Pay (scan a code)")
    WECHAT_JSAPI = "wechat_jsapi", _("WeChat Pay (mini program)")
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    WECHAT_QR = "wechat_qr", _("The shop's WeChat QR code")
    ALIPAY_QR = "alipay_qr", _("The shop's Alipay QR code")


COUNTER_CHANNELS = (Channel.CASH, Channel.CARD, Channel.WECHAT_QR, Channel.ALIPAY_QR)


class PaymentAccount(models.Model):
    """What one appointment has paid and had back. Updated only in the transaction that writes
    the ledger entry, under this row's lock; the database refuses refunds beyond what was
    paid, refunds under way included."""

    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        related_name="payment_account",
        verbose_name=_("appointment"),
    )
    currency = models.CharField(_("currency"), max_length=3)
    paid = _money(_("paid"), default=ZERO)
    refunded = _money(_("refunded"), default=ZERO)
    # Asked of WeChat Pay and not answered yet: counted against what may still be refunded.
    refunding = _money(_("refund under way"), default=ZERO)
    # When the refund policy was applied to a cancellation or no-show (once).
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid__gte=0)
                & models.Q(refunded__gte=0)
                & models.Q(refunding__gte=0),
                name="payment_account_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    refunded__lte=models.F("paid") - models.F("refunding"),
                ),
                name="payment_account_refunds_within_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment.public_id} · {self.paid} / {self.refunded}"

    @property
    def net(self) -> Decimal:
        return self.paid - self.refunded


class Order(models.Model):
    """One attempt to pay online through WeChat Pay: an appointment's (its account), or a
    sale's of a business (a member card bought online, docs/cards.md#money): then `purpose`
    names the app that sold it, whose hook (yuyue/payments/hooks.py) finishes the sale once
    it is paid, and the app's own row points at the order."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed")

    account = models.ForeignKey(
        PaymentAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("account"),
    )
    business = models.ForeignKey(
        "catalog.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business"),
    )
    purpose = models.CharField(_("sold"), max_length=20, blank=True)
    out_trade_no = models.CharField(_("order number"), max_length=32, unique=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    amount = _money(_("amount"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    code_url = models.CharField(_("code URL"), max_length=255, blank=True)
    prepay_id = models.CharField(_("prepay id"), max_length=128, blank=True)
    transaction_id = models.CharField(_("WeChat transaction id"), max_length=64, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="order_amount_positive"),
            # An appointment's order, or a sale's of a business (with what sold it).
            models.CheckConstraint(
                condition=models.Q(account__isnull=False, business__isnull=True, purpose="")
                | (models.Q(account__isnull=True, business__isnull=False) & ~models.Q(purpose="")),
                name="order_appointment_or_sale",
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="order_open_expiry")]

    def __str__(self) -> str:
        return self.out_trade_no


class Refund(models.Model):
    """One refund asked of WeChat Pay. Its out_refund_no is sent again on a retry, so WeChat
    Pay refunds it once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Under way")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    # An appointment's refund; empty for a sale's (its order names the business).
    account = models.ForeignKey(
        PaymentAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("account"),
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    out_refund_no = models.CharField(_("refund number"), max_length=64, unique=True)
    amount = _money(_("amount"))
    reason = models.CharField(_("reason"), max_length=80, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    wechat_refund_id = models.CharField(_("WeChat refund id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.out_refund_no


class AppendOnly(Exception):
    pass


class PaymentEntry(models.Model):
    """One movement of money, never changed nor deleted (docs/payments.md#the-ledger).

    Most are an appointment's. Money for something sold on its own (a member card,
    docs/cards.md#money) is a `sale`, or a `refund` of one, with no appointment: it names its
    business instead, and the app that sold it links its own row to the entry."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")
        COUNTER = "counter", _("Paid at the counter")
        SALE = "sale", _("Sale (not an appointment)")

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_entries",
        verbose_name=_("appointment"),
    )
    business = models.ForeignKey(
        "catalog.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    amount = _money(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refund = models.ForeignKey(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transaction_id = models.CharField(_("WeChat transaction id"), max_length=64, blank=True)
    wechat_refund_id = models.CharField(_("WeChat refund id"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_entry_amount_positive"
            ),
            # Every entry is an appointment's, or a sale's (and its refund's) of a business.
            models.CheckConstraint(
                condition=models.Q(appointment__isnull=False, business__isnull=True)
                | models.Q(
                    appointment__isnull=True, business__isnull=False, kind__in=["sale", "refund"]
                ),
                name="payment_entry_appointment_or_sale",
            ),
            # Exactly once: an order is paid once, a refund is refunded once.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="payment"),
                name="payment_entry_once_per_order",
            ),
            # A sale paid online is recorded once too.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="sale"),
                name="payment_entry_sale_once_per_order",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(kind="refund"),
                name="payment_entry_once_per_refund",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="payment_entry_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.amount} {self.currency}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnly("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger entries are never deleted")


class SeenNotification(models.Model):
    """The nonce of every notification from WeChat Pay that was accepted: the same signed
    request sent again (a replay) is refused. WeChat Pay's own retries carry a new nonce; they
    are answered 204 and change nothing. Older than the 5-minute window, a row may go: the
    timestamp check refuses such a request anyway."""

    nonce = models.CharField(max_length=64, unique=True)
    notification_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification received")
        verbose_name_plural = _("notifications received")

    def __str__(self) -> str:
        return self.nonce
