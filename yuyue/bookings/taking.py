"""The one path to take a time: can this start be taken, and by whom.

Every write that takes time (a booking, a reschedule, a walk-in) and the explainer go through
here: a `TakeRequest`, built once by `take_request`, holds what the decision needs (the
service's rules, waived by the staff override or not, the start, the instant the request is
judged at, the day around the start and the span read for it, the candidates and their hours).
`who_can_take` is the decision, `explain` the same decision in words, and `lock_for_taking` with
`taker_under_lock` the lock protocol of a write (docs/booking.md#locking-order). What is near a
refused start is yuyue/bookings/availability.py's `alternatives_near`.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import OperationalError, transaction

from yuyue.bookings.lock_objects import staff_members_for_update
from yuyue.bookings.models import HOLDING_STATUSES, Appointment
from yuyue.catalog.models import MAX_DAYS_AHEAD, Service
from yuyue.lib.epoch import EpochMicroseconds
from yuyue.lib.writers import one_writer
from yuyue.scheduling.engine import (
    Reason,
    ServiceRules,
    StaffCalendar,
    choose_staff,
    explain_start,
    staff_can_take,
    wall_to_instant,
)
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import (
    READ_PAD,
    BusySpans,
    Hours,
    calendars_of,
    service_rules,
    staff_hours_around,
)


def holding_spans(
    *,
    staff_ids: Sequence[int],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment_id: int | None = None,
    with_ids: bool = False,
) -> BusySpans:
    """The holding appointments of these staff around [start, end) as the engine's busy spans,
    (occupied start, occupied end, service id, appointment id), instants in epoch
    microseconds: 1 query. The appointment is named only `with_ids` (to explain a refusal):
    deciding needs no more than the spans, and a listing reads thousands of them."""
    # Both sides bounded, so the (staff, occupied_end) index skips the history before the
    # window: the cost follows the window asked for, not the appointments kept.
    holding = Appointment.objects.filter(
        staff_id__in=staff_ids,
        status__in=HOLDING_STATUSES,
        occupied_end__gt=start - READ_PAD,
        occupied_start__lt=end + READ_PAD,
    )
    if exclude_appointment_id is not None:
        holding = holding.exclude(id=exclude_appointment_id)
    busy: BusySpans = defaultdict(list)
    # Integers straight from SQL: no datetime parsed per row (the engine works in
    # microseconds).
    spans = holding.order_by().annotate(
        lo=EpochMicroseconds("occupied_start"), hi=EpochMicroseconds("occupied_end")
    )
    if with_ids:
        for staff_id, occ_start, occ_end, service_id, appointment_id in spans.values_list(
            "staff_id", "lo", "hi", "service_id", "id"
        ):
            busy[staff_id].append((occ_start, occ_end, service_id, appointment_id))
    else:
        for staff_id, occ_start, occ_end, service_id in spans.values_list(
            "staff_id", "lo", "hi", "service_id"
        ):
            busy[staff_id].append((occ_start, occ_end, service_id, None))
    return busy


def overridden_rules(rules: ServiceRules) -> ServiceRules:
    """What staff may waive when they book for a customer: the minimum notice, the booking
    horizon, the release time (a phone booking for a regular before the day opens online) and
    the slot grid (a walk-in starts at any minute). Never working hours, capacity or overlap:
    those stay the engine's to decide."""
    return replace(
        rules,
        min_notice=dt.timedelta(0),
        max_days_ahead=MAX_DAYS_AHEAD,
        interval=dt.timedelta(minutes=1),
        release_days_before=None,
    )


def occupied_span(
    service: Service, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(end, occupied start, occupied end) of an appointment of `service` at `start`."""
    end = start + dt.timedelta(minutes=service.duration_minutes)
    return (
        end,
        start - dt.timedelta(minutes=service.buffer_before_minutes),
        end + dt.timedelta(minutes=service.buffer_after_minutes),
    )


@dataclass(frozen=True)
class Around:
    """Where a decision looks: the asked start's local day in the request's zone (the instants
    find_slots gives that day), and the span whose calendars are read for it."""

    zone: zoneinfo.ZoneInfo
    day: dt.date
    day_start: dt.datetime
    day_end: dt.datetime
    read_start: dt.datetime
    read_end: dt.datetime


def _around(service: Service, start: dt.datetime, zone: zoneinfo.ZoneInfo) -> Around:
    _end, occ_start, occ_end = occupied_span(service, start)
    day = start.astimezone(zone).date()
    day_start = wall_to_instant(day, 0, zone)
    day_end = wall_to_instant(day + dt.timedelta(days=1), 0, zone)
    return Around(zone, day, day_start, day_end, min(occ_start, day_start), max(occ_end, day_end))


@dataclass(frozen=True)
class TakeRequest:
    """Who may take `start` of `service` is decided from this, built once per request."""

    service: Service
    # The service's rules, or what is left of them under the staff override.
    rules: ServiceRules
    start: dt.datetime
    now: dt.datetime
    around: Around
    # Who may take it: one named staff member, or everyone "any staff" ranks.
    candidates: tuple[StaffMember, ...]
    hours: Hours
    staff_override: bool = False
    # An appointment being moved leaves its own time free.
    exclude_appointment_id: int | None = None

    @property
    def candidate_ids(self) -> list[int]:
        return [member.id for member in self.candidates]

    def busy(self, members: Sequence[StaffMember], *, with_ids: bool = False) -> BusySpans:
        """The holding appointments of `members` around the start, read now: 1 query."""
        return holding_spans(
            staff_ids=[member.id for member in members],
            start=self.around.read_start,
            end=self.around.read_end,
            exclude_appointment_id=self.exclude_appointment_id,
            with_ids=with_ids,
        )


def take_request(
    *,
    service: Service,
    start: dt.datetime,
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    candidates: Sequence[StaffMember],
    staff_override: bool = False,
    exclude_appointment_id: int | None = None,
) -> TakeRequest:
    """The request, with the candidates' hours and overrides around the start: 2 queries.

    Hours are read before any lock: their writes do not take the staff locks, so reading them
    under the lock would promise nothing more, and the lock is held for less. What the lock
    guards, the holding appointments, is read under it.
    """
    around = _around(service, start, zone)
    rules = service_rules(service)
    return TakeRequest(
        service=service,
        rules=overridden_rules(rules) if staff_override else rules,
        start=start,
        now=now,
        around=around,
        candidates=tuple(candidates),
        hours=staff_hours_around(
            staff_ids=[member.id for member in candidates],
            start=around.read_start,
            end=around.read_end,
        ),
        staff_override=staff_override,
        exclude_appointment_id=exclude_appointment_id,
    )


@dataclass(frozen=True)
class Look:
    """The calendars a decision used, complete for the asked start's local day: enough to
    offer alternatives near a refused start without reading anything again."""

    calendars: list[StaffCalendar]
    around: Around


def who_can_take(
    request: TakeRequest, members: Sequence[StaffMember], busy: BusySpans
) -> tuple[StaffMember | None, Look]:
    """The best-fit member who can take the start (None if nobody), as the engine decides."""
    calendars = calendars_of(staff=members, hours=request.hours, busy=busy)
    if len(calendars) == 1:
        seats = staff_can_take(
            calendar=calendars[0], rules=request.rules, start=request.start, now=request.now
        )
        chosen_id = calendars[0].staff_id if seats > 0 else None
    else:
        chosen_id = choose_staff(
            calendars=calendars, rules=request.rules, start=request.start, now=request.now
        )
    chosen = next((member for member in members if member.id == chosen_id), None)
    return chosen, Look(calendars, request.around)


def explain(request: TakeRequest, member: StaffMember) -> list[Reason]:
    """Why `member` cannot take the start (empty: they can): `who_can_take`'s decision, from
    the same spans, in reasons. 1 query."""
    busy = request.busy([member], with_ids=True)
    calendar = calendars_of(staff=[member], hours=request.hours, busy=busy)[0]
    return explain_start(
        calendar=calendar, rules=request.rules, start=request.start, now=request.now
    )


class Taken(Exception):
    """Nobody can take the start. Raised inside the transaction so it rolls back before
    alternatives are computed; it carries the calendars the decision read, if any."""

    def __init__(self, look: Look | None = None) -> None:
        super().__init__()
        self.look = look


@dataclass(frozen=True)
class Ranking:
    """ "Any staff" ranked from a read without locks, before the transaction."""

    best: StaffMember | None
    busy: BusySpans
    look: Look


def rank(request: TakeRequest) -> Ranking:
    """Every candidate ranked from their holding appointments read now, without a lock: 1
    query. Locking every candidate first (and loading all their calendars while holding the
    locks, or on SQLite the one write lock) made concurrent "any staff" writes queue behind
    each other even for different people."""
    busy = request.busy(request.candidates)
    best, look = who_can_take(request, request.candidates, busy)
    return Ranking(best, busy, look)


@dataclass(frozen=True)
class Claim:
    """The staff rows a write holds. "Any staff" holds its chosen best fit, already checked
    under its lock (`decided`); otherwise the rows are locked and the decision waits for the
    caller's own checks under the same locks."""

    locked: list[StaffMember]
    decided: bool = False
    chosen: StaffMember | None = None
    look: Look | None = None


def lock_for_taking(
    request: TakeRequest, *, ranking: Ranking | None = None, also_lock: Sequence[int] = ()
) -> Claim:
    """Lock, in the caller's transaction, the staff rows a write needs to take the start.

    With a `ranking` ("any staff"), only the best fit, one row at a time (`_lock_best_fit`);
    otherwise the candidates and `also_lock` (a reschedule's current staff member), in
    ascending id order.
    """
    if ranking is None:
        return Claim(locked=staff_members_for_update(sorted({*request.candidate_ids, *also_lock})))
    if ranking.best is None:
        return Claim(locked=[], decided=True, look=ranking.look)
    chosen, look = _lock_best_fit(request, ranking)
    return Claim(locked=[] if chosen is None else [chosen], decided=True, chosen=chosen, look=look)


def taker_under_lock(request: TakeRequest, claim: Claim) -> StaffMember:
    """Who takes the start, decided under the claim's locks; Taken if nobody can."""
    if claim.decided:
        chosen, look = claim.chosen, claim.look
    else:
        wanted = set(request.candidate_ids)
        members = [member for member in claim.locked if member.id in wanted]
        chosen, look = who_can_take(request, members, request.busy(members))
    if chosen is None:
        raise Taken(look)
    return chosen


class _NotFree(Exception):
    """The staff member chosen before the lock was taken meanwhile."""


class _LockedByOther(Exception):
    """Another transaction holds the chosen staff member's row right now (PostgreSQL)."""


# PostgreSQL's "lock_not_available", what FOR UPDATE NOWAIT raises on a row someone holds.
_LOCK_NOT_AVAILABLE = "55P03"


def _lock_if_free(request: TakeRequest, staff_id: int, *, nowait: bool) -> StaffMember | None:
    """Lock one staff member and check they can still take the start; None if not. With
    `nowait`, _LockedByOther if someone else holds them right now.

    When they cannot (someone booked them meanwhile), the savepoint rolls back, which lets the
    lock go: whatever the caller locks next (the next best fit), no transaction ever waits for
    a row while holding another.
    """
    try:
        with transaction.atomic():
            locked = staff_members_for_update([staff_id], nowait=nowait)
            chosen, _look = who_can_take(request, locked, request.busy(locked))
            if chosen is None:
                raise _NotFree()
            return chosen
    except _NotFree:
        return None
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            raise _LockedByOther() from None
        raise


def _lock_best_fit(request: TakeRequest, ranking: Ranking) -> tuple[StaffMember | None, Look]:
    """ "Any staff", in the transaction: lock the best fit of the ranking and check they can
    still take the start; on a miss, the next best. Returns the locked staff member, or None
    and the calendars read when nobody can take it.

    The first tries do not wait (FOR UPDATE NOWAIT): in a rush on one time everyone ranks the
    same best fit, and each takes the next one rather than queue behind whoever is booking
    them. Only when nobody else is left does it read again and wait for those, one at a time.
    One staff row at most is locked at a time (a miss's savepoint lets it go), so writes never
    wait on each other in a cycle. On SQLite nothing changes while this transaction holds the
    write lock: after a miss one fresh read makes the next choice exact.
    """
    candidates = request.candidates
    best, busy, look = ranking.best, ranking.busy, ranking.look
    skipped: set[int] = set()  # someone else held them when tried
    taken: set[int] = set()  # could not take it under their lock
    wait = False
    while best is not None:
        try:
            chosen = _lock_if_free(request, best.id, nowait=not wait)
        except _LockedByOther:
            skipped.add(best.id)
        else:
            if chosen is not None:
                return chosen, look
            taken.add(best.id)
            if one_writer():
                busy = request.busy(candidates)
        best, look = who_can_take(
            request, [member for member in candidates if member.id not in skipped | taken], busy
        )
        if best is None and skipped and not wait:
            # Only staff someone else was booking may still take it: read again, and wait.
            wait = True
            skipped.clear()
            busy = request.busy(candidates)
            best, look = who_can_take(
                request, [member for member in candidates if member.id not in taken], busy
            )
    return None, look
