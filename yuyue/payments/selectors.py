"""Reads of money: what an appointment owes and has paid, what the sweep has to do, and the
owner's payments page and reconciliation."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.permissions import CUSTOMER, AppointmentPermissions
from yuyue.bookings.services import UNPAID_REASON
from yuyue.catalog.models import Business
from yuyue.payments.errors import RefundChanged
from yuyue.payments.models import ZERO, Channel, Order, PaymentAccount, PaymentEntry, Refund
from yuyue.payments.policy import (
    SETTLED_STATUSES,
    IfCancelled,
    refund_if_cancelled_now,
    refundable_by_order,
)


def unpaid_holds_due(*, now: dt.datetime, limit: int) -> list[Appointment]:
    return list(
        Appointment.objects.filter(status=Status.AWAITING_PAYMENT, pay_by__lte=now).order_by(
            "pay_by", "id"
        )[:limit]
    )


def accounts_to_settle(*, limit: int) -> list[PaymentAccount]:
    return list(
        PaymentAccount.objects.filter(
            settled_at__isnull=True,
            paid__gt=0,
            appointment__status__in=SETTLED_STATUSES,
        ).select_related("appointment")[:limit]
    )


def payment_summary(appointment: Appointment) -> dict[str, Any]:
    """`payment` as every appointment in the API shows it: {mode, amount_due, amount_paid,
    amount_refunded, pay_by, state}. Reads the account the caller prefetched, if it did."""
    try:
        account: PaymentAccount | None = appointment.payment_account
    except PaymentAccount.DoesNotExist:
        account = None
    paid = account.paid if account is not None else ZERO
    refunded = account.refunded if account is not None else ZERO
    refunding = account.refunding if account is not None else ZERO
    due = appointment.online_due
    if due <= 0:
        mode = "none"
    elif due >= appointment.price:
        mode = "full"
    else:
        mode = "deposit"
    if refunding > 0:
        state = "refunding"
    elif refunded > 0:
        state = "refunded" if refunded >= paid else "partly_refunded"
    elif appointment.status == Status.AWAITING_PAYMENT:
        state = "awaiting"
    elif paid > 0:
        state = "paid"
    elif due > 0 and _released_unpaid(appointment):
        state = "expired"
    else:
        state = "none"
    return {
        "mode": mode,
        "amount_due": due,
        "amount_paid": paid,
        "amount_refunded": refunded,
        "pay_by": appointment.pay_by,
        "state": state,
    }


def _account(appointment: Appointment) -> PaymentAccount | None:
    try:
        return appointment.payment_account
    except PaymentAccount.DoesNotExist:
        return None


def cancel_refund(
    *,
    appointment: Appointment,
    permissions: AppointmentPermissions,
    now: dt.datetime | None = None,
) -> IfCancelled | None:
    """What would come back of what was paid online if the one asking (`permissions`, the
    rule's answer for them) cancelled now; None when they may not cancel or nothing was paid
    online. What a customer is told before confirming a late cancellation."""
    if not permissions.can_cancel:
        return None
    account = _account(appointment)
    if account is None or account.paid <= account.refunded + account.refunding:
        return None
    return refund_if_cancelled_now(
        appointment=appointment,
        account=account,
        by_customer=permissions.role == CUSTOMER,
        now=now if now is not None else timezone.now(),
    )


def require_refund_as_shown(
    *,
    appointment: Appointment,
    permissions: AppointmentPermissions,
    shown: Decimal,
    now: dt.datetime | None = None,
) -> None:
    """A cancellation confirmed on the terms the caller was shown: RefundChanged when what
    would come back now (`cancel_refund`) is another amount."""
    outcome = cancel_refund(appointment=appointment, permissions=permissions, now=now)
    if (ZERO if outcome is None else outcome.back) != shown:
        raise RefundChanged()


def _released_unpaid(appointment: Appointment) -> bool:
    return (
        appointment.status == Status.CANCELLED
        and appointment.events.filter(
            action=AppointmentEvent.Action.CANCELLED, reason=UNPAID_REASON
        ).exists()
    )


def open_order(*, appointment: Appointment, method: str, now: dt.datetime) -> Order | None:
    """The order still open for this appointment and method, with its code or prepay id."""
    return (
        Order.objects.filter(
            account__appointment=appointment,
            method=method,
            state=Order.State.OPEN,
            expires_at__gt=now,
        )
        .exclude(code_url="", prepay_id="")
        .first()
    )


# The owner's side of money (docs/payments.md#the-payments-page) ---------------------------

# Entries that bring money in; refunds take it out.
INCOMING = (PaymentEntry.Kind.PAYMENT, PaymentEntry.Kind.COUNTER, PaymentEntry.Kind.SALE)
WECHAT_CHANNELS = (Channel.WECHAT_NATIVE, Channel.WECHAT_JSAPI)


@dataclass
class Sums:
    received: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.received - self.refunded

    def add(self, kind: str, amount: Decimal) -> None:
        if kind == PaymentEntry.Kind.REFUND:
            self.refunded += amount
        else:
            self.received += amount


@dataclass
class PaymentsReport:
    """A period's money at one business: per local day and channel, per channel, in all."""

    days: list[dict[str, Any]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)
    total: Sums = field(default_factory=Sums)
    refunds_pending: list[Refund] = field(default_factory=list)
    orders_closed: list[Order] = field(default_factory=list)
    refunds_failed: list[Refund] = field(default_factory=list)


def _business_entries(*, business: Business, start: dt.datetime, end: dt.datetime):
    # An appointment's entries, and those of things sold on their own (member cards), which
    # name the business instead.
    return PaymentEntry.objects.filter(
        Q(appointment__business=business) | Q(business=business),
        created_at__gte=start,
        created_at__lt=end,
    )


def ledger_net(*, business: Business, start: dt.datetime, end: dt.datetime) -> Sums:
    """Money received (online and at the counter) and refunded in [start, end): the
    dashboard's revenue is its net."""
    totals = _business_entries(business=business, start=start, end=end).aggregate(
        received=Sum("amount", filter=Q(kind__in=INCOMING)),
        refunded=Sum("amount", filter=Q(kind=PaymentEntry.Kind.REFUND)),
    )
    return Sums(received=totals["received"] or ZERO, refunded=totals["refunded"] or ZERO)


def payments_report(
    *, business: Business, start: dt.datetime, end: dt.datetime, zone: dt.tzinfo
) -> PaymentsReport:
    """The payments page: the period's ledger summed by local day and channel, the refunds
    WeChat Pay has not answered yet (whenever asked), and the period's failures (orders
    closed unpaid, refunds that failed). A fixed number of queries."""
    report = PaymentsReport()
    by_day: dict[dt.date, dict[str, Sums]] = defaultdict(lambda: defaultdict(Sums))
    by_channel: dict[str, Sums] = defaultdict(Sums)
    rows = _business_entries(business=business, start=start, end=end).values_list(
        "kind", "channel", "amount", "created_at"
    )
    for kind, channel, amount, created_at in rows:
        day = created_at.astimezone(zone).date()
        by_day[day][channel].add(kind, amount)
        by_channel[channel].add(kind, amount)
        report.total.add(kind, amount)
    labels = dict(Channel.choices)
    for day in sorted(by_day):
        channels = by_day[day]
        day_sums = Sums()
        for sums in channels.values():
            day_sums.received += sums.received
            day_sums.refunded += sums.refunded
        report.days.append(
            {
                "day": day,
                "sums": day_sums,
                "channels": [
                    {"channel": channel, "label": labels[channel], "sums": channels[channel]}
                    for channel in Channel.values
                    if channel in channels
                ],
            }
        )
    report.channels = [
        {"channel": channel, "label": labels[channel], "sums": by_channel[channel]}
        for channel in Channel.values
        if channel in by_channel
    ]
    # An appointment's refunds, and those of the business's sales paid online (member cards).
    refunds = Refund.objects.filter(
        Q(account__appointment__business=business) | Q(order__business=business)
    ).select_related("order", "account__appointment__client")
    report.refunds_pending = list(refunds.filter(state=Refund.State.PENDING).order_by("created_at"))
    report.refunds_failed = list(
        refunds.filter(
            state=Refund.State.FAILED, updated_at__gte=start, updated_at__lt=end
        ).order_by("updated_at")
    )
    report.orders_closed = list(
        Order.objects.filter(
            account__appointment__business=business,
            state=Order.State.CLOSED,
            updated_at__gte=start,
            updated_at__lt=end,
        )
        .select_related("account__appointment__client")
        .order_by("updated_at")
    )
    return report


def ledger_rows(*, business: Business, start: dt.datetime, end: dt.datetime):
    """The period's ledger entries with what a spreadsheet of them shows, oldest first."""
    return (
        _business_entries(business=business, start=start, end=end)
        .select_related(
            "appointment__client", "appointment__service", "order", "refund", "recorded_by"
        )
        .order_by("created_at", "id")
    )


def appointment_money(appointment: Appointment) -> dict[str, Any]:
    """An appointment's money for the back office: what it owes online, what was paid (online
    and at the counter), refunded and being refunded, what an owner may still refund through
    WeChat Pay, and its ledger entries."""
    summary = payment_summary(appointment)
    try:
        account: PaymentAccount | None = appointment.payment_account
    except PaymentAccount.DoesNotExist:
        account = None
    refundable = ZERO
    if account is not None:
        refundable = sum((part for _order, part in refundable_by_order(account)), ZERO)
    return {
        **summary,
        "amount_refunding": account.refunding if account is not None else ZERO,
        "net": summary["amount_paid"] - summary["amount_refunded"],
        "refundable_online": refundable,
        "entries": list(
            PaymentEntry.objects.filter(appointment=appointment)
            .select_related("recorded_by", "refund")
            .order_by("created_at", "id")
        ),
    }
