"""Availability engine: pure functions from hours, bookings and rules to free slots.

Nothing here touches Django or the database. Callers load plain values (a `StaffCalendar` per
staff member, the `ServiceRules` of one service) and get plain values back, which keeps this
module easy to test exhaustively and fast enough to run on every request.

How a slot is decided (the product rules, in one place; written out in docs/availability.md):

* Working hours are wall-clock minutes in the staff member's zone, per weekday, replaced for a
  date entirely by an override. Touching or overlapping intervals are merged first.
* Each working interval's start instant anchors a grid of candidate starts, stepping by the
  slot interval (default: the duration) in elapsed time. Bookings never move the grid.
* The appointment [s, s + duration) must fit inside one working interval. Its occupied span
  [s - buffer_before, s + duration + buffer_after) may stick out of working hours but may not
  overlap a holding appointment's occupied span -- except, when capacity > 1, appointments of
  the same service, of which at most `capacity` may hold at any instant.
* A start must be at least `min_notice` (elapsed) after `now`, and its local day at most
  `max_days_ahead` calendar days after the staff member's local today.
* Release time (放号): with `release_days_before` set, the starts of local day D are offered
  only from wall-clock `release_minute` on day D - `release_days_before` (in the staff
  member's zone, as the horizon); before that instant the day is "not released yet".

Errors: ValueError for naive datetimes, duration <= 0, capacity < 1, interval <= 0, negative
buffers, date_to < date_from, a busy span ending before it starts, a malformed working interval
and a staff member listed twice; TypeError for a zone that is not a tzinfo.

Implementation notes (the "why" of the shape of this code):

* Internally every instant is an int: microseconds since the Unix epoch, UTC. Integer maths is
  exact (no float timestamps), hashes fast, and lets the grid be a plain `range()`.
* Wall-clock -> instant conversions go through `_wall_to_us`, which is memoised: a calendar
  for 50 staff x 30 days asks for the same few (zone, day, minute) triples over and over.
* Blocking appointments are turned, once per staff member, into a sorted list of *forbidden
  start ranges*; the grid of each working interval is then walked against that list with
  bisect, so the cost is O(grid points + bookings) instead of O(grid points x bookings).
* Local days partition time: the hours of day D are clamped to [start of D, start of D + 1),
  so every instant belongs to exactly one local day, no start is produced twice, and
  `find_slots` and `staff_can_take` agree on which day (and so which hours and which horizon)
  a start belongs to, even around DST transitions that fall at midnight.
"""

import bisect
import datetime as dt
import functools
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "Busy",
    "BusySpan",
    "Reason",
    "ServiceRules",
    "Slot",
    "StaffCalendar",
    "busy_span",
    "choose_staff",
    "explain_start",
    "find_slots",
    "nearest_starts",
    "next_opening",
    "release_instant",
    "released_through",
    "staff_can_take",
    "wall_to_instant",
]

_UTC = dt.UTC
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=_UTC)
_ONE_US = dt.timedelta(microseconds=1)
_ONE_DAY = dt.timedelta(days=1)
_MINUTES_PER_DAY = 1440
# Stand-in for "no upper bound" (an instant far beyond any datetime), so the inner loops can
# keep comparing plain ints instead of special-casing None.
_FAR_FUTURE_US = 1 << 62


@dataclass(frozen=True, slots=True)
class ServiceRules:
    """How one service is booked. See the module docstring for the meaning of each rule."""

    service_id: int
    duration: dt.timedelta
    buffer_before: dt.timedelta = dt.timedelta(0)
    buffer_after: dt.timedelta = dt.timedelta(0)
    capacity: int = 1
    interval: dt.timedelta | None = None  # slot grid step; None means = duration
    min_notice: dt.timedelta = dt.timedelta(0)
    max_days_ahead: int = 60
    # 放号: a local day's starts open at `release_minute` (minutes after local midnight),
    # `release_days_before` days before it; None: always open (within the horizon).
    release_days_before: int | None = None
    release_minute: int = 0


class BusySpan(NamedTuple):
    """A holding appointment on a staff member: its OCCUPIED span (buffers already included)
    in microseconds since the Unix epoch, what a database loader hands over without building a
    datetime per row. The one form of busy time every function here reads."""

    start: int
    end: int
    service_id: int
    appointment_id: int | None = None  # which appointment, for explaining a refusal


@dataclass(frozen=True, slots=True)
class Busy:
    """A busy span as `explain_start` shows it to a person: aware datetimes."""

    start: dt.datetime
    end: dt.datetime
    service_id: int
    appointment_id: int | None = None


@dataclass(frozen=True, slots=True)
class StaffCalendar:
    """Everything the engine needs to know about one staff member."""

    staff_id: int
    zone: dt.tzinfo  # a zoneinfo.ZoneInfo: the zone the hours are wall-clock in
    # weekday 0=Mon..6=Sun -> [(start_minute, end_minute)], minutes since local midnight,
    # 0 <= start < end <= 1440; missing weekday = closed
    weekly: Mapping[int, Sequence[tuple[int, int]]]
    # local date -> intervals replacing that day's weekly hours; empty sequence = closed that day
    overrides: Mapping[dt.date, Sequence[tuple[int, int]]]
    # Holding appointments of this staff member (any service), any order: BusySpan, or plain
    # (start, end, service id, appointment id) tuples of the same integers.
    busy: Sequence[tuple[int, int, int, int | None]] = ()


@dataclass(frozen=True, slots=True)
class Slot:
    """A bookable start, merged across the staff who can take it."""

    start: dt.datetime  # aware, UTC
    end: dt.datetime  # aware, UTC; end - start == duration exactly
    staff_ids: tuple[int, ...]  # ascending
    remaining: int  # seats left (sum over staff_ids)


# --------------------------------------------------------------------------------------------
# Instants as integers
# --------------------------------------------------------------------------------------------


def _to_us(value: dt.datetime, what: str = "datetime") -> int:
    """Microseconds since the epoch of an aware datetime; ValueError if it is naive."""
    try:
        # Aware subtraction goes through utcoffset(), so any zone (and fold) is honoured.
        return (value - _EPOCH) // _ONE_US
    except TypeError:
        # Naive minus aware raises TypeError; a naive instant is a caller bug we name clearly.
        raise ValueError(f"{what} must be an aware datetime, got {value!r}") from None


def _to_dt(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def busy_span(
    start: dt.datetime, end: dt.datetime, service_id: int, appointment_id: int | None = None
) -> BusySpan:
    """The BusySpan of an occupied span given in aware datetimes; ValueError if naive."""
    return BusySpan(
        _to_us(start, "busy start"), _to_us(end, "busy end"), service_id, appointment_id
    )


def _td_us(value: dt.timedelta) -> int:
    return value // _ONE_US


def _local_date(us: int, zone: dt.tzinfo) -> dt.date:
    return _to_dt(us).astimezone(zone).date()


def _offset_at(zone: dt.tzinfo, us: int) -> dt.timedelta | None:
    # tzinfo.utcoffset() takes a *wall-clock* datetime; to ask "what offset is in force at this
    # instant" we must go through astimezone(), which uses fromutc().
    return _to_dt(us).astimezone(zone).utcoffset()


def _add_days(day: dt.date, days: int) -> dt.date:
    """`day + days`, clamped to the representable date range instead of raising."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


# --------------------------------------------------------------------------------------------
# Wall clock -> instant (DST rules)
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _wall_to_us(zone: dt.tzinfo, day: dt.date, minute: int, end: bool) -> int:
    """Instant (epoch microseconds) of wall-clock `minute` on `day` in `zone`; see
    `wall_to_instant` for the rules. Memoised because calendars repeat the same few bounds."""
    if minute == _MINUTES_PER_DAY:
        day, minute = day + _ONE_DAY, 0
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    # zoneinfo resolves a wall time with the fold attribute: fold=0 uses the offset in force
    # before a transition, fold=1 the one after. Comparing the two tells the three cases apart
    # without knowing anything about the zone's rules.
    early = _to_us(naive.replace(tzinfo=zone, fold=0))
    late = _to_us(naive.replace(tzinfo=zone, fold=1))
    if early == late:  # an ordinary wall time: one instant
        return early
    if early < late:  # fall-back overlap: the wall time happens twice
        # A start takes the first occurrence and an end the second, so hours that span the
        # repeated stretch include both passes through it (both are real, workable time).
        return late if end else early
    # Spring-forward gap: this wall time never happens. The transition instant lies in
    # (late, early]: `late` is read with the post-transition offset, so it falls before the
    # jump; `early` with the pre-transition one, so it falls after. Binary search for the first
    # instant whose offset differs from the pre-transition one: the first instant after the gap.
    lo, hi = late, early
    before = _offset_at(zone, lo)
    if _offset_at(zone, hi) == before:  # not a zone that behaves like zoneinfo; be defensive
        return early
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset_at(zone, mid) == before:
            lo = mid
        else:
            hi = mid
    return hi


def wall_to_instant(
    day: dt.date, minute: int, zone: dt.tzinfo, *, end: bool = False
) -> dt.datetime:
    """The UTC instant of local wall-clock `minute` on `day` in `zone`.

    `minute` runs from 0 to 1440; 1440 is the next local midnight. DST rules:

    * A wall time inside a spring-forward gap (it never happens) maps to the first instant
      after the gap, e.g. America/New_York 2026-03-08 02:30 -> 03:00 EDT = 07:00 UTC.
    * A wall time inside a fall-back overlap (it happens twice) maps to the EARLIER occurrence
      for a start (`end=False`) and to the LATER occurrence for an end (`end=True`), so hours
      covering the repeated stretch cover both passes.
    """
    if not isinstance(zone, dt.tzinfo):
        raise TypeError(f"zone must be a tzinfo, got {zone!r}")
    if not 0 <= minute <= _MINUTES_PER_DAY:
        raise ValueError(f"minute must lie in 0..1440, got {minute!r}")
    return _to_dt(_wall_to_us(zone, day, minute, end))


def _day_start_us(zone: dt.tzinfo, day: dt.date) -> int:
    """First instant of local `day` (minute 0 read as a start)."""
    try:
        return _wall_to_us(zone, day, 0, False)
    except OverflowError:
        return _FAR_FUTURE_US if day.year > 1 else -_FAR_FUTURE_US


# --------------------------------------------------------------------------------------------
# Working hours
# --------------------------------------------------------------------------------------------


def _merge_local(intervals: Iterable[Sequence[int]]) -> tuple[tuple[int, int], ...]:
    """Validate wall-clock intervals and merge touching/overlapping ones (the product rule).

    This is not the last merge: `_day_spans` merges again after conversion to instants, where
    DST can make intervals touch or overlap that do not in wall-clock terms.
    """
    items = []
    for pair in intervals:
        start, end = pair
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= 1440):
            raise ValueError(f"working interval must satisfy 0 <= start < end <= 1440: {pair!r}")
        items.append((start, end))
    items.sort()
    merged: list[tuple[int, int]] = []
    for start, end in items:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


@functools.lru_cache(maxsize=32768)
def _day_spans(
    zone: dt.tzinfo, day: dt.date, local: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, int], ...]:
    """Working spans of one local day as sorted, disjoint (start_us, end_us) pairs.

    Spans are clamped to [start of day, start of next day) so that local days partition time
    (see the module docstring), then merged again in real time, because DST mapping can join
    intervals that are apart on the wall clock:

    * on a fall-back day, (0, 90) + (100, 180) in New York end at the LATER 01:30 and start at
      the EARLIER 01:40 -- they overlap as instants and are one stretch of work;
    * on a spring-forward day, (0, 150) + (180, 300) end and start at the same instant (02:30
      and 03:00 both map to 03:00 EDT): no time passes between them, so the staff member works
      without a break and the grid runs on through, as for touching wall-clock intervals.
    """
    if not local:
        return ()
    day_lo = _day_start_us(zone, day)
    day_hi = _day_start_us(zone, _add_days(day, 1)) if day < dt.date.max else _FAR_FUTURE_US
    spans = []
    for start, end in local:
        s = max(_wall_to_us(zone, day, start, False), day_lo)
        e = min(_wall_to_us(zone, day, end, True), day_hi)
        if s < e:
            spans.append((s, e))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)


class _Hours:
    """A calendar's hours, merged once per call, looked up per local day."""

    __slots__ = ("_overrides", "_weekly", "zone")

    def __init__(self, calendar: StaffCalendar) -> None:
        self.zone = calendar.zone
        self._weekly = {
            weekday: _merge_local(intervals) for weekday, intervals in calendar.weekly.items()
        }
        self._overrides = calendar.overrides

    def spans(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        override = self._overrides.get(day)
        if override is not None:  # an override replaces the day entirely; empty = closed
            local = _merge_local(override)
        else:
            local = self._weekly.get(day.weekday(), ())
        return _day_spans(self.zone, day, local)


# --------------------------------------------------------------------------------------------
# Rules and busy spans
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rules:
    """ServiceRules validated and in microseconds."""

    service_id: int
    duration: int
    before: int
    after: int
    capacity: int
    step: int
    notice: int
    days_ahead: int
    release_days: int | None
    release_minute: int


def _rules(rules: ServiceRules) -> _Rules:
    duration = _td_us(rules.duration)
    step = duration if rules.interval is None else _td_us(rules.interval)
    before, after = _td_us(rules.buffer_before), _td_us(rules.buffer_after)
    if duration <= 0:
        raise ValueError(f"duration must be positive, got {rules.duration}")
    if rules.capacity < 1:
        raise ValueError(f"capacity must be at least 1, got {rules.capacity}")
    if step <= 0:
        raise ValueError(f"interval must be positive, got {rules.interval}")
    if before < 0 or after < 0:
        # A negative buffer would let occupied spans shrink below the appointment itself.
        raise ValueError("buffers must not be negative")
    if rules.release_days_before is not None and (
        rules.release_days_before < 0 or not 0 <= rules.release_minute < _MINUTES_PER_DAY
    ):
        raise ValueError("release: days must not be negative and the minute lie in 0..1439")
    return _Rules(
        service_id=rules.service_id,
        duration=duration,
        before=before,
        after=after,
        capacity=rules.capacity,
        step=step,
        notice=_td_us(rules.min_notice),
        days_ahead=rules.max_days_ahead,
        release_days=rules.release_days_before,
        release_minute=rules.release_minute,
    )


def _released_through(rules: _Rules, zone: dt.tzinfo, now_us: int) -> dt.date:
    """The last local day (in `zone`) whose starts are open at `now_us`: the release rule as a
    second horizon, so a listing pays one comparison per day for it, not per start."""
    today = _local_date(now_us, zone)
    if rules.release_days is None:
        return dt.date.max
    opened_today = now_us >= _wall_to_us(zone, today, rules.release_minute, False)
    return _add_days(today, rules.release_days - (0 if opened_today else 1))


def _last_day(rules: _Rules, zone: dt.tzinfo, now_us: int) -> dt.date:
    """The last local day offered at all: the horizon, or the release rule if it is nearer."""
    horizon = _add_days(_local_date(now_us, zone), rules.days_ahead)
    return min(horizon, _released_through(rules, zone, now_us))


def released_through(*, rules: ServiceRules, zone: dt.tzinfo, now: dt.datetime) -> dt.date | None:
    """The last local day in `zone` whose times are open at `now` (None: no release rule)."""
    prepared = _rules(rules)
    if prepared.release_days is None:
        return None
    return _released_through(prepared, zone, _to_us(now, "now"))


def next_opening(
    *, rules: ServiceRules, zone: dt.tzinfo, now: dt.datetime, date_from: dt.date, date_to: dt.date
) -> dt.datetime | None:
    """When the first day of [date_from, date_to] (local dates in `zone`) not open yet at
    `now` opens, within the horizon; None when every day asked is open (or no release rule).
    What a listing shows beside its slots: "opens 12-08 08:00"."""
    last_open = released_through(rules=rules, zone=zone, now=now)
    if last_open is None:
        return None
    first_closed = max(date_from, _add_days(last_open, 1))
    horizon = _add_days(now.astimezone(zone).date(), rules.max_days_ahead)
    if first_closed > min(date_to, horizon):
        return None
    return release_instant(rules=rules, zone=zone, day=first_closed)


def release_instant(*, rules: ServiceRules, zone: dt.tzinfo, day: dt.date) -> dt.datetime | None:
    """When local `day`'s times open in `zone` (None: no release rule), e.g. 08:00 seven days
    before. A release minute inside a spring-forward gap opens at the first instant after it."""
    if rules.release_days_before is None:
        return None
    return wall_to_instant(_add_days(day, -rules.release_days_before), rules.release_minute, zone)


def _split_busy(
    busy: Iterable[tuple[int, int, int, int | None]], rules: _Rules
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(blocking, shared) occupied spans in microseconds, each sorted by start.

    Blocking spans forbid any overlap: every booking when capacity is 1, otherwise bookings of
    other services. Shared spans (same service, capacity > 1) may overlap up to capacity.
    Empty spans are dropped: a half-open empty span overlaps nothing.
    """
    blocking: list[tuple[int, int]] = []
    shared: list[tuple[int, int]] = []
    for start, end, service_id, _appointment_id in busy:
        if end < start:
            raise ValueError(f"busy span ends before it starts: {(start, end, service_id)!r}")
        if end == start:
            continue
        if rules.capacity > 1 and service_id == rules.service_id:
            shared.append((start, end))
        else:
            blocking.append((start, end))
    blocking.sort()
    shared.sort()
    return blocking, shared


def _overlaps_any(blocking: Sequence[tuple[int, int]], lo: int, hi: int) -> bool:
    return any(start < hi and end > lo for start, end in blocking)


class _Shared:
    """Same-service spans of a capacity > 1 service, for peak-overlap queries."""

    __slots__ = ("_ends", "_max_len", "_starts")

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._max_len = max((e - s for s, e in spans), default=0)

    def peak(self, lo: int, hi: int) -> int:
        """Most spans holding at any one instant inside [lo, hi).

        Only spans starting in (lo - longest span, hi) can overlap [lo, hi), so two bisects
        bound the scan to the neighbourhood instead of the whole list.
        """
        if not self._starts:
            return 0
        first = bisect.bisect_right(self._starts, lo - self._max_len)
        last = bisect.bisect_left(self._starts, hi, first)
        events: list[tuple[int, int]] = []
        for i in range(first, last):
            end = self._ends[i]
            if end > lo:
                # Clip to the window; at equal times ends (-1) sort before starts (+1) because
                # spans are half-open: one ending as another starts never overlap.
                events.append((max(self._starts[i], lo), 1))
                events.append((min(end, hi), -1))
        if len(events) <= 2:
            return len(events) // 2
        events.sort()
        peak = current = 0
        for _, delta in events:
            current += delta
            peak = max(peak, current)
        return peak


def _forbidden_starts(
    blocking: Sequence[tuple[int, int]], rules: _Rules
) -> tuple[list[int], list[int]]:
    """Sorted, disjoint OPEN ranges (lo, hi) of starts that a blocking span forbids.

    Start s has occupied span [s - before, s + duration + after); it overlaps a blocking span
    [b0, b1) iff s - before < b1 and s + duration + after > b0, i.e. iff s lies in the open
    range (b0 - duration - after, b1 + before). Ranges that merely touch are kept apart: the
    shared endpoint belongs to neither and is an allowed start.
    """
    lows: list[int] = []
    highs: list[int] = []
    reach_before = rules.duration + rules.after
    for b0, b1 in blocking:  # sorted by b0, hence by lo
        lo, hi = b0 - reach_before, b1 + rules.before
        if highs and lo < highs[-1]:
            highs[-1] = max(highs[-1], hi)
        else:
            lows.append(lo)
            highs.append(hi)
    return lows, highs


# --------------------------------------------------------------------------------------------
# find_slots
# --------------------------------------------------------------------------------------------


def _check_zone(zone: object, what: str) -> None:
    if not isinstance(zone, dt.tzinfo):
        raise TypeError(f"{what} must be a tzinfo, got {zone!r}")


def _staff_starts(
    calendar: StaffCalendar,
    rules: _Rules,
    *,
    window_lo: int,
    window_hi: int,
    now_us: int,
) -> Iterable[tuple[int, int]]:
    """(start_us, remaining) of every start this staff member offers inside [lo, hi)."""
    zone = calendar.zone
    _check_zone(zone, f"zone of staff {calendar.staff_id}")
    earliest = max(window_lo, now_us + rules.notice)
    if earliest >= window_hi:
        return
    horizon = _last_day(rules, zone, now_us)
    # Iterate the staff member's local days that can hold starts in [earliest, window_hi). The
    # window is in instants, so the staff zone's own local dates of its ends are exact; the
    # extra day each side only matters in zones whose clocks go back across midnight (where the
    # local date of an instant is not monotonic) and costs two empty-ish days.
    first_day = _add_days(_local_date(earliest, zone), -1)
    if window_hi >= _FAR_FUTURE_US:
        last_day = horizon
    else:
        last_day = min(horizon, _add_days(_local_date(window_hi - 1, zone), 1))
    if first_day > last_day:
        return

    hours = _Hours(calendar)
    blocking, shared_spans = _split_busy(calendar.busy, rules)
    forbid_lo, forbid_hi = _forbidden_starts(blocking, rules)
    n_forbidden = len(forbid_lo)
    shared = _Shared(shared_spans) if shared_spans else None
    duration, step, capacity = rules.duration, rules.step, rules.capacity
    before, reach_after = rules.before, rules.duration + rules.after

    day = first_day
    while True:
        for ws, we in hours.spans(day):
            last = min(we - duration, window_hi - 1)  # latest admissible start
            # First grid point (ws + k * step, k >= 0) at or after `earliest`.
            pos = ws if earliest <= ws else ws + -((ws - earliest) // step) * step
            j = bisect.bisect_right(forbid_hi, pos)
            while pos <= last:
                # Invariant: every forbidden range before j ends at or before pos.
                if j < n_forbidden and forbid_lo[j] < pos:
                    stop = pos - 1  # pos sits inside forbidden range j: nothing to emit
                else:
                    stop = min(last, forbid_lo[j]) if j < n_forbidden else last
                for start in range(pos, stop + 1, step):
                    if shared is None:
                        yield start, capacity
                    else:
                        remaining = capacity - shared.peak(start - before, start + reach_after)
                        if remaining > 0:
                            yield start, remaining
                if j >= n_forbidden:
                    break
                # Jump past forbidden range j to the next grid point after it.
                resume = forbid_hi[j]
                pos = ws + -((ws - resume) // step) * step if resume > ws else ws
                j = bisect.bisect_right(forbid_hi, pos, j + 1)
        if day >= last_day:
            break
        day = day + _ONE_DAY


def find_slots(
    *,
    calendars: Sequence[StaffCalendar],
    rules: ServiceRules,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    zone: dt.tzinfo,
) -> list[Slot]:
    """Free slots whose start's local date (in `zone`, the requesting business/location zone)
    lies in [date_from, date_to] inclusive, merged across staff ("any staff").

    One Slot per distinct (start, end); `staff_ids` are the staff who can take it (ascending)
    and `remaining` the sum of their remaining seats. Full slots are left out. Sorted by
    start, then end. A range reaching into the past is fine: past starts are not offered.

    Staff may keep hours in a zone other than `zone`; the request window is turned into an
    interval of instants [first instant of date_from, first instant of date_to + 1) in `zone`
    and each staff member's own local days are scanned around it.
    """
    prepared = _rules(rules)
    _check_zone(zone, "zone")
    if date_to < date_from:
        raise ValueError(f"date_to {date_to} is before date_from {date_from}")
    now_us = _to_us(now, "now")
    window_lo = _day_start_us(zone, date_from)
    window_hi = (
        _day_start_us(zone, _add_days(date_to, 1)) if date_to < dt.date.max else _FAR_FUTURE_US
    )

    # start_us -> [staff ids, remaining]. Staff are visited in ascending id order, so each list
    # comes out sorted without a sort; a staff member yields each start at most once because
    # local days partition time and a day's spans are disjoint.
    by_start: dict[int, list] = {}
    seen: set[int] = set()
    for calendar in sorted(calendars, key=lambda c: c.staff_id):
        if calendar.staff_id in seen:
            raise ValueError(f"staff {calendar.staff_id} appears in two calendars")
        seen.add(calendar.staff_id)
        staff_id = calendar.staff_id
        for start, remaining in _staff_starts(
            calendar, prepared, window_lo=window_lo, window_hi=window_hi, now_us=now_us
        ):
            entry = by_start.get(start)
            if entry is None:
                by_start[start] = [[staff_id], remaining]
            else:
                entry[0].append(staff_id)
                entry[1] += remaining

    duration = dt.timedelta(microseconds=prepared.duration)
    slots = []
    for start in sorted(by_start):
        staff_ids, remaining = by_start[start]
        begins = _to_dt(start)
        slots.append(Slot(begins, begins + duration, tuple(staff_ids), remaining))
    return slots


# --------------------------------------------------------------------------------------------
# Single-start checks: staff_can_take, choose_staff
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fit:
    """Why a staff member can take a start: the facts best fit ranks on."""

    remaining: int
    day: dt.date
    span: tuple[int, int]  # the working span that contains the appointment
    blocking: list[tuple[int, int]]
    busy_all: list[tuple[int, int]]


def _owning_day(zone: dt.tzinfo, start: int) -> dt.date | None:
    """The local day whose [start of day, start of next day) holds `start`.

    Usually just the local date of the instant; checking the neighbours too keeps this equal to
    the day find_slots attributes the start to even in zones whose clocks go back across
    midnight (where the local date of an instant is not monotonic in time).
    """
    local = _local_date(start, zone)
    for day in (local, _add_days(local, -1), _add_days(local, 1)):
        if _day_start_us(zone, day) <= start < _day_start_us(zone, _add_days(day, 1)):
            return day
    return None


def _assess(calendar: StaffCalendar, rules: _Rules, start: int, now_us: int) -> _Fit | None:
    """The same decision find_slots makes for one start, or None if it is not offered."""
    zone = calendar.zone
    _check_zone(zone, f"zone of staff {calendar.staff_id}")
    if start < now_us + rules.notice:
        return None
    day = _owning_day(zone, start)
    if day is None or day > _last_day(rules, zone, now_us):
        return None
    end = start + rules.duration
    span = next(
        ((ws, we) for ws, we in _Hours(calendar).spans(day) if ws <= start and end <= we), None
    )
    if span is None or (start - span[0]) % rules.step:
        return None
    blocking, shared = _split_busy(calendar.busy, rules)
    occupied_lo, occupied_hi = start - rules.before, end + rules.after
    if _overlaps_any(blocking, occupied_lo, occupied_hi):
        return None
    remaining = rules.capacity - _Shared(shared).peak(occupied_lo, occupied_hi)
    if remaining <= 0:
        return None
    return _Fit(remaining, day, span, blocking, sorted(blocking + shared))


def staff_can_take(
    *, calendar: StaffCalendar, rules: ServiceRules, start: dt.datetime, now: dt.datetime
) -> int:
    """Seats this staff member has left for an appointment starting at `start`.

    0 if it is not an offered slot for any reason: off grid, outside hours, blocked, notice,
    horizon, full. Makes exactly the decision `find_slots` makes for that start, so a booking
    re-checked here agrees with the listing it came from.
    """
    prepared = _rules(rules)
    fit = _assess(calendar, prepared, _to_us(start, "start"), _to_us(now, "now"))
    return 0 if fit is None else fit.remaining


def _slack(fit: _Fit, rules: _Rules, start: int) -> int:
    """Free time around the occupied span that nothing else could use with it in place.

    The free gap holding the occupied span is bounded by the working span (widened to the
    candidate's own buffers when they stick out of hours) and by the nearest blocking spans on
    either side; slack is the gap's length minus the occupied span's length.
    """
    occupied_lo, occupied_hi = start - rules.before, start + rules.duration + rules.after
    gap_lo = min(fit.span[0], occupied_lo)
    gap_hi = max(fit.span[1], occupied_hi)
    for b0, b1 in fit.blocking:  # none overlaps the occupied span, or it would not be offered
        if b1 <= occupied_lo and b1 > gap_lo:
            gap_lo = b1
        elif b0 >= occupied_hi and b0 < gap_hi:
            gap_hi = b0
    return (gap_hi - gap_lo) - (occupied_hi - occupied_lo)


def _busy_on_day(fit: _Fit, zone: dt.tzinfo) -> int:
    """Microseconds of bookings (any service) inside the local day, overlaps counted once."""
    day_lo = _day_start_us(zone, fit.day)
    day_hi = _day_start_us(zone, _add_days(fit.day, 1))
    total = 0
    covered = day_lo  # spans are sorted by start; count only time not counted yet
    for b0, b1 in fit.busy_all:
        lo, hi = max(b0, covered), min(b1, day_hi)
        if hi > lo:
            total += hi - lo
            covered = hi
    return total


def choose_staff(
    *,
    calendars: Sequence[StaffCalendar],
    rules: ServiceRules,
    start: dt.datetime,
    now: dt.datetime,
) -> int | None:
    """Best fit among staff for whom `start` is an offered slot; None if nobody can take it.

    Preference, each step only breaking ties of the one before:

    a. capacity > 1: fewest remaining seats at `start` -- fill a class that is already running
       before opening a new one with someone else;
    b. smallest slack: the free gap containing the occupied span (bounded by the working
       interval that contains the appointment, widened to the candidate's own buffers where
       they stick out, and by the neighbouring bookings that would block it), minus the
       occupied span's length -- packing short bookings into tight gaps keeps long gaps free
       for long services later in the day;
    c. the lighter day: fewer total minutes booked (any service) on that staff member's local
       date of `start`, to spread work;
    d. lowest staff_id, so the choice is deterministic.

    For capacity > 1, "bookings that would block it" are those of other services; bookings of
    the same service share the time and do not bound the gap.
    """
    prepared = _rules(rules)
    start_us, now_us = _to_us(start, "start"), _to_us(now, "now")
    best: tuple[int, int, int, int] | None = None
    for calendar in calendars:
        fit = _assess(calendar, prepared, start_us, now_us)
        if fit is None:
            continue
        key = (
            fit.remaining if prepared.capacity > 1 else 0,
            _slack(fit, prepared, start_us),
            _busy_on_day(fit, calendar.zone),
            calendar.staff_id,
        )
        if best is None or key < best:
            best = key
    return None if best is None else best[3]


# --------------------------------------------------------------------------------------------
# nearest_starts
# --------------------------------------------------------------------------------------------


def nearest_starts(slots: Sequence[Slot], target: dt.datetime, limit: int = 3) -> list[Slot]:
    """Up to `limit` slots whose starts are nearest to `target` (absolute distance; ties:
    earlier first), returned sorted by start (then end). Used to suggest alternatives when a
    requested start is taken."""
    target_us = _to_us(target, "target")
    if limit <= 0:
        return []

    def distance(slot: Slot) -> tuple[int, int, int]:
        start = _to_us(slot.start, "Slot.start")
        return abs(start - target_us), start, _to_us(slot.end, "Slot.end")

    nearest = heapq.nsmallest(limit, slots, key=distance)
    nearest.sort(key=lambda slot: (slot.start, slot.end))
    return nearest


# --------------------------------------------------------------------------------------------
# explain_start: why a start is not offered
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a start is not offered to this staff member.

    Codes: "past", "notice", "horizon", "day_off" (no weekly hours that weekday),
    "closed_override" (a date override closes the day), "outside_hours" / "outside_override"
    (the appointment does not fit the weekly / the override's hours), "break" (it reaches
    into the gap between two working intervals), "off_grid", "overlap" (another appointment's
    occupied span, buffers included, meets this one's; `busy` names them), "full" (capacity
    reached; `peak` seats taken), "not_released" (the day's times open later: `opens`).
    """

    code: str
    busy: tuple[Busy, ...] = ()
    spans: tuple[tuple[dt.datetime, dt.datetime], ...] = ()  # the day's working hours
    peak: int = 0
    opens: dt.datetime | None = None  # "not_released": when the day's times open


def explain_start(
    *, calendar: StaffCalendar, rules: ServiceRules, start: dt.datetime, now: dt.datetime
) -> list[Reason]:
    """Every reason `start` is not offered to this staff member; empty when it is offered.

    The same decisions as `staff_can_take`, taken one by one and named instead of stopping
    at the first, so staff can see all that stands in the way.
    """
    prepared = _rules(rules)
    start_us, now_us = _to_us(start, "start"), _to_us(now, "now")
    zone = calendar.zone
    _check_zone(zone, f"zone of staff {calendar.staff_id}")
    reasons: list[Reason] = []
    if start_us < now_us:
        reasons.append(Reason("past"))
    elif start_us < now_us + prepared.notice:
        reasons.append(Reason("notice"))
    day = _owning_day(zone, start_us)
    if day is not None and day > _add_days(_local_date(now_us, zone), prepared.days_ahead):
        reasons.append(Reason("horizon"))
    elif day is not None and day > _released_through(prepared, zone, now_us):
        opens = release_instant(rules=rules, zone=zone, day=day)
        reasons.append(Reason("not_released", opens=opens))
    end_us = start_us + prepared.duration
    spans = _Hours(calendar).spans(day) if day is not None else ()
    shown = tuple((_to_dt(ws), _to_dt(we)) for ws, we in spans)
    override = calendar.overrides.get(day) if day is not None else None
    inside = next(((ws, we) for ws, we in spans if ws <= start_us and end_us <= we), None)
    if not spans:
        reasons.append(Reason("closed_override" if override is not None else "day_off"))
    elif inside is None:
        within_day = spans[0][0] <= start_us and end_us <= spans[-1][1]
        if within_day and override is None:
            reasons.append(Reason("break", spans=shown))
        else:
            code = "outside_override" if override is not None else "outside_hours"
            reasons.append(Reason(code, spans=shown))
    elif (start_us - inside[0]) % prepared.step:
        reasons.append(Reason("off_grid", spans=shown))
    occupied_lo, occupied_hi = start_us - prepared.before, end_us + prepared.after
    blocking_items = []
    shared = []
    for b0, b1, service_id, appointment_id in calendar.busy:
        if b1 < b0:
            raise ValueError(f"busy span ends before it starts: {(b0, b1, service_id)!r}")
        if b0 == b1:
            continue
        if prepared.capacity > 1 and service_id == prepared.service_id:
            shared.append((b0, b1))
        elif b0 < occupied_hi and b1 > occupied_lo:
            blocking_items.append((b0, b1, service_id, appointment_id))
    if blocking_items:
        blocking_items.sort(key=lambda item: item[0])
        shown_busy = tuple(
            Busy(_to_dt(b0), _to_dt(b1), service_id, appointment_id)
            for b0, b1, service_id, appointment_id in blocking_items
        )
        reasons.append(Reason("overlap", busy=shown_busy))
    shared.sort()
    peak = _Shared(shared).peak(occupied_lo, occupied_hi)
    if peak >= prepared.capacity:
        reasons.append(Reason("full", peak=peak))
    return reasons
