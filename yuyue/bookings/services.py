"""Every write to appointments. Each function locks, checks and writes in one transaction.

A write that takes or moves time goes through the one path in yuyue/bookings/taking.py: a
`TakeRequest` built once, the staff rows locked (yuyue/bookings/lock_objects.py), the engine's
decision under the lock, then the write; a refusal rolls back first and then offers what is
near (yuyue/bookings/availability.py). On SQLite, `BEGIN IMMEDIATE` serializes writers instead
of the row locks; on PostgreSQL the exclusion constraints back the lock. The rules, written out
(and how "any staff" locks only its best fit): docs/booking.md#locking-order.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.accounts.services import consent_record_at_booking
from yuyue.bookings.availability import alternatives_for, alternatives_near
from yuyue.bookings.errors import (
    CheckInCodeUnknown,
    CheckInRefused,
    IdempotencyKeyReused,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    SeriesConflict,
    SlotUnavailable,
)
from yuyue.bookings.hooks import run_event_hooks
from yuyue.bookings.lock_objects import (
    appointment_for_update,
    customer_record_for_update,
    staff_members_for_update,
)
from yuyue.bookings.models import (
    CHECKIN_CODE_LENGTH,
    CHECKIN_STATUSES,
    HOLDING_STATUSES,
    MAX_IDEMPOTENCY_KEY_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_SERIES_EVERY_WEEKS,
    MAX_SERIES_OCCURRENCES,
    PAID_LATE_REASON,
    UNPAID_REASON,
    Appointment,
    AppointmentEvent,
    Channel,
    Series,
    Status,
    new_checkin_code,
)
from yuyue.bookings.permissions import appointment_permissions, undo_decision
from yuyue.bookings.rules import RuleOutcome, booking_rules_check, rules_apply
from yuyue.bookings.series import series_allowed
from yuyue.bookings.taking import (
    Taken,
    lock_for_taking,
    occupied_span,
    rank,
    take_request,
    taker_under_lock,
)
from yuyue.catalog.models import MAX_DAYS_AHEAD, Business, Location, Service
from yuyue.catalog.selectors import business_role, service_price
from yuyue.catalog.versions import availability_changed
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_for_booking
from yuyue.lib.errors import RateLimited
from yuyue.lib.localtime import local_clock_label, local_day_time_label
from yuyue.lib.throttle import guess_attempt, guess_succeeded
from yuyue.lib.writers import writer_turn
from yuyue.notifications.services import notifications_enqueue_for_event
from yuyue.scheduling.engine import wall_to_instant
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import bookable_staff, request_zone

MAX_REASON_LENGTH = 500
# A visit that already happened (yesterday's walk-in nobody booked) may be written in this
# long after it; older history is not the calendar's to change.
RECORD_PAST_DAYS = 7
# A booking whose random check-in code clashes with an open one of its business is tried again
# with a new code, whole; with a million codes and a few hundred open appointments, the third
# try almost never happens.
CHECKIN_CODE_TRIES = 5
# A confirmed appointment can be checked in from this long before its start until its end.
CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=60)
CHECKIN_THROTTLE = "checkin_failures"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _require_aware(start: dt.datetime) -> None:
    if not isinstance(start, dt.datetime) or timezone.is_naive(start):
        raise InvalidInput({"start": [_("Give the time with its UTC offset.")]})


def refuse_unreachable(start: dt.datetime, now: dt.datetime | None = None) -> None:
    """Refuse, as taken, a time no service could ever offer.

    The booking horizon is at most MAX_DAYS_AHEAD days and past times are never offered, so
    nothing outside this window can be booked; near the ends of the calendar (year 1, year
    9999) the services' arithmetic would overflow, so such times never reach them.
    """
    now = now or timezone.now()
    try:
        reachable = (
            now - dt.timedelta(days=1) <= start <= now + dt.timedelta(days=MAX_DAYS_AHEAD + 2)
        )
    except OverflowError:
        reachable = False
    if not reachable:
        raise SlotUnavailable([])


def _validate_text(notes: str, idempotency_key: str | None) -> None:
    errors: dict[str, list[str]] = {}
    if len(notes) > MAX_NOTES_LENGTH:
        errors["notes"] = [_("Notes are limited to %(n)d characters.") % {"n": MAX_NOTES_LENGTH}]
    if idempotency_key is not None and (
        not idempotency_key
        or len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH
        or not idempotency_key.isprintable()
    ):
        errors["idempotency_key"] = [
            _("An idempotency key is 1 to %(n)d printable characters.")
            % {"n": MAX_IDEMPOTENCY_KEY_LENGTH}
        ]
    if errors:
        raise InvalidInput(errors)


def _validate_booking_target(
    *, service: Service, staff: StaffMember | None, location: Location | None
) -> None:
    errors: dict[str, list[str]] = {}
    if not service.active:
        errors["service_id"] = [_("This service is not available for booking.")]
    if location is not None and location.business_id != service.business_id:
        errors["location_id"] = [_("No such location at this business.")]
    if staff is not None:
        if (
            staff.business_id != service.business_id
            or not staff.active
            or not staff.services.filter(id=service.id).exists()
        ):
            errors["staff_id"] = [_("This staff member does not offer this service.")]
        elif location is not None and staff.location_id != location.id:
            errors["staff_id"] = [_("This staff member does not work at this location.")]
    if errors:
        raise InvalidInput(errors)


def _record(
    appointment: Appointment,
    *,
    actor: User | None,
    action: str,
    from_status: str,
    reason: str = "",
    data: dict | None = None,
) -> AppointmentEvent:
    event = AppointmentEvent.objects.create(
        appointment=appointment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=appointment.status,
        reason=reason[:MAX_REASON_LENGTH],
        data=data or {},
    )
    run_event_hooks(appointment, event)
    return event


def _checkin_code_clash(error: IntegrityError) -> bool:
    """Whether the insert was refused for its check-in code (appointment_checkin_code_open):
    PostgreSQL names the constraint, SQLite the columns."""
    return "checkin_code" in str(error)


def _free_checkin_code(appointment: Appointment) -> str:
    """A code no other open appointment of the business holds: the appointment's own when it
    is free, else a new one. For a status change back to one that can be checked in (an undo),
    where the code may have gone to a booking meanwhile."""
    code = appointment.checkin_code
    others = Appointment.objects.filter(
        business_id=appointment.business_id, status__in=CHECKIN_STATUSES
    ).exclude(pk=appointment.pk)
    while others.filter(checkin_code=code).exists():
        code = new_checkin_code()
    return code


def _same_request(
    existing: Appointment, *, service: Service, start: dt.datetime, staff: StaffMember | None
) -> Appointment:
    if (
        existing.service_id != service.id
        or existing.start != start
        or (staff is not None and existing.staff_id != staff.id)
    ):
        raise IdempotencyKeyReused()
    return existing


def _candidates(
    *, service: Service, location: Location | None, staff: StaffMember | None
) -> list[StaffMember]:
    """Who may take a start: the named staff member, or everyone "any staff" ranks (at the
    location, when one is named)."""
    if staff is not None:
        return [staff]
    return list(
        bookable_staff(service=service, location_id=None if location is None else location.id)
    )


def appointment_create(
    *,
    service: Service,
    start: dt.datetime,
    customer: User | None = None,
    client: Customer | None = None,
    staff: StaffMember | None = None,
    location: Location | None = None,
    notes: str = "",
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
    staff_override: bool = False,
    waive_payment: bool = False,
    paid_in_advance: bool = False,
    series: Series | None = None,
    offer_minutes: int | None = None,
) -> Appointment:
    """Book `service` at `start`; `staff=None` means any staff (best fit).

    For whom: `customer`, an account (booking for itself, or booked for by the business's
    staff), whose record at the business is found or made (`customer_for_booking`); or
    `client`, one of the business's customer records (staff booking a walk-in or a caller),
    whose appointment belongs to the record's account when it has one, else to nobody's.
    `actor` is who books (the customer by default). The same idempotency key for the same
    customer returns the first appointment, never a second one. `staff_override` (owners and
    staff of the business only) waives the minimum notice, the horizon and the slot grid, see
    `overridden_rules`; a booking made by the business for a customer needs no confirmation.

    A service paid online makes the booking `awaiting_payment` until `pay_by` (its payment
    window from now), holding its time meanwhile; staff booking for a customer may waive the
    payment (`waive_payment`), and then it is booked as if nothing were due online. A customer
    without an account (a walk-in's or caller's record) has no way to pay online: always waived.
    `paid_in_advance` is for an app above bookings that settles the booking itself in the same
    transaction, around this call (a member card's reservation, yuyue/cards/services.py
    `card_booking_create`): nothing is due online, and the customer may ask it, because the
    caller's own write is the payment and rolls back with the booking if it fails.

    `offer_minutes` makes it a waitlist offer (docs/waitlist.md#the-offer): `offered`, holding
    its time for the customer, who books for themselves, until `offer_expires_at`; what it
    becomes once accepted (`appointment_offer_accept`) is decided now, as for any booking.
    """
    now = _now(now)
    if client is not None:
        if client.business_id != service.business_id:
            # A record is its business's own: another business's ids name nobody here.
            raise InvalidInput({"customer": [_("No such customer at this business.")]})
        customer = client.user
    elif customer is None:
        raise InvalidInput({"customer": [_("Choose the customer first.")]})
    actor = actor or customer
    if actor is None:
        raise NotAllowed()
    _require_aware(start)
    refuse_unreachable(start, now)
    notes = notes.strip()
    _validate_text(notes, idempotency_key)
    _validate_booking_target(service=service, staff=staff, location=location)
    if channel not in Channel.values:
        raise InvalidInput({"channel": [_("Unknown channel.")]})
    if customer is not None and not customer.is_active:
        raise NotAllowed()
    for_self = customer is not None and actor.pk == customer.pk
    by_business = False
    if not for_self or staff_override:
        # Customers booking for themselves need no role: the query is only for the others.
        role = business_role(user=actor, business_id=service.business_id)
        if role is None:
            raise NotAllowed()
        by_business = not for_self
    if waive_payment and not by_business:
        raise NotAllowed()
    if offer_minutes is not None and (not for_self or offer_minutes < 1):
        raise NotAllowed()
    waived = waive_payment or paid_in_advance or customer is None

    def existing_for_key() -> Appointment | None:
        if idempotency_key is None:
            return None
        mine: dict[str, object] = (
            {"customer": customer} if customer is not None else {"client": client}
        )
        return Appointment.objects.filter(idempotency_key=idempotency_key, **mine).first()

    request = take_request(
        service=service,
        start=start,
        now=now,
        zone=request_zone(business=service.business, location=location),
        candidates=_candidates(service=service, location=location, staff=staff),
        staff_override=staff_override,
    )
    # Set once the appointment's row is written: a later integrity error is not a refusal.
    written = False
    try:
        # "Any staff" ranks the candidates before any lock or transaction, then locks and
        # checks again only the best fit (docs/booking.md#locking-order).
        ranking = rank(request) if staff is None and len(request.candidates) > 1 else None
        if ranking is not None and ranking.best is None:
            # A retry of a booking that went through finds its own appointment.
            existing = existing_for_key()
            if existing is not None:
                return _same_request(existing, service=service, start=start, staff=staff)
            raise Taken(ranking.look)
        for attempt in range(CHECKIN_CODE_TRIES):
            try:
                with writer_turn(), transaction.atomic():
                    claim = lock_for_taking(request, ranking=ranking)
                    # Checked after the lock: a concurrent request with the same key that won the
                    # lock first has committed by now, and this statement sees its row.
                    existing = existing_for_key()
                    if existing is not None:
                        return _same_request(existing, service=service, start=start, staff=staff)
                    chosen = taker_under_lock(request, claim)
                    end, occ_start, occ_end = occupied_span(service, start)
                    record = client
                    if record is None:
                        assert customer is not None
                        record = customer_for_booking(business=service.business, user=customer)
                    outcome = RuleOutcome()
                    if not by_business and rules_apply(service.business):
                        # The business's rules about this customer, under the record's lock
                        # (after the staff rows): docs/booking.md#booking-rules.
                        record = customer_record_for_update(record.id)
                        outcome = booking_rules_check(service=service, record=record, now=now)
                    price = service_price(service=service, title_id=chosen.title_id)
                    online_due = (
                        Decimal("0.00")
                        if waived
                        else max(service.amount_due_online(price), min(outcome.deposit, price))
                    )
                    holds_for_payment = online_due > 0
                    booked = (
                        Status.PENDING
                        if service.requires_confirmation and not by_business
                        else Status.CONFIRMED
                    )
                    if offer_minutes is not None:
                        status = Status.OFFERED
                    elif holds_for_payment:
                        status = Status.AWAITING_PAYMENT
                    else:
                        status = booked
                    appointment = Appointment(
                        business=service.business,
                        service=service,
                        staff=chosen,
                        location=location or chosen.location,
                        client=record,
                        customer=customer,
                        start=start,
                        end=end,
                        occupied_start=occ_start,
                        occupied_end=occ_end,
                        exclusive=service.capacity == 1,
                        status=status,
                        pay_by=(
                            now + dt.timedelta(minutes=service.payment_window_minutes)
                            if status == Status.AWAITING_PAYMENT
                            else None
                        ),
                        offer_expires_at=(
                            now + dt.timedelta(minutes=offer_minutes)
                            if offer_minutes is not None
                            else None
                        ),
                        price=price,
                        online_due=online_due,
                        currency=service.business.currency,
                        notes=notes,
                        channel=channel,
                        idempotency_key=idempotency_key,
                        series=series,
                    )
                    # No savepoint of its own: an integrity error rolls the whole transaction
                    # back, and the check below runs after it.
                    appointment.save(force_insert=True)
                    written = True
                    event = _record(
                        appointment,
                        actor=actor,
                        action=AppointmentEvent.Action.CREATED,
                        from_status="",
                        data={
                            "start": start.isoformat(),
                            "staff_id": chosen.id,
                            "channel": channel,
                            # The status a hold goes on to once paid (appointment_mark_paid).
                            **({"once_paid": booked} if holds_for_payment else {}),
                            # Why a deposit is asked of a service that asks none itself.
                            **({"deposit_for": "no_shows"} if outcome.deposit > 0 else {}),
                            # And an offer once accepted (appointment_offer_accept).
                            **({"once_accepted": booked} if offer_minutes is not None else {}),
                        },
                    )
                    notifications_enqueue_for_event(appointment=appointment, event=event, now=now)
                    if not by_business and customer is not None and offer_minutes is None:
                        # Booking for oneself agrees to the privacy policy (the confirm pages say
                        # so); a booking staff make for someone is no consent of theirs.
                        consent_record_at_booking(actor=customer, now=now)
                    availability_changed(business_id=appointment.business_id)
                    return appointment
            except IntegrityError as error:
                if written:
                    raise
                if _checkin_code_clash(error) and attempt + 1 < CHECKIN_CODE_TRIES:
                    # Another open appointment of the business drew the same code: the
                    # whole booking again, with a new one (the constraint decided, not a read).
                    continue
                existing = existing_for_key()
                if existing is not None:
                    return _same_request(existing, service=service, start=start, staff=staff)
                # The exclusion constraint refused an overlap the check missed.
                raise Taken() from None
        raise AssertionError("the last try returns or raises")
    except Taken as taken:
        raise SlotUnavailable(
            alternatives_near(
                look=taken.look,
                service=service,
                start=start,
                staff=staff,
                location=location,
                now=now,
            ),
            zone=request_zone(business=service.business, location=location, staff=staff),
        ) from None


# action -> (status it leads to, event action); who may, and from which status, is
# appointment_permissions' to say.
_TRANSITIONS = {
    "confirm": (Status.CONFIRMED, AppointmentEvent.Action.CONFIRMED),
    "start": (Status.IN_PROGRESS, AppointmentEvent.Action.STARTED),
    "complete": (Status.COMPLETED, AppointmentEvent.Action.COMPLETED),
    "no_show": (Status.NO_SHOW, AppointmentEvent.Action.NO_SHOW),
    "cancel": (Status.CANCELLED, AppointmentEvent.Action.CANCELLED),
}


def _transition(
    *,
    appointment: Appointment,
    actor: User,
    action: str,
    reason: str,
    now: dt.datetime,
) -> Appointment:
    target, event_action = _TRANSITIONS[action]
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        appointment_permissions(appointment=locked, actor=actor, now=now).require(action)
        from_status = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        event = _record(
            locked, actor=actor, action=event_action, from_status=from_status, reason=reason.strip()
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        availability_changed(business_id=locked.business_id)
        return locked


def appointment_cancel(
    *, appointment: Appointment, actor: User, reason: str = "", now: dt.datetime | None = None
) -> Appointment:
    """Cancel: the customer before the service's cut-off, staff and owners at any time."""
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            {"reason": [_("A reason is limited to %(n)d characters.") % {"n": MAX_REASON_LENGTH}]}
        )
    return _transition(
        appointment=appointment, actor=actor, action="cancel", reason=reason, now=_now(now)
    )


def appointment_confirm(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    return _transition(
        appointment=appointment, actor=actor, action="confirm", reason="", now=_now(now)
    )


def appointment_start(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    return _transition(
        appointment=appointment, actor=actor, action="start", reason="", now=_now(now)
    )


def appointment_complete(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    return _transition(
        appointment=appointment, actor=actor, action="complete", reason="", now=_now(now)
    )


def appointment_mark_no_show(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    return _transition(
        appointment=appointment, actor=actor, action="no_show", reason="", now=_now(now)
    )


def appointment_undo(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    """Take back the appointment's last status change (undo_decision says which may be): the
    status it had before comes back and an "undone" event records it; nothing is erased.

    Going back to a status that holds time (a no-show back to confirmed) takes the time again,
    so the staff member's row is locked first and the time must still be free."""
    now = _now(now)
    with writer_turn(), transaction.atomic():
        staff_members_for_update([appointment.staff_id])
        locked = appointment_for_update(appointment)
        last = locked.events.order_by("-created_at", "-id").first()
        undo_decision(appointment=locked, actor=actor, last_event=last, now=now).require()
        assert last is not None  # undo_decision refuses without one
        restored = last.from_status
        if restored in HOLDING_STATUSES and locked.status not in HOLDING_STATUSES:
            _require_time_still_free(locked)
        current = locked.status
        locked.status = restored
        fields = ["status", "updated_at"]
        if restored in CHECKIN_STATUSES and current not in CHECKIN_STATUSES:
            # Its code was free while it was started or missed; it may have been drawn since.
            locked.checkin_code = _free_checkin_code(locked)
            fields.append("checkin_code")
        locked.save(update_fields=fields)
        event = _record(
            locked,
            actor=actor,
            action=AppointmentEvent.Action.UNDONE,
            from_status=current,
            data={"undoes": last.id, "action": last.action},
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        availability_changed(business_id=locked.business_id)
        return locked


def _checkin_code_of(code: object) -> str:
    """The digits typed or scanned, spaces and dashes aside; else 422 naming `code`."""
    digits = str(code).strip().replace(" ", "").replace("-", "") if isinstance(code, str) else ""
    if len(digits) != CHECKIN_CODE_LENGTH or not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(
            {"code": [_("A check-in code is %(n)d digits.") % {"n": CHECKIN_CODE_LENGTH}]}
        )
    return digits


def _appointment_by_code(*, business: Business, code: str, now: dt.datetime) -> Appointment | None:
    """The open appointment the code names, else one of today's that had it (started,
    finished, cancelled: the refusal then says so), else None."""
    found = Appointment.objects.filter(
        business=business, checkin_code=code, status__in=CHECKIN_STATUSES
    ).first()
    if found is not None:
        return found
    # The (business, start) index bounds this to a day's appointments either side.
    return (
        Appointment.objects.filter(
            business=business,
            checkin_code=code,
            start__gte=now - dt.timedelta(days=1),
            start__lte=now + dt.timedelta(days=1),
        )
        .order_by("-updated_at", "-id")
        .first()
    )


def _checkin_refusal(appointment: Appointment, now: dt.datetime) -> str | None:
    """Why this appointment cannot be checked in now, or None when it can."""
    zone_name = appointment.zone_name
    if appointment.status == Status.CONFIRMED:
        opens = appointment.start - CHECKIN_OPENS_BEFORE
        if now < opens:
            return _(
                "Too early: this appointment is at %(start)s; check-in opens at %(opens)s."
            ) % {
                "start": local_day_time_label(appointment.start, zone_name),
                # The clock alone when it opens on the day of the start (nearly always).
                "opens": (
                    local_clock_label(opens, zone_name)
                    if opens.astimezone(appointment.zone).date()
                    == appointment.start.astimezone(appointment.zone).date()
                    else local_day_time_label(opens, zone_name)
                ),
            }
        if now >= appointment.end:
            return _(
                "This appointment was at %(start)s and its time is over; it can no longer be "
                "checked in."
            ) % {"start": local_day_time_label(appointment.start, zone_name)}
        return None
    refusals: dict[str, str] = {
        Status.AWAITING_PAYMENT: _(
            "This appointment is awaiting payment; it can be checked in once it is paid."
        ),
        Status.PENDING: _("This appointment is not confirmed yet; confirm it first."),
        Status.OFFERED: _(
            "This time is offered from the waitlist and not accepted yet; the customer accepts "
            "it first."
        ),
        Status.IN_PROGRESS: _("This appointment is already checked in: it is in progress."),
        Status.COMPLETED: _("This appointment is already completed."),
        Status.CANCELLED: _("This appointment was cancelled."),
        Status.NO_SHOW: _("This appointment was marked as a no-show."),
    }
    return refusals.get(appointment.status, _("This appointment cannot be checked in now."))


def appointment_check_in(
    *, business: Business, code: str, actor: User, now: dt.datetime | None = None
) -> Appointment:
    """The customer at the counter shows their code (核销): staff of `business` type or scan
    it, and the confirmed appointment it names starts (appointment_start, the one rule of who
    may), from CHECKIN_OPENS_BEFORE its start until its end. An unknown code is 404
    (CheckInCodeUnknown), and wrong ones are limited per staff member and business (429); a
    code that names an appointment which cannot start now is 409 (CheckInRefused), saying why.
    """
    now = _now(now)
    if business_role(user=actor, business_id=business.id) is None:
        raise NotAllowed()
    code = _checkin_code_of(code)
    # Counted outside any transaction: a refusal's rollback must not take the count back.
    guesser = f"{business.id}:{actor.pk}"
    wait = guess_attempt(CHECKIN_THROTTLE, guesser)
    if wait is not None:
        raise RateLimited(wait)
    found = _appointment_by_code(business=business, code=code, now=now)
    if found is None:
        raise CheckInCodeUnknown()
    guess_succeeded(CHECKIN_THROTTLE, guesser)
    with transaction.atomic():
        # Decided under the row lock, then started under the same lock by the one transition.
        locked = appointment_for_update(found)
        refusal = _checkin_refusal(locked, now)
        if refusal is not None:
            raise CheckInRefused(refusal, appointment=locked)
        return appointment_start(appointment=locked, actor=actor, now=now)


def appointment_mark_paid(
    *, appointment: Appointment, now: dt.datetime | None = None
) -> Appointment | None:
    """A hold whose payment arrived goes on to the status it was booked for (pending or
    confirmed). The system acts: the payments app calls this in the transaction that records
    the money, after locking the appointment row. Returns None, changing nothing, when the
    appointment no longer awaits payment (released, or cancelled meanwhile): the caller then
    refunds (docs/payments.md#the-race)."""
    now = _now(now)
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        if locked.status != Status.AWAITING_PAYMENT:
            return None
        created = locked.events.filter(action=AppointmentEvent.Action.CREATED).first()
        once_paid = (created.data if created is not None else {}).get("once_paid")
        if once_paid not in (Status.PENDING, Status.CONFIRMED):
            once_paid = Status.PENDING if locked.service.requires_confirmation else Status.CONFIRMED
        locked.status = once_paid
        locked.save(update_fields=["status", "updated_at"])
        event = _record(
            locked,
            actor=None,
            action=AppointmentEvent.Action.PAID,
            from_status=Status.AWAITING_PAYMENT,
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        return locked


def appointment_note_paid_late(
    *, appointment: Appointment, now: dt.datetime | None = None
) -> Appointment:
    """A payment arrived for a booking that no longer awaits it (released unpaid, or given
    up): the payments app, which holds the appointment's row lock and refunds it in full in
    the same transaction, records it here, and the customer is told
    (docs/payments.md#the-race). The status stays; the time is not taken back."""
    now = _now(now)
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        event = _record(
            locked,
            actor=None,
            action=AppointmentEvent.Action.PAID_LATE,
            from_status=locked.status,
            reason=PAID_LATE_REASON,
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        return locked


def appointment_release_unpaid(
    *, appointment: Appointment, now: dt.datetime | None = None
) -> Appointment | None:
    """Release a hold whose payment window has ended: cancelled, reason "unpaid", its time
    free again and the customer told. The system acts (the payment sweep). Returns None,
    changing nothing, when it was paid or changed meanwhile or its window is still open:
    a paid booking is never released."""
    now = _now(now)
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        if locked.status != Status.AWAITING_PAYMENT or locked.pay_by is None or locked.pay_by > now:
            return None
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        event = _record(
            locked,
            actor=None,
            action=AppointmentEvent.Action.CANCELLED,
            from_status=Status.AWAITING_PAYMENT,
            reason=UNPAID_REASON,
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        availability_changed(business_id=locked.business_id)
        return locked


OFFER_DECLINED_REASON = "declined"
OFFER_LAPSED_REASON = "offer_lapsed"


def appointment_offer_accept(
    *, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> Appointment:
    """The waiter takes the time offered to them (docs/waitlist.md#the-offer): it becomes the
    booking it was made as — `awaiting_payment` with a fresh payment window when the service
    is paid online, else pending or confirmed. Only its customer, only before it lapses; under
    the appointment's row lock, so an offer lapsing while it is accepted has one outcome. Its
    time was held all along: nothing is taken again."""
    now = _now(now)
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        if locked.customer_id is None or locked.customer_id != actor.pk:
            raise NotAllowed()
        if locked.status != Status.OFFERED:
            raise InvalidTransition(_("This offer has been answered or has lapsed."))
        if locked.offer_expires_at is None or locked.offer_expires_at <= now:
            raise InvalidTransition(_("This offer has lapsed."))
        created = locked.events.filter(action=AppointmentEvent.Action.CREATED).first()
        booked = (created.data if created is not None else {}).get("once_accepted")
        if booked not in (Status.PENDING, Status.CONFIRMED):
            booked = Status.PENDING if locked.service.requires_confirmation else Status.CONFIRMED
        if locked.online_due > 0:
            locked.status = Status.AWAITING_PAYMENT
            locked.pay_by = now + dt.timedelta(minutes=locked.service.payment_window_minutes)
        else:
            locked.status = booked
        locked.save(update_fields=["status", "pay_by", "updated_at"])
        event = _record(
            locked,
            actor=actor,
            action=AppointmentEvent.Action.ACCEPTED,
            from_status=Status.OFFERED,
            data={"once_paid": booked} if locked.status == Status.AWAITING_PAYMENT else {},
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        consent_record_at_booking(actor=actor, now=now)
        return locked


def appointment_offer_release(
    *, appointment: Appointment, actor: User | None, now: dt.datetime | None = None
) -> Appointment | None:
    """An offer given back: declined by its customer (`actor`), or lapsed (`actor=None`, the
    worker, once `offer_expires_at` has passed). Cancelled, its time free again for the next
    waiter. Returns None, changing nothing, when the offer was answered meanwhile or (for the
    worker) has not lapsed yet; a customer declining an offer no longer open is refused."""
    now = _now(now)
    with transaction.atomic():
        locked = appointment_for_update(appointment)
        if actor is not None and (locked.customer_id is None or locked.customer_id != actor.pk):
            raise NotAllowed()
        if locked.status != Status.OFFERED:
            if actor is not None:
                raise InvalidTransition(_("This offer has been answered or has lapsed."))
            return None
        if actor is None and (locked.offer_expires_at is None or locked.offer_expires_at > now):
            return None
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        event = _record(
            locked,
            actor=actor,
            action=AppointmentEvent.Action.CANCELLED,
            from_status=Status.OFFERED,
            reason=OFFER_DECLINED_REASON if actor is not None else OFFER_LAPSED_REASON,
        )
        notifications_enqueue_for_event(appointment=locked, event=event, now=now)
        availability_changed(business_id=locked.business_id)
        return locked


def _require_time_still_free(appointment: Appointment) -> None:
    """Under the staff member's lock: nothing since booked over the appointment's time."""
    overlapping = Appointment.objects.filter(
        staff_id=appointment.staff_id,
        status__in=HOLDING_STATUSES,
        occupied_start__lt=appointment.occupied_end,
        occupied_end__gt=appointment.occupied_start,
    ).exclude(pk=appointment.pk)
    same_sitting = overlapping.filter(
        service_id=appointment.service_id, start=appointment.start, exclusive=False
    )
    if appointment.exclusive:
        taken = overlapping.exists()
    else:
        taken = (
            overlapping.exclude(pk__in=same_sitting).exists()
            or same_sitting.count() >= appointment.service.capacity
        )
    if taken:
        raise InvalidTransition(
            _("Its time has been booked since, so it cannot be undone; book it again instead.")
        )


def appointment_record_past(
    *,
    service: Service,
    client: Customer,
    staff: StaffMember,
    start: dt.datetime,
    actor: User,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """Write down a visit that already happened, as completed: owners and staff only, with a
    named staff member, ending before now and starting at most RECORD_PAST_DAYS ago, never
    over another visit of that staff member (cancelled and missed ones aside). It skips the
    free-time rules of booking (they are about the future) and tells nobody: the customer was
    there. The trail says it was recorded afterwards."""
    now = _now(now)
    _require_aware(start)
    notes = notes.strip()
    _validate_text(notes, None)
    _validate_booking_target(service=service, staff=staff, location=None)
    if business_role(user=actor, business_id=service.business_id) is None:
        raise NotAllowed()
    if client.business_id != service.business_id:
        raise InvalidInput({"customer": [_("No such customer at this business.")]})
    end, occ_start, occ_end = occupied_span(service, start)
    if end > now:
        raise InvalidInput(
            {"start": [_("A visit recorded afterwards must have ended by now; book it instead.")]}
        )
    if start < now - dt.timedelta(days=RECORD_PAST_DAYS):
        raise InvalidInput(
            {
                "start": [
                    _("Visits can be recorded up to %(days)d days afterwards.")
                    % {"days": RECORD_PAST_DAYS}
                ]
            }
        )
    with writer_turn(), transaction.atomic():
        staff_members_for_update([staff.id])
        overlapping = Appointment.objects.filter(
            staff_id=staff.id,
            occupied_start__lt=occ_end,
            occupied_end__gt=occ_start,
        ).exclude(status__in=[Status.CANCELLED, Status.NO_SHOW])
        if overlapping.exists():
            raise InvalidInput(
                {"start": [_("%(staff)s already had a visit then.") % {"staff": staff.name}]}
            )
        appointment = Appointment.objects.create(
            business=service.business,
            service=service,
            staff=staff,
            location=staff.location,
            customer=client.user,
            client=client,
            start=start,
            end=end,
            occupied_start=occ_start,
            occupied_end=occ_end,
            exclusive=service.capacity == 1,
            status=Status.COMPLETED,
            price=service_price(service=service, title_id=staff.title_id),
            currency=service.business.currency,
            notes=notes,
            channel=Channel.BACKOFFICE,
        )
        _record(
            appointment,
            actor=actor,
            action=AppointmentEvent.Action.CREATED,
            from_status="",
            data={"start": start.isoformat(), "staff_id": staff.id, "recorded_after": True},
        )
        availability_changed(business_id=appointment.business_id)
        return appointment


def appointment_walk_in(
    *,
    service: Service,
    client: Customer,
    actor: User,
    staff: StaffMember | None = None,
    location: Location | None = None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """A customer at the door: booked from the coming minute and started at once."""
    now = _now(now)
    # The next whole minute: a start is never in the past, and staff waive the grid.
    start = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    with transaction.atomic():
        appointment = appointment_create(
            service=service,
            client=client,
            start=start,
            staff=staff,
            location=location,
            notes=notes,
            channel=Channel.BACKOFFICE,
            actor=actor,
            now=now,
            staff_override=True,
            # Paid at the counter, if at all.
            waive_payment=True,
        )
        return appointment_start(appointment=appointment, actor=actor, now=now)


def appointment_reschedule(
    *,
    appointment: Appointment,
    actor: User,
    start: dt.datetime,
    staff: StaffMember | None = None,
    any_staff: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Appointment:
    """Move an appointment; the new time is taken and the old released in one transaction.

    Without `staff` the appointment stays with its staff member, unless `any_staff` asks for
    the best fit among everyone who offers the service (at the same location).
    """
    now = _now(now)
    _require_aware(start)
    refuse_unreachable(start, now)
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            {"reason": [_("A reason is limited to %(n)d characters.") % {"n": MAX_REASON_LENGTH}]}
        )
    service = appointment.service
    location = appointment.location
    # A named staff member may work elsewhere: the appointment then moves with them.
    _validate_booking_target(service=service, staff=staff, location=None)
    request = take_request(
        service=service,
        start=start,
        now=now,
        zone=request_zone(business=service.business, location=location),
        candidates=_candidates(
            service=service,
            location=location,
            staff=staff if staff is not None or any_staff else appointment.staff,
        ),
        exclude_appointment_id=appointment.id,
    )
    try:
        # "Any staff" takes the path a booking takes: ranked without locks, then only the best
        # fit locked. The time given back needs no lock: releasing never overfills anyone.
        ranks = any_staff and staff is None and len(request.candidates) > 1
        ranking = rank(request) if ranks else None
        with writer_turn(), transaction.atomic():
            # Staff rows first, then the appointment's (docs/booking.md#locking-order).
            claim = lock_for_taking(
                request, ranking=ranking, also_lock=() if ranking else [appointment.staff_id]
            )
            locked = appointment_for_update(appointment)
            permissions = appointment_permissions(appointment=locked, actor=actor, now=now)
            permissions.require("reschedule")
            chosen = taker_under_lock(request, claim)
            old = {"start": locked.start.isoformat(), "staff_id": locked.staff_id}
            end, occ_start, occ_end = occupied_span(locked.service, start)
            from_status = locked.status
            locked.start, locked.end = start, end
            locked.occupied_start, locked.occupied_end = occ_start, occ_end
            locked.staff = chosen
            locked.location = chosen.location or locked.location
            locked.exclusive = locked.service.capacity == 1
            if not permissions.is_staff and locked.service.requires_confirmation:
                # The business confirmed the old time, not this one.
                locked.status = Status.PENDING
            locked.sequence += 1
            try:
                with transaction.atomic():
                    locked.save(
                        update_fields=[
                            "start",
                            "end",
                            "occupied_start",
                            "occupied_end",
                            "staff",
                            "location",
                            "exclusive",
                            "status",
                            "sequence",
                            "updated_at",
                        ]
                    )
            except IntegrityError:
                raise Taken() from None
            event = _record(
                locked,
                actor=actor,
                action=AppointmentEvent.Action.RESCHEDULED,
                from_status=from_status,
                reason=reason.strip(),
                data={"old": old, "new": {"start": start.isoformat(), "staff_id": chosen.id}},
            )
            notifications_enqueue_for_event(appointment=locked, event=event, now=now)
            availability_changed(business_id=locked.business_id)
            return locked
    except Taken:
        # The alternatives are searched afresh: a named or kept staff member may not be
        # bookable at the appointment's location, which alternatives_for decides.
        raise SlotUnavailable(
            alternatives_for(
                service=service,
                start=start,
                staff=staff if staff is not None or any_staff else appointment.staff,
                location=location,
                now=now,
                exclude_appointment_id=appointment.id,
            ),
            zone=request_zone(business=service.business, location=location),
        ) from None


# Recurring series (docs/booking.md#series) ----------------------------------------------------


def series_create(
    *,
    service: Service,
    starts: Sequence[dt.datetime],
    every_weeks: int,
    customer: User | None = None,
    client: Customer | None = None,
    staff: StaffMember | None = None,
    location: Location | None = None,
    notes: str = "",
    channel: str = Channel.WEB,
    actor: User | None = None,
    now: dt.datetime | None = None,
    staff_override: bool = False,
    waive_payment: bool = False,
) -> Series:
    """Book the chosen occurrences of a series (those `series_check` found free, and any
    alternatives the person picked instead of the others), all or nothing, in one transaction.

    Each is booked by `appointment_create`, the one path, in a savepoint of this transaction:
    when any of them cannot be taken, every other is still tried so that all the conflicts
    come back together with their alternatives (`SeriesConflict`), and nothing is kept.
    """
    now = _now(now)
    if not starts or len(starts) > MAX_SERIES_OCCURRENCES:
        raise InvalidInput(
            {"starts": [_("A series has 1 to %(n)d occurrences.") % {"n": MAX_SERIES_OCCURRENCES}]}
        )
    if not 1 <= every_weeks <= MAX_SERIES_EVERY_WEEKS:
        raise InvalidInput(
            {"every_weeks": [_("Every 1 to %(n)d weeks.") % {"n": MAX_SERIES_EVERY_WEEKS}]}
        )
    for start in starts:
        _require_aware(start)
    if len(set(starts)) != len(starts):
        raise InvalidInput({"starts": [_("Each occurrence once.")]})
    ordered = sorted(starts)
    holder = customer if client is None else client.user
    acting = actor or holder
    if acting is None:
        raise NotAllowed()
    by_business = holder is None or acting.pk != holder.pk
    if by_business and business_role(user=acting, business_id=service.business_id) is None:
        raise NotAllowed()
    series_allowed(service=service, by_business=by_business)
    zone = request_zone(business=service.business, location=location)
    first_local = ordered[0].astimezone(zone)
    conflicts: list[tuple[dt.datetime, list]] = []
    with writer_turn(), transaction.atomic():
        record = client
        if record is None:
            if customer is None:
                raise InvalidInput({"customer": [_("Choose the customer first.")]})
            record = customer_for_booking(business=service.business, user=customer)
        series = Series.objects.create(
            business=service.business,
            service=service,
            client=record,
            every_weeks=every_weeks,
            local_time=first_local.time().replace(second=0, microsecond=0),
            zone_name=zone.key,
            created_by=acting,
        )
        for start in ordered:
            try:
                appointment_create(
                    service=service,
                    start=start,
                    customer=None if client is not None else customer,
                    client=client,
                    staff=staff,
                    location=location,
                    notes=notes,
                    channel=channel,
                    actor=acting,
                    now=now,
                    staff_override=staff_override,
                    waive_payment=waive_payment,
                    series=series,
                )
            except SlotUnavailable as refused:
                conflicts.append((start, refused.alternatives))
        if conflicts:
            # Raised inside the transaction: every occurrence booked above is rolled back.
            raise SeriesConflict(conflicts, zone=zone)
    return series


def series_cancel(
    *,
    appointment: Appointment,
    actor: User,
    following: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[Appointment]:
    """Cancel one occurrence of its series, or it and every later one still holding time
    (`following`), all or nothing: each by `appointment_cancel`, with its own rights and
    cut-off, its own event and notifications (reminders go with it)."""
    now = _now(now)
    if not following or appointment.series_id is None:
        return [appointment_cancel(appointment=appointment, actor=actor, reason=reason, now=now)]
    later = (
        Appointment.objects.filter(
            series_id=appointment.series_id,
            start__gte=appointment.start,
            status__in=[Status.AWAITING_PAYMENT, Status.PENDING, Status.CONFIRMED],
        )
        .select_related("service", "business", "staff", "customer", "location")
        .order_by("start")
    )
    with transaction.atomic():
        return [
            appointment_cancel(appointment=one, actor=actor, reason=reason, now=now)
            for one in later
        ]


def series_reschedule(
    *,
    appointment: Appointment,
    actor: User,
    start: dt.datetime,
    following: bool = False,
    staff: StaffMember | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[Appointment]:
    """Move one occurrence of its series to `start`, or it and every later one still holding
    time (`following`): each later occurrence moves by the same number of local days and to
    the same new local time, in the series' zone (across a DST change the wall time stays).
    All or nothing: each by `appointment_reschedule` (its own rights, cut-off, lock and
    check) in a savepoint; when any cannot be taken, every other is still tried, nothing is
    kept, and `SeriesConflict` names each refused start with its alternatives."""
    now = _now(now)
    _require_aware(start)
    if not following or appointment.series_id is None:
        return [
            appointment_reschedule(
                appointment=appointment,
                actor=actor,
                start=start,
                staff=staff,
                reason=reason,
                now=now,
            )
        ]
    series = appointment.series
    assert series is not None
    zone = series.zone
    old_local, new_local = appointment.start.astimezone(zone), start.astimezone(zone)
    shift = new_local.date() - old_local.date()
    minute = new_local.hour * 60 + new_local.minute
    later = list(
        Appointment.objects.filter(
            series_id=series.id,
            start__gte=appointment.start,
            status__in=[Status.PENDING, Status.CONFIRMED],
        )
        .select_related("service", "business", "staff", "customer", "location", "series")
        .order_by("start")
    )
    conflicts: list[tuple[dt.datetime, list]] = []
    moved: list[Appointment] = []
    with writer_turn(), transaction.atomic():
        for one in later:
            target = (
                start
                if one.id == appointment.id
                else wall_to_instant(one.start.astimezone(zone).date() + shift, minute, zone)
            )
            try:
                moved.append(
                    appointment_reschedule(
                        appointment=one,
                        actor=actor,
                        start=target,
                        staff=staff,
                        reason=reason,
                        now=now,
                    )
                )
            except SlotUnavailable as refused:
                conflicts.append((target, refused.alternatives))
        if conflicts:
            raise SeriesConflict(conflicts, zone=zone)
    return moved
