"""Property tests: random hours, overrides, bookings, rules and `now`; the engine's output must
obey every rule, agree with `staff_can_take`, and equal a minute-by-minute brute force.

All zones here have no DST in the dates drawn (DST has its own matrix in test_engine_dst.py), so
the checks can walk wall-clock minutes directly. Every generated time is a multiple of 5 minutes
(zone offsets are multiples of 15 minutes), so checking a 5-minute lattice covers every possible
start.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from yuyue.scheduling.engine import (
    Busy,
    BusySpan,
    ServiceRules,
    Slot,
    StaffCalendar,
    busy_span,
    explain_start,
    find_slots,
    staff_can_take,
)

ZONES = [ZoneInfo(name) for name in ("UTC", "Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo")]
BASE = dt.date(2026, 6, 1)  # a Monday
BASE_UTC = dt.datetime.combine(BASE, dt.time(), tzinfo=dt.UTC)
FIVE = dt.timedelta(minutes=5)
MINUTE = dt.timedelta(minutes=1)
SERVICE = 1


@dataclass(frozen=True)
class Scenario:
    calendars: list[StaffCalendar]
    rules: ServiceRules
    date_from: dt.date
    date_to: dt.date
    now: dt.datetime
    zone: ZoneInfo

    def slots(self, calendars: list[StaffCalendar] | None = None) -> list[Slot]:
        return find_slots(
            calendars=self.calendars if calendars is None else calendars,
            rules=self.rules,
            date_from=self.date_from,
            date_to=self.date_to,
            now=self.now,
            zone=self.zone,
        )


# --- strategies ---------------------------------------------------------------------------------

# Quarter-hour bounds; intervals may touch or overlap each other (the engine must merge them).
interval = st.builds(
    lambda start, length: (start * 15, min(1440, (start + length) * 15)),
    st.integers(0, 95),
    st.integers(1, 40),
)
day_hours = st.lists(interval, max_size=3)  # an override may close the day
open_hours = st.lists(interval, min_size=1, max_size=3)


def timedelta_minutes(values) -> st.SearchStrategy[dt.timedelta]:
    return st.sampled_from(values).map(lambda m: dt.timedelta(minutes=m))


rules_strategy = st.builds(
    ServiceRules,
    service_id=st.just(SERVICE),
    duration=timedelta_minutes([15, 20, 30, 45, 60, 90]),
    buffer_before=timedelta_minutes([0, 0, 5, 15, 30]),
    buffer_after=timedelta_minutes([0, 0, 10, 15, 30]),
    capacity=st.sampled_from([1, 1, 2, 3]),
    interval=st.none() | timedelta_minutes([10, 15, 30, 60]),
    min_notice=timedelta_minutes([0, 0, 0, 30, 120, 1440]),
    max_days_ahead=st.sampled_from([0, 1, 2, 5, 60, 60, 60, 60]),
)


def busy_strategy(first_day: int, days: int) -> st.SearchStrategy[BusySpan]:
    # 5-minute aligned spans from 5 minutes to 3 hours, of the service itself or of others.
    return st.builds(
        lambda start, length, service: busy_span(
            BASE_UTC + start * FIVE, BASE_UTC + (start + length) * FIVE, service
        ),
        st.integers(first_day * 288, (first_day + days) * 288),
        st.integers(1, 36),
        st.sampled_from([SERVICE, SERVICE, 2, 3]),
    )


@st.composite
def calendars_strategy(draw, max_staff: int, first_day: int, days: int, zones=ZONES):
    calendars = []
    override_days = [BASE + dt.timedelta(days=n) for n in range(first_day, first_day + days)]
    for staff_id in range(1, draw(st.integers(1, max_staff)) + 1):
        calendars.append(
            StaffCalendar(
                staff_id=staff_id,
                zone=draw(st.sampled_from(zones)),
                weekly=draw(st.dictionaries(st.integers(0, 6), open_hours, min_size=3, max_size=7)),
                overrides=draw(st.dictionaries(st.sampled_from(override_days), day_hours)),
                busy=draw(st.lists(busy_strategy(first_day, days), max_size=14)),
            )
        )
    return calendars


@st.composite
def scenarios(draw) -> Scenario:
    date_from = BASE + dt.timedelta(days=draw(st.integers(-1, 2)))
    return Scenario(
        calendars=draw(calendars_strategy(max_staff=3, first_day=-3, days=9)),
        rules=draw(rules_strategy),
        date_from=date_from,
        date_to=date_from + dt.timedelta(days=draw(st.integers(0, 1))),
        now=BASE_UTC + FIVE * draw(st.integers(-2 * 288, 2 * 288)),
        zone=draw(st.sampled_from(ZONES)),
    )


# A hand-written example, so every property runs at least once on a busy, realistic calendar.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day_offset: int, hhmm: str, zone: ZoneInfo = SHANGHAI) -> dt.datetime:
    hours, mins = map(int, hhmm.split(":"))
    day = BASE + dt.timedelta(days=day_offset)
    return dt.datetime.combine(day, dt.time(hours, mins), tzinfo=zone).astimezone(dt.UTC)


REALISTIC = Scenario(
    calendars=[
        StaffCalendar(
            1,
            SHANGHAI,
            {d: [(540, 720), (780, 1080)] for d in range(5)},
            {BASE + dt.timedelta(days=1): [(600, 660), (660, 720)]},
            [
                busy_span(_at(0, "10:00"), _at(0, "11:00"), SERVICE),
                busy_span(_at(0, "10:30"), _at(0, "11:30"), SERVICE),
                busy_span(_at(0, "14:00"), _at(0, "15:15"), 2),
            ],
        ),
        StaffCalendar(
            2,
            ZoneInfo("Asia/Kolkata"),
            {d: [(480, 1020)] for d in range(7)},
            {},
            [busy_span(_at(0, "13:00"), _at(0, "13:45"), SERVICE)],
        ),
    ],
    rules=ServiceRules(
        service_id=SERVICE,
        duration=dt.timedelta(minutes=45),
        buffer_before=dt.timedelta(minutes=15),
        buffer_after=dt.timedelta(minutes=15),
        capacity=2,
        interval=dt.timedelta(minutes=30),
        min_notice=dt.timedelta(minutes=30),
    ),
    date_from=BASE,
    date_to=BASE + dt.timedelta(days=1),
    now=_at(0, "09:40"),
    zone=SHANGHAI,
)


# --- helpers re-deriving the rules independently ------------------------------------------------


def shown(spans) -> list[Busy]:
    """Busy spans in datetimes, for the checks below that walk wall-clock minutes."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return [
        Busy(
            epoch + s * dt.timedelta(microseconds=1), epoch + e * dt.timedelta(microseconds=1), sid
        )
        for s, e, sid, _id in spans
    ]


def wall_minutes(intervals) -> set[int]:
    """Working minutes of a day as a set: the union of the intervals, merging done for free."""
    return {m for start, end in intervals for m in range(start, end)}


def hours_on(calendar: StaffCalendar, day: dt.date):
    if day in calendar.overrides:
        return calendar.overrides[day]
    return calendar.weekly.get(day.weekday(), [])


def per_staff(scenario: Scenario) -> dict[int, dict[dt.datetime, int]]:
    return {
        cal.staff_id: {s.start: s.remaining for s in scenario.slots([cal])}
        for cal in scenario.calendars
    }


def occupied(scenario: Scenario, slot: Slot) -> tuple[dt.datetime, dt.datetime]:
    return slot.start - scenario.rules.buffer_before, slot.end + scenario.rules.buffer_after


SETTINGS = settings(max_examples=80, deadline=None)


# --- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_no_slot_overlaps_a_blocking_booking_or_overfills_a_class(scenario):
    rules = scenario.rules
    calendars = {c.staff_id: c for c in scenario.calendars}
    each = per_staff(scenario)
    for slot in scenario.slots():
        lo, hi = occupied(scenario, slot)
        for staff_id in slot.staff_ids:
            same = []
            for b in shown(calendars[staff_id].busy):
                if b.start < hi and b.end > lo:
                    # Only a class of the same service may share time.
                    assert rules.capacity > 1 and b.service_id == rules.service_id
                    same.append(b)
            # The count only rises at the new span's start or at a booking's start, so the
            # peak including the new booking is the largest count at those instants.
            checkpoints = [lo] + [b.start for b in same if b.start > lo]
            peak = max(sum(b.start <= t < b.end for b in same) for t in checkpoints)
            assert 1 + peak <= rules.capacity
            assert each[staff_id][slot.start] == rules.capacity - peak


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_every_slot_lies_inside_one_stretch_of_its_staff_members_hours(scenario):
    calendars = {c.staff_id: c for c in scenario.calendars}
    duration_minutes = scenario.rules.duration // MINUTE
    for slot in scenario.slots():
        for staff_id in slot.staff_ids:
            cal = calendars[staff_id]
            start = slot.start.astimezone(cal.zone)
            day = start.date()
            working = wall_minutes(hours_on(cal, day))
            first = start.hour * 60 + start.minute
            # Every wall-clock minute of the appointment is a working minute of that day...
            assert all(first + k in working for k in range(duration_minutes))
            # ...and the appointment ends on the same local day (1440 at the latest).
            last_moment = (slot.end - dt.timedelta(microseconds=1)).astimezone(cal.zone)
            assert last_moment.date() == day
            assert last_moment.hour * 60 + last_moment.minute in working


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_every_slot_respects_notice_horizon_range_and_duration(scenario):
    rules = scenario.rules
    calendars = {c.staff_id: c for c in scenario.calendars}
    for slot in scenario.slots():
        assert slot.start.tzinfo is dt.UTC and slot.end.tzinfo is dt.UTC
        assert slot.end - slot.start == rules.duration
        assert slot.start >= scenario.now + rules.min_notice
        assert scenario.date_from <= slot.start.astimezone(scenario.zone).date() <= scenario.date_to
        for staff_id in slot.staff_ids:
            zone = calendars[staff_id].zone
            today = scenario.now.astimezone(zone).date()
            assert slot.start.astimezone(zone).date() <= today + dt.timedelta(rules.max_days_ahead)


def every_start(scenario):
    """Every five minutes of the scenario's local days, as UTC instants."""
    lo = dt.datetime.combine(scenario.date_from, dt.time(), tzinfo=scenario.zone)
    hi = dt.datetime.combine(
        scenario.date_to + dt.timedelta(days=1), dt.time(), tzinfo=scenario.zone
    )
    moment = lo.astimezone(dt.UTC)
    while moment < hi:
        yield moment
        moment += FIVE


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_staff_can_take_agrees_with_the_listing_at_every_possible_start(scenario):
    each = per_staff(scenario)
    for moment in every_start(scenario):
        for cal in scenario.calendars:
            seats = staff_can_take(
                calendar=cal, rules=scenario.rules, start=moment, now=scenario.now
            )
            assert seats == each[cal.staff_id].get(moment, 0), (cal.staff_id, moment)


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_explain_start_finds_no_reason_exactly_when_staff_can_take_the_start(scenario):
    # The explainer and the decision read the same busy spans: no reason <=> a seat left.
    for moment in every_start(scenario):
        for cal in scenario.calendars:
            reasons = explain_start(
                calendar=cal, rules=scenario.rules, start=moment, now=scenario.now
            )
            seats = staff_can_take(
                calendar=cal, rules=scenario.rules, start=moment, now=scenario.now
            )
            assert (reasons == []) == (seats > 0), (cal.staff_id, moment, reasons, seats)


@SETTINGS
@given(scenarios())
@example(REALISTIC)
def test_merged_slots_are_the_sum_of_each_staff_members_slots(scenario):
    expected: dict[dt.datetime, list] = defaultdict(lambda: [[], 0])
    for staff_id, starts in sorted(per_staff(scenario).items()):
        for start, remaining in starts.items():
            assert remaining >= 1
            expected[start][0].append(staff_id)
            expected[start][1] += remaining
    merged = scenario.slots()
    assert [(s.start, list(s.staff_ids), s.remaining) for s in merged] == [
        (start, ids, remaining) for start, (ids, remaining) in sorted(expected.items())
    ]
    assert [s.start for s in merged] == sorted({s.start for s in merged})


# --- brute force --------------------------------------------------------------------------------


def brute_force(scenario: Scenario) -> list[tuple[dt.datetime, dt.datetime, tuple[int, ...], int]]:
    """Minute-by-minute simulation of one day, all staff in the request zone.

    Minutes are counted from the requested day's local midnight; the zones drawn have no DST, so
    minute m is simply midnight + m minutes. Bookings are painted onto per-minute arrays covering
    the day before to the day after (buffers and bookings may reach there).
    """
    rules = scenario.rules
    day = scenario.date_from
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=scenario.zone)
    duration, step = rules.duration // MINUTE, (rules.interval or rules.duration) // MINUTE
    before, after = rules.buffer_before // MINUTE, rules.buffer_after // MINUTE
    offset = 1440  # array index of minute 0
    by_start: dict[dt.datetime, list] = defaultdict(lambda: [[], 0])
    for cal in sorted(scenario.calendars, key=lambda c: c.staff_id):
        blocked = [False] * (3 * 1440)
        same = [0] * (3 * 1440)
        for b in shown(cal.busy):
            first, last = (b.start - midnight) // MINUTE, (b.end - midnight) // MINUTE
            for m in range(max(first, -offset), min(last, 2 * 1440)):
                if rules.capacity > 1 and b.service_id == rules.service_id:
                    same[m + offset] += 1
                else:
                    blocked[m + offset] = True
        minutes = wall_minutes(hours_on(cal, day))
        working = [m in minutes for m in range(1440)] + [False]
        today = scenario.now.astimezone(cal.zone).date()
        if day > today + dt.timedelta(days=rules.max_days_ahead):
            continue
        run_start = None
        for m in range(1441):
            if working[m] and run_start is None:
                run_start = m
            elif not working[m] and run_start is not None:
                # A maximal run of working minutes is one merged interval: walk its grid.
                for s in range(run_start, m - duration + 1, step):
                    start = (midnight + s * MINUTE).astimezone(dt.UTC)
                    if start < scenario.now + rules.min_notice:
                        continue
                    span = range(s - before + offset, s + duration + after + offset)
                    if any(blocked[i] for i in span):
                        continue
                    remaining = rules.capacity - max(same[i] for i in span)
                    if remaining > 0:
                        by_start[start][0].append(cal.staff_id)
                        by_start[start][1] += remaining
                run_start = None
    return [
        (start, start + rules.duration, tuple(ids), remaining)
        for start, (ids, remaining) in sorted(by_start.items())
    ]


@st.composite
def one_day_scenarios(draw) -> Scenario:
    zone = draw(st.sampled_from(ZONES))
    day = BASE + dt.timedelta(days=draw(st.integers(0, 2)))
    return Scenario(
        calendars=draw(calendars_strategy(max_staff=3, first_day=-1, days=5, zones=[zone])),
        rules=draw(rules_strategy),
        date_from=day,
        date_to=day,
        now=BASE_UTC + FIVE * draw(st.integers(-2 * 288, 288)),
        zone=zone,
    )


@settings(max_examples=150, deadline=None)
@given(one_day_scenarios())
@example(
    Scenario(
        calendars=[
            StaffCalendar(c.staff_id, SHANGHAI, c.weekly, c.overrides, c.busy)
            for c in REALISTIC.calendars
        ],
        rules=REALISTIC.rules,
        date_from=BASE,
        date_to=BASE,
        now=REALISTIC.now,
        zone=SHANGHAI,
    )
)
def test_find_slots_equals_a_minute_by_minute_brute_force(scenario):
    assert [(s.start, s.end, s.staff_ids, s.remaining) for s in scenario.slots()] == brute_force(
        scenario
    )
