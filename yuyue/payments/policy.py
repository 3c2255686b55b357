"""What goes back to the customer when an appointment paid online does not happen
(docs/payments.md#refunds-by-policy). Plain functions over loaded rows."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from yuyue.bookings.models import Appointment, AppointmentEvent, Status
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
    cutoff = appointment.start - dt.timedelta(minutes=appointment.service.cancel_cutoff_minutes)
    if cancelled.created_at <= cutoff or not appointment.business.keeps_deposit_after_cutoff:
        return refundable
    return refundable - kept
