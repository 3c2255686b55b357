"""The business's booking rules about a customer (docs/booking.md#booking-rules), in one place.

Every edge books through `appointment_create`, which calls `booking_rules_check` under the
staff locks and the customer record's lock, so the API, the customer pages, the mini program
(through the API) and the back office refuse with the same reason. The release time (放号) is
not here: it decides which starts exist, so it is the availability engine's
(yuyue/scheduling/engine.py), like the horizon.

- At most `max_future_bookings` future bookings per customer, counted in all or per service.
- `no_show_limit` no-shows within `no_show_window_days` days: the customer's bookings then
  need a deposit (held awaiting payment, docs/payments.md#the-hold) or are refused, until an
  owner lifts the rule for them (`customer_no_shows_lift`, yuyue/bookings/services.py).

Staff booking for a customer are held by neither: they book by phone or at the desk, where
they see the customer's history, and may waive a payment anyway.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yuyue.bookings.errors import BookingLimitReached, NoShowRule
from yuyue.bookings.models import HOLDING_STATUSES, Appointment, Status
from yuyue.catalog.models import BookingLimitScope, Business, NoShowAction, PaymentMode, Service
from yuyue.customers.models import Customer


@dataclass(frozen=True)
class RuleOutcome:
    """What the rules ask of a booking they let through: at least this much paid online."""

    deposit: Decimal = Decimal("0.00")


def rules_apply(business: Business) -> bool:
    """Whether any rule about customers is on (else nothing is counted or locked for them)."""
    return business.max_future_bookings is not None or business.no_show_limit is not None


def counted_no_shows(*, business: Business, record: Customer, now: dt.datetime) -> int:
    """The record's no-shows the rule counts at `now`: within the window, after any lift."""
    since = now - dt.timedelta(days=business.no_show_window_days)
    if record.no_shows_lifted_at is not None:
        since = max(since, record.no_shows_lifted_at)
    return Appointment.objects.filter(
        client=record, status=Status.NO_SHOW, start__gte=since, start__lte=now
    ).count()


def no_show_rule_applies(*, business: Business, record: Customer, now: dt.datetime) -> bool:
    """Whether the no-show rule holds this customer now (the back office shows it too)."""
    limit = business.no_show_limit
    if limit is None:
        return False
    return counted_no_shows(business=business, record=record, now=now) >= limit


def deposit_reason(appointment: Appointment) -> str:
    """Why the customer pays a deposit, when the no-show rule asked it ("" otherwise): a
    booking of a service that asks nothing online owes something only by that rule."""
    if appointment.online_due > 0 and appointment.service.payment_mode == PaymentMode.NONE:
        return _("A deposit is asked because of missed appointments here.")
    return ""


def booking_rules_check(
    *,
    service: Service,
    record: Customer,
    now: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> RuleOutcome:
    """Refuse a customer's own booking the business's rules do not allow, or say what it must
    pay. Call under the record's lock (`customer_record_for_update`): what is counted cannot
    change before the booking is written. `exclude_appointment_id`: one being replaced."""
    business = service.business
    limit = business.max_future_bookings
    if limit is not None:
        upcoming = Appointment.objects.filter(
            client=record, status__in=HOLDING_STATUSES, start__gt=now
        )
        if business.max_future_bookings_scope == BookingLimitScope.SERVICE:
            upcoming = upcoming.filter(service=service)
        if exclude_appointment_id is not None:
            upcoming = upcoming.exclude(id=exclude_appointment_id)
        if upcoming.count() >= limit:
            if business.max_future_bookings_scope == BookingLimitScope.SERVICE:
                message = ngettext(
                    "You may hold at most %(n)d upcoming booking of %(service)s here.",
                    "You may hold at most %(n)d upcoming bookings of %(service)s here.",
                    limit,
                ) % {"n": limit, "service": service.name}
            else:
                message = ngettext(
                    "You may hold at most %(n)d upcoming booking here.",
                    "You may hold at most %(n)d upcoming bookings here.",
                    limit,
                ) % {"n": limit}
            raise BookingLimitReached(message)
    if no_show_rule_applies(business=business, record=record, now=now):
        assert business.no_show_limit is not None
        missed = ngettext(
            "%(n)d missed appointment in %(days)d days",
            "%(n)d missed appointments in %(days)d days",
            business.no_show_limit,
        ) % {"n": business.no_show_limit, "days": business.no_show_window_days}
        if business.no_show_action == NoShowAction.REFUSE:
            raise NoShowRule(
                _("After %(missed)s, %(business)s takes your bookings by phone only.")
                % {"missed": missed, "business": business.name}
            )
        return RuleOutcome(deposit=business.no_show_deposit)
    return RuleOutcome()
