"""Every write to appointments. Each function locks, checks and writes in one transaction.

Concurrency: a write that takes or moves time on staff first locks the staff rows
(ascending id, so two writers never wait on each other in a cycle), then loads their bookings
and checks the engine, then writes. On SQLite, `BEGIN IMMEDIATE` serializes writers instead of
the row locks; on PostgreSQL the exclusion constraints back the lock. The rules, written out
(and how "any staff" locks only its best fit): docs/booking.md#locking-order.
"""

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.accounts.services import user_create_unclaimed
from yuyue.bookings.errors import (
    IdempotencyKeyReused,
    InvalidInput,
    NotAllowed,
    SlotUnavailable,
)
from yuyue.bookings.models import (
    MAX_IDEMPOTENCY_KEY_LENGTH,
    MAX_NOTES_LENGTH,
    Appointment,
    AppointmentEvent,
    Channel,
    Status,
)
from yuyue.bookings.permissions import appointment_permissions
from yuyue.catalog.models import MAX_DAYS_AHEAD, Business, Location, Service
from yuyue.catalog.selectors import business_role
from yuyue.catalog.versions import availability_changed
from yuyue.lib.writers import one_writer, writer_turn
from yuyue.notifications.services import notifications_enqueue_for_event
from yuyue.scheduling.engine import (
    ServiceRules,
    Slot,
    StaffCalendar,
    choose_staff,
    find_slots,
    nearest_starts,
    staff_can_take,
    wall_to_instant,
)
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import (
    Hours,
    bookable_staff,
    calendars_of,
    holding_spans,
    request_zone,
    service_rules,
    staff_calendars,
    staff_hours_around,
)

ALTERNATIVES = 3
# How far around the refused time to look for alternatives, in days each way.
ALTERNATIVES_WINDOW_DAYS = 7
MAX_REASON_LENGTH = 500


class _Taken(Exception):
    """Raised inside the transaction so it rolls back before alternatives are computed; it
    carries the calendars the decision read, if any, to compute them from."""

    def __init__(self, look: "_Look | None" = None) -> None:
        super().__init__()
        self.look = look


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


def _lock_staff(ids: Sequence[int], *, nowait: bool = False) -> list[StaffMember]:
    # Ascending id order is what makes two writers that need overlapping sets of staff
    # (a reschedule from A to B and one from B to A) queue instead of deadlocking.
    # The linked user comes along: the notifications of a booking need it.
    return list(
        StaffMember.objects.select_for_update(of=("self",), nowait=nowait)
        .filter(id__in=ids)
        .select_related("location", "business", "user")
        .order_by("id")
    )


def _occupied(service: Service, start: dt.datetime) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    end = start + dt.timedelta(minutes=service.duration_minutes)
    return (
        end,
        start - dt.timedelta(minutes=service.buffer_before_minutes),
        end + dt.timedelta(minutes=service.buffer_after_minutes),
    )


@dataclass(frozen=True)
class _Around:
    """Where a booking decision looks: the asked start's local day in the request's zone (the
    instants find_slots gives that day), and the span whose calendars are read for it."""

    zone: zoneinfo.ZoneInfo
    day: dt.date
    day_start: dt.datetime
    day_end: dt.datetime
    read_start: dt.datetime
    read_end: dt.datetime


def _around(service: Service, start: dt.datetime, zone: zoneinfo.ZoneInfo) -> _Around:
    _end, occ_start, occ_end = _occupied(service, start)
    day = start.astimezone(zone).date()
    day_start = wall_to_instant(day, 0, zone)
    day_end = wall_to_instant(day + dt.timedelta(days=1), 0, zone)
    return _Around(zone, day, day_start, day_end, min(occ_start, day_start), max(occ_end, day_end))


@dataclass(frozen=True)
class _Look:
    """The calendars a booking decision used, complete for the asked start's local day:
    enough to offer alternatives near a refused start without reading anything again."""

    calendars: list[StaffCalendar]
    around: _Around


def _decide(
    *,
    service: Service,
    members: Sequence[StaffMember],
    hours: Hours,
    busy: dict[int, list[tuple[int, int, int]]],
    start: dt.datetime,
    now: dt.datetime,
    around: _Around,
    staff_override: bool = False,
) -> tuple[StaffMember | None, _Look]:
    """The best-fit member who can take `start` (None if nobody), as the engine decides."""
    calendars = calendars_of(staff=members, hours=hours, busy=busy)
    rules = service_rules(service)
    if staff_override:
        rules = overridden_rules(rules)
    if len(calendars) == 1:
        chosen_id = (
            calendars[0].staff_id
            if staff_can_take(calendar=calendars[0], rules=rules, start=start, now=now) > 0
            else None
        )
    else:
        chosen_id = choose_staff(calendars=calendars, rules=rules, start=start, now=now)
    chosen = next((member for member in members if member.id == chosen_id), None)
    return chosen, _Look(calendars, around)


def _busy_of(
    members: Sequence[StaffMember], around: _Around, exclude_appointment_id: int | None = None
) -> dict[int, list[tuple[int, int, int]]]:
    return holding_spans(
        staff_ids=[member.id for member in members],
        start=around.read_start,
        end=around.read_end,
        exclude_appointment_id=exclude_appointment_id,
    )


def overridden_rules(rules: ServiceRules) -> ServiceRules:
    """What staff may waive when they book for a customer: the minimum notice, the booking
    horizon and the slot grid (a walk-in starts at any minute). Never working hours,
    capacity or overlap: those stay the engine's to decide."""
    return replace(
        rules,
        min_notice=dt.timedelta(0),
        max_days_ahead=MAX_DAYS_AHEAD,
        interval=dt.timedelta(minutes=1),
    )


class _NotFree(Exception):
    """The staff member chosen before the lock was taken meanwhile."""


class _LockedByOther(Exception):
    """Another transaction holds the chosen staff member's row right now (PostgreSQL)."""


# PostgreSQL's "lock_not_available", what FOR UPDATE NOWAIT raises on a row someone holds.
_LOCK_NOT_AVAILABLE = "55P03"


def _lock_if_free(
    *,
    service: Service,
    staff_id: int,
    hours: Hours,
    start: dt.datetime,
    now: dt.datetime,
    around: _Around,
    nowait: bool,
    staff_override: bool = False,
) -> StaffMember | None:
    """Lock one staff member and check they can still take `start`; None if not. With
    `nowait`, _LockedByOther if someone else holds them right now.

    When they cannot (someone booked them meanwhile), the savepoint rolls back, which lets the
    lock go: whatever the caller locks next (another best fit, or every candidate in ascending
    id order), no transaction ever waits for a row while holding one taken out of that order.
    """
    try:
        with transaction.atomic():
            locked = _lock_staff([staff_id], nowait=nowait)
            chosen, _look = _decide(
                service=service,
                members=locked,
                hours=hours,
                busy=_busy_of(locked, around),
                start=start,
                now=now,
                around=around,
                staff_override=staff_override,
            )
            if chosen is None:
                raise _NotFree()
            return chosen
    except _NotFree:
        return None
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise _LockedByOther() from None
        raise


def _lock_best_fit(
    *,
    service: Service,
    candidates: Sequence[StaffMember],
    hours: Hours,
    busy: dict[int, list[tuple[int, int, int]]],
    best: StaffMember,
    look: _Look,
    start: dt.datetime,
    now: dt.datetime,
    around: _Around,
    staff_override: bool = False,
) -> tuple[StaffMember | None, _Look]:
    """ "Any staff", in the transaction: lock the best fit of the read made before it and check
    they can still take `start`; on a miss, the next best. Returns the locked staff member, or
    None and the calendars read when nobody can take it.

    The first tries do not wait (FOR UPDATE NOWAIT): in a rush on one time everyone ranks the
    same best fit, and each takes the next one rather than queue behind whoever is booking
    them. Only when nobody else is left does it read again and wait for those. One staff row
    at most is locked at a time (a miss's savepoint lets it go), so bookings never wait on each
    other in a cycle. On SQLite nothing changes while this transaction holds the write lock:
    after a miss one fresh read makes the next choice exact.
    """
    skipped: set[int] = set()  # someone else held them when tried
    taken: set[int] = set()  # could not take it under their lock
    wait = False
    while best is not None:
        try:
            chosen = _lock_if_free(
                service=service,
                staff_id=best.id,
                hours=hours,
                start=start,
                now=now,
                around=around,
                nowait=not wait,
                staff_override=staff_override,
            )
        except _LockedByOther:
            skipped.add(best.id)
        else:
            if chosen is not None:
                return chosen, look
            taken.add(best.id)
            if one_writer():
                busy = _busy_of(candidates, around)
        best, look = _decide(
            service=service,
            members=[member for member in candidates if member.id not in skipped | taken],
            hours=hours,
            busy=busy,
            start=start,
            now=now,
            around=around,
            staff_override=staff_override,
        )
        if best is None and skipped and not wait:
            # Only staff someone else was booking may still take it: read again, and wait.
            wait = True
            skipped.clear()
            busy = _busy_of(candidates, around)
            best, look = _decide(
                service=service,
                members=[member for member in candidates if member.id not in taken],
                hours=hours,
                busy=busy,
                start=start,
                now=now,
                around=around,
                staff_override=staff_override,
            )
    return None, look


def alternatives_for(
    *,
    service: Service,
    start: dt.datetime,
    staff: StaffMember | None = None,
    location: Location | None = None,
    now: dt.datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> list:
    """The free starts nearest to a refused one, for the same staff (or any) and location."""
    now = _now(now)
    zone = request_zone(business=service.business, location=location)
    day = start.astimezone(zone).date()
    window = dt.timedelta(days=ALTERNATIVES_WINDOW_DAYS)
    candidates = list(
        bookable_staff(
            service=service,
            staff_ids=None if staff is None else [staff.id],
            location_id=None if location is None else location.id,
        )
    )
    calendars = staff_calendars(
        staff=candidates,
        start=start - window,
        end=start + window,
        exclude_appointment_id=exclude_appointment_id,
    )
    slots = find_slots(
        calendars=calendars,
        rules=service_rules(service),
        date_from=day - window,
        date_to=day + window,
        now=now,
        zone=zone,
    )
    return nearest_starts([s for s in slots if s.start != start], start, ALTERNATIVES)


def _alternatives(
    *,
    look: _Look | None,
    service: Service,
    start: dt.datetime,
    staff: StaffMember | None,
    location: Location | None,
    now: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """What `alternatives_for` gives, from the calendars the refusal already read when the
    nearest free starts lie on the asked day.

    Every start outside that day is at least as far from `start` as the day's nearer edge,
    so when the day holds ALTERNATIVES starts strictly nearer than that, the wider search
    could only find the same ones. Otherwise (a full day, a refusal by the database) it runs.
    """
    if look is not None:
        around = look.around
        slots = find_slots(
            calendars=look.calendars,
            rules=service_rules(service),
            date_from=around.day,
            date_to=around.day,
            now=now,
            zone=around.zone,
        )
        nearest = nearest_starts([s for s in slots if s.start != start], start, ALTERNATIVES)
        reach = min(start - around.day_start, around.day_end - start)
        if len(nearest) == ALTERNATIVES and all(abs(s.start - start) < reach for s in nearest):
            return nearest
    return alternatives_for(
        service=service,
        start=start,
        staff=staff,
        location=location,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )


def _record(
    appointment: Appointment,
    *,
    actor: User | None,
    action: str,
    from_status: str,
    reason: str = "",
    data: dict | None = None,
) -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=appointment.status,
        reason=reason[:MAX_REASON_LENGTH],
        data=data or {},
    )


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


def appointment_create(
    *,
    service: Service,
    customer: User,
    start: dt.datetime,
    staff: StaffMember | None = None,
    location: Location | None = None,
    notes: str = "",
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    actor: User | None = None,
    now: dt.datetime | None = None,
    staff_override: bool = False,
) -> Appointment:
    """Book `service` at `start` for `customer`; `staff=None` means any staff (best fit).

    `actor` is who books (the customer by default; staff may book for a customer). The same
    idempotency key for the same customer returns the first appointment, never a second one.
    `staff_override` (owners and staff of the business only) waives the minimum notice, the
    horizon and the slot grid, see `overridden_rules`; a booking made by the business for a
    customer needs no confirmation of its own.
    """
    now = _now(now)
    actor = actor or customer
    _require_aware(start)
    refuse_unreachable(start, now)
    notes = notes.strip()
    _validate_text(notes, idempotency_key)
    _validate_booking_target(service=service, staff=staff, location=location)
    if channel not in Channel.values:
        raise InvalidInput({"channel": [_("Unknown channel.")]})
    if not customer.is_active:
        raise NotAllowed()
    by_business = False
    if actor.pk != customer.pk or staff_override:
        # Customers booking for themselves need no role: the query is only for the others.
        role = business_role(user=actor, business_id=service.business_id)
        if role is None:
            raise NotAllowed()
        by_business = actor.pk != customer.pk

    def existing_for_key() -> Appointment | None:
        if idempotency_key is None:
            return None
        return Appointment.objects.filter(
            customer=customer, idempotency_key=idempotency_key
        ).first()

    around = _around(service, start, request_zone(business=service.business, location=location))
    if staff is not None:
        candidates = None
        candidate_ids = [staff.id]
    else:
        candidates = list(
            bookable_staff(service=service, location_id=None if location is None else location.id)
        )
        candidate_ids = [member.id for member in candidates]
    # Hours are read before any lock: their writes do not take the staff locks, so reading
    # them under the lock would promise nothing more, and the lock is held for less. What the
    # lock guards, the holding appointments, is read under it.
    hours = staff_hours_around(
        staff_ids=candidate_ids, start=around.read_start, end=around.read_end
    )
    best = None
    # Set once the appointment's row is written: a later integrity error is not a refusal.
    written = False
    try:
        if candidates is not None and len(candidates) > 1:
            # "Any staff" ranks the candidates before any lock or transaction, then locks and
            # checks again only the best fit. Locking every candidate first (and loading all
            # their calendars while holding the locks, or on SQLite the one write lock) made
            # concurrent "any staff" bookings queue behind each other even for different
            # people.
            busy = _busy_of(candidates, around)
            best, look = _decide(
                service=service,
                members=candidates,
                hours=hours,
                busy=busy,
                start=start,
                now=now,
                around=around,
                staff_override=staff_override,
            )
            if best is None:
                # A retry of a booking that went through finds its own appointment.
                existing = existing_for_key()
                if existing is not None:
                    return _same_request(existing, service=service, start=start, staff=staff)
                raise _Taken(look)
        try:
            with writer_turn(), transaction.atomic():
                if best is not None:
                    chosen, look = _lock_best_fit(
                        service=service,
                        candidates=candidates,
                        hours=hours,
                        busy=busy,
                        best=best,
                        look=look,
                        start=start,
                        now=now,
                        around=around,
                        staff_override=staff_override,
                    )
                else:
                    locked = _lock_staff(candidate_ids)
                # Checked after the lock: a concurrent request with the same key that won the
                # lock first has committed by now, and this statement sees its row.
                existing = existing_for_key()
                if existing is not None:
                    return _same_request(existing, service=service, start=start, staff=staff)
                if best is None:
                    chosen, look = _decide(
                        service=service,
                        members=locked,
                        hours=hours,
                        busy=_busy_of(locked, around),
                        start=start,
                        now=now,
                        around=around,
                        staff_override=staff_override,
                    )
                if chosen is None:
                    raise _Taken(look)
                end, occ_start, occ_end = _occupied(service, start)
                appointment = Appointment(
                    business=service.business,
                    service=service,
                    staff=chosen,
                    location=location or chosen.location,
                    customer=customer,
                    start=start,
                    end=end,
                    occupied_start=occ_start,
                    occupied_end=occ_end,
                    exclusive=service.capacity == 1,
                    status=(
                        Status.PENDING
                        if service.requires_confirmation and not by_business
                        else Status.CONFIRMED
                    ),
                    price=service.price,
                    currency=service.business.currency,
                    notes=notes,
                    channel=channel,
                    idempotency_key=idempotency_key,
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
                    data={"start": start.isoformat(), "staff_id": chosen.id, "channel": channel},
                )
                notifications_enqueue_for_event(appointment=appointment, event=event, now=now)
                availability_changed(business_id=appointment.business_id)
                return appointment
        except IntegrityError:
            if written:
                raise
            existing = existing_for_key()
            if existing is not None:
                return _same_request(existing, service=service, start=start, staff=staff)
            # The exclusion constraint refused an overlap the check missed.
            raise _Taken() from None
    except _Taken as taken:
        raise SlotUnavailable(
            _alternatives(
                look=taken.look,
                service=service,
                start=start,
                staff=staff,
                location=location,
                now=now,
            ),
            zone=request_zone(business=service.business, location=location, staff=staff),
        ) from None


def _lock_appointment(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "business", "staff", "customer", "location")
        .get(pk=appointment.pk)
    )


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
        locked = _lock_appointment(appointment)
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


def appointment_walk_in(
    *,
    service: Service,
    customer: User,
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
            customer=customer,
            start=start,
            staff=staff,
            location=location,
            notes=notes,
            channel=Channel.BACKOFFICE,
            actor=actor,
            now=now,
            staff_override=True,
        )
        return appointment_start(appointment=appointment, actor=actor, now=now)


def customer_create(*, business: Business, display_name: str, phone: str, actor: User) -> User:
    """A customer created on the spot by the business's staff (name and phone, no password)."""
    if business_role(user=actor, business_id=business.id) is None:
        raise NotAllowed()
    return user_create_unclaimed(display_name=display_name, phone=phone)


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
    try:
        with writer_turn(), transaction.atomic():
            if staff is not None:
                wanted = [staff.id]
            elif any_staff:
                wanted = list(
                    bookable_staff(
                        service=service, location_id=None if location is None else location.id
                    ).values_list("id", flat=True)
                )
            else:
                wanted = [appointment.staff_id]
            locked_staff = _lock_staff(sorted({*wanted, appointment.staff_id}))
            locked = _lock_appointment(appointment)
            permissions = appointment_permissions(appointment=locked, actor=actor, now=now)
            permissions.require("reschedule")
            candidates = [member for member in locked_staff if member.id in wanted]
            around = _around(
                locked.service,
                start,
                request_zone(business=locked.business, location=locked.location),
            )
            # The alternatives are searched afresh: a named or kept staff member may not be
            # bookable at the appointment's location, which alternatives_for decides.
            chosen, _look = _decide(
                service=locked.service,
                members=candidates,
                hours=staff_hours_around(
                    staff_ids=[member.id for member in candidates],
                    start=around.read_start,
                    end=around.read_end,
                ),
                busy=_busy_of(candidates, around, exclude_appointment_id=locked.id),
                start=start,
                now=now,
                around=around,
            )
            if chosen is None:
                raise _Taken()
            old = {"start": locked.start.isoformat(), "staff_id": locked.staff_id}
            end, occ_start, occ_end = _occupied(locked.service, start)
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
                raise _Taken() from None
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
    except _Taken:
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
