"""What goes back to the customer when an appointment paid online does not happen
(docs/payments.md#refunds-by-policy). Plain functions over loaded rows."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.permissions import cancel_cutoff
from yuyue.bookings.services import UNPAID_REASON
from yuyue.payments.models import ZERO, Order, PaymentAccount, Refund

SETTLED_STATUSES = (Status.CANCELLED, Status.NO_SHOW)


def refundable_by_order(account: PaymentAccount) -> list[tuple[Order, Decimal]]:
    """Each paid order with what of it may still be refunded (refunds under way counted),
    newest first."""
    orders = list(account.orders.filter(state=Order.State.PAID).order_by("-id"))
    asked = {
        row["order"]: row["total"]
        for row in Refund.objects.filter(account=account)
        .exclude(state=Refund.State.FAILED)
        .values("order")
        .annotate(total=Sum("amount"))
    }
    return [(order, order.amount - asked.get(order.pk, ZERO)) for order in orders]


def split_over_orders(*, account: PaymentAccount, amount: Decimal) -> list[tuple[Order, Decimal]]:
    """`amount` (or as much of it as is left) as refunds of the paid orders, newest first."""
    parts: list[tuple[Order, Decimal]] = []
    left = amount
    for order, refundable in refundable_by_order(account):
        if left <= 0:
            break
        part = min(left, refundable)
        if part > 0:
            parts.append((order, part))
            left -= part
    return parts


def _customer_cancels(*, appointment: Appointment, refundable: Decimal, at: dt.datetime) -> Decimal:
    """What goes back when the customer cancels at `at`: everything before the service's
    cut-off; after it, everything but what was owed online when the business keeps it."""
    if at <= cancel_cutoff(appointment) or not appointment.business.keeps_deposit_after_cutoff:
        return refundable
    return refundable - min(appointment.online_due, refundable)


def refund_due(*, appointment: Appointment, account: PaymentAccount) -> Decimal:
    """What the policy gives back of what was paid online.

    What the booking owed online (`online_due`: the deposit, or the price when prepaid in
    full) is "the deposit" here; anything paid beyond it (a second order paid by mistake)
    always goes back.
    """
    refundable = sum((part for _order, part in refundable_by_order(account)), ZERO)
    kept = min(appointment.online_due, refundable)
    if appointment.status == Status.NO_SHOW:
        return refundable - kept
    cancelled = (
        appointment.events.filter(action=AppointmentEvent.Action.CANCELLED)
        .order_by("-created_at", "-id")
        .first()
    )
    if cancelled is None or cancelled.reason == UNPAID_REASON:
        return refundable
    by_customer = cancelled.actor_id == appointment.customer_id
    if not by_customer:
        return refundable  # the business cancelled or declined: all back, always
    return _customer_cancels(
        appointment=appointment, refundable=refundable, at=cancelled.created_at
    )


@dataclass(frozen=True)
class IfCancelled:
    """What a cancellation now would give back of what was paid online, and what it keeps."""

    back: Decimal
    kept: Decimal


def refund_if_cancelled_now(
    *,
    appointment: Appointment,
    account: PaymentAccount | None,
    by_customer: bool,
    now: dt.datetime,
) -> IfCancelled | None:
    """What would go back if the appointment were cancelled now, by its customer or by the
    business: what the customer is told before confirming a cancellation. The same rule
    refund_due applies once it is cancelled. None when nothing was paid online."""
    parts = refundable_by_order(account) if account is not None else []
    if not parts:
        return None
    refundable = sum((part for _order, part in parts), ZERO)
    back = (
        _customer_cancels(appointment=appointment, refundable=refundable, at=now)
        if by_customer
        else refundable  # the business cancelling: all back, always
    )
    return IfCancelled(back=back, kept=refundable - back)


# The reasons the system gives its own refunds (services.py): kept as codes, read as words in
# the back office and sent as words to WeChat Pay, which shows them to the payer.
SYSTEM_REFUND_REASONS = {
    "policy": _("By the refund policy"),
    "released": _("Paid after the hold was released"),
}


def refund_reason_text(reason: str) -> str:
    """A refund's reason as people read it, in the active language."""
    return str(SYSTEM_REFUND_REASONS.get(reason, reason))
