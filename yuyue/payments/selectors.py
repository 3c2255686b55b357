"""Reads of money: what an appointment owes and has paid, and what the sweep has to do."""

import datetime as dt
from typing import Any

from django.utils import timezone

from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.permissions import CUSTOMER, AppointmentPermissions
from yuyue.bookings.services import UNPAID_REASON
from yuyue.payments.models import ZERO, Order, PaymentAccount
from yuyue.payments.policy import SETTLED_STATUSES, IfCancelled, refund_if_cancelled_now


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
