"""DST matrix: slots around every 2026 and 2027 transition of a handful of zones.

Transitions are found here by scanning zoneinfo (not hard-coded, except New York 2026 as a
sanity check), so the expectations follow the tz database the tests run with:

* Asia/Shanghai and America/Sao_Paulo (no DST since 2019) are controls with no transitions;
* America/New_York and Europe/Berlin shift by an hour;
* Australia/Lord_Howe shifts by 30 minutes.
"""

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from yuyue.scheduling.engine import ServiceRules, Slot, StaffCalendar, find_slots, wall_to_instant

ZONES = [
    "Asia/Shanghai",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
]
CONTROLS = {"Asia/Shanghai", "America/Sao_Paulo"}
YEARS = [2026, 2027]
MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Transition:
    zone: str
    day: dt.date  # local date on which the clocks change
    instant: dt.datetime  # UTC, first instant with the new offset
    before: dt.timedelta  # offset before
    after: dt.timedelta  # offset after

    @property
    def forward(self) -> bool:
        return self.after > self.before

    @property
    def shift(self) -> dt.timedelta:
        return abs(self.after - self.before)

    @property
    def wall_range(self) -> tuple[dt.datetime, dt.datetime]:
        """Naive local [from, to) that is skipped (forward) or repeated (back)."""
        old, new = self.instant + self.before, self.instant + self.after
        return (old, new) if self.forward else (new, old)


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=None)


def offset_at_local_noon(zone: ZoneInfo, day: dt.date) -> dt.timedelta:
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone).utcoffset()


def transitions(name: str, year: int) -> list[Transition]:
    """Days of `year` whose local noon has another UTC offset than the previous day's, each
    with its exact transition instant found minute by minute in between."""
    zone = ZoneInfo(name)
    found = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        previous = day - dt.timedelta(days=1)
        if offset_at_local_noon(zone, previous) != offset_at_local_noon(zone, day):
            moment = dt.datetime.combine(previous, dt.time(12), tzinfo=zone).astimezone(dt.UTC)
            before = moment.astimezone(zone).utcoffset()
            while moment.astimezone(zone).utcoffset() == before:
                moment += MINUTE
            after = moment.astimezone(zone).utcoffset()
            found.append(Transition(name, day, moment, before, after))
        day += dt.timedelta(days=1)
    return found


ALL = [t for name in ZONES for year in YEARS for t in transitions(name, year)]
FORWARD = [t for t in ALL if t.forward]
BACK = [t for t in ALL if not t.forward]


def ident(t: Transition) -> str:
    return f"{t.zone}-{t.day}-{'forward' if t.forward else 'back'}"


def slots_on(
    name: str,
    day: dt.date,
    hours: list[tuple[int, int]],
    minutes_long: int = 30,
) -> list[Slot]:
    zone = ZoneInfo(name)
    calendar = StaffCalendar(1, zone, {}, {day: hours}, [])
    service = ServiceRules(
        service_id=1, duration=dt.timedelta(minutes=minutes_long), max_days_ahead=3650
    )
    return find_slots(
        calendars=[calendar],
        rules=service,
        date_from=day,
        date_to=day,
        now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        zone=zone,
    )


def minute_of(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


# --- the transitions themselves -----------------------------------------------------------------


def test_new_york_2026_transitions_are_on_the_known_dates():
    found = transitions("America/New_York", 2026)
    assert [(t.day, t.forward) for t in found] == [
        (dt.date(2026, 3, 8), True),
        (dt.date(2026, 11, 1), False),
    ]
    assert found[0].instant == dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC)  # 02:00 EST
    assert found[1].instant == dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC)  # 02:00 EDT


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("name", ZONES)
def test_only_the_dst_zones_have_one_jump_forward_and_one_back_each_year(name, year):
    found = transitions(name, year)
    if name in CONTROLS:
        assert found == []
    else:
        assert sorted(t.forward for t in found) == [False, True]


def test_lord_howe_shifts_by_thirty_minutes():
    assert {t.shift for t in ALL if t.zone == "Australia/Lord_Howe"} == {dt.timedelta(minutes=30)}


def test_wall_to_instant_follows_the_documented_examples():
    new_york = ZoneInfo("America/New_York")
    # 02:30 does not exist on 2026-03-08: the first instant after the gap is 03:00 EDT.
    assert wall_to_instant(dt.date(2026, 3, 8), 150, new_york) == dt.datetime(
        2026, 3, 8, 7, 0, tzinfo=dt.UTC
    )
    # 01:30 happens twice on 2026-11-01: 05:30 UTC (EDT) and 06:30 UTC (EST).
    fall = dt.date(2026, 11, 1)
    assert wall_to_instant(fall, 90, new_york) == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    assert wall_to_instant(fall, 90, new_york, end=True) == dt.datetime(
        2026, 11, 1, 6, 30, tzinfo=dt.UTC
    )


# --- every transition day -----------------------------------------------------------------------


@pytest.mark.parametrize("minutes_long", [30, 45])
@pytest.mark.parametrize("transition", ALL, ids=ident)
def test_every_slot_is_a_real_local_time_and_lasts_exactly_its_duration(transition, minutes_long):
    zone = ZoneInfo(transition.zone)
    slots = slots_on(transition.zone, transition.day, [(0, 1440)], minutes_long)
    assert slots
    for slot in slots:
        local = slot.start.astimezone(zone)
        # Round trip: the wall time (with its fold) converts back to the same instant, which a
        # wall time inside the gap would not.
        again = _naive(local).replace(tzinfo=zone, fold=local.fold).astimezone(dt.UTC)
        assert again == slot.start
        assert slot.end - slot.start == dt.timedelta(minutes=minutes_long)
        assert local.date() == transition.day


@pytest.mark.parametrize("transition", ALL, ids=ident)
def test_a_whole_transition_day_holds_as_many_slots_as_its_elapsed_length(transition):
    # Open around the clock: a 23-, 23.5-, 24.5- or 25-hour day, cut into 30-minute slots.
    zone = ZoneInfo(transition.zone)
    day = transition.day
    first = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    after = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    length = after.astimezone(dt.UTC) - first.astimezone(dt.UTC)
    assert length == dt.timedelta(hours=24) + (transition.before - transition.after)
    slots = slots_on(transition.zone, day, [(0, 1440)])
    assert len(slots) == length // dt.timedelta(minutes=30)
    assert slots[0].start == first
    assert slots[-1].end == after


@pytest.mark.parametrize("transition", FORWARD, ids=ident)
def test_hours_beginning_inside_the_gap_begin_at_the_first_instant_after_it(transition):
    gap_from, gap_to = transition.wall_range
    inside = minute_of(gap_from + (gap_to - gap_from) / 2)
    slots = slots_on(transition.zone, transition.day, [(inside, 8 * 60)])
    assert slots[0].start == transition.instant
    # ...and the grid runs from there in elapsed time, without hitting the gap again.
    assert [b.start - a.start for a, b in itertools.pairwise(slots)] == [
        dt.timedelta(minutes=30)
    ] * (len(slots) - 1)


@pytest.mark.parametrize("transition", FORWARD, ids=ident)
def test_hours_ending_inside_the_gap_end_at_the_first_instant_after_it(transition):
    # From two hours before the jump to the middle of the gap: the elapsed length is just the
    # two hours, so the last slot ends exactly at the transition.
    zone = ZoneInfo(transition.zone)
    gap_from, gap_to = transition.wall_range
    inside = minute_of(gap_from + (gap_to - gap_from) / 2)
    opens = minute_of(gap_from) - 120
    slots = slots_on(transition.zone, transition.day, [(opens, inside)])
    assert slots[0].start == (gap_from - dt.timedelta(hours=2)).replace(tzinfo=zone)
    assert slots[-1].end == transition.instant
    assert len(slots) == 4


@pytest.mark.parametrize("transition", BACK, ids=ident)
def test_both_passes_through_the_repeated_hour_are_offered(transition):
    zone = ZoneInfo(transition.zone)
    repeat_from, repeat_to = transition.wall_range

    def in_repeated_wall_time(slots: list[Slot], day: dt.date) -> int:
        lo = dt.datetime.combine(day, repeat_from.time())
        hi = dt.datetime.combine(day, repeat_to.time())
        return sum(lo <= _naive(s.start.astimezone(zone)) < hi for s in slots)

    ordinary = transition.day - dt.timedelta(days=7)
    normal = in_repeated_wall_time(slots_on(transition.zone, ordinary, [(0, 1440)]), ordinary)
    doubled = in_repeated_wall_time(
        slots_on(transition.zone, transition.day, [(0, 1440)]), transition.day
    )
    assert normal == transition.shift // dt.timedelta(minutes=30)
    assert doubled == 2 * normal


@pytest.mark.parametrize("transition", BACK, ids=ident)
def test_hours_starting_in_the_repeated_hour_start_at_its_first_occurrence(transition):
    repeat_from, _ = transition.wall_range
    slots = slots_on(transition.zone, transition.day, [(minute_of(repeat_from), 8 * 60)])
    # The first occurrence is read with the offset still in force before the change.
    assert slots[0].start == (repeat_from - transition.before).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("transition", BACK, ids=ident)
def test_hours_ending_in_the_repeated_hour_end_at_its_second_occurrence(transition):
    repeat_from, repeat_to = transition.wall_range
    inside = repeat_from + (repeat_to - repeat_from) / 2
    # 15-minute slots, so the grid from midnight lands exactly on the end in every zone here.
    slots = slots_on(transition.zone, transition.day, [(0, minute_of(inside))], minutes_long=15)
    # The second occurrence is read with the offset in force after the change.
    assert slots[-1].end == (inside - transition.after).replace(tzinfo=dt.UTC)


# --- ordinary days ------------------------------------------------------------------------------


def ordinary_days() -> list[tuple[str, dt.date]]:
    # A DST zone a week either side of each of its transitions; a control zone on every day a
    # DST zone jumps (nothing may happen there).
    cases = []
    for t in ALL:
        cases += [(t.zone, t.day - dt.timedelta(days=7)), (t.zone, t.day + dt.timedelta(days=7))]
        cases += [(name, t.day) for name in sorted(CONTROLS)]
    return sorted(set(cases))


@pytest.mark.parametrize(("name", "day"), ordinary_days(), ids=str)
def test_on_ordinary_days_slots_follow_the_configured_wall_clock_hours(name, day):
    zone = ZoneInfo(name)
    slots = slots_on(name, day, [(540, 720), (780, 1020)])
    expected = [
        dt.time(minute // 60, minute % 60)
        for start, end in ((540, 720), (780, 1020))
        for minute in range(start, end, 30)
    ]
    assert [s.start.astimezone(zone).time() for s in slots] == expected
    assert {s.start.astimezone(zone).date() for s in slots} == {day}


# --- intervals that DST joins -------------------------------------------------------------------

NEW_YORK = "America/New_York"


def test_on_a_fall_back_day_hours_overlapping_in_real_time_form_one_stretch():
    # 2026-11-01, New York: 00:00-01:30 ends at the LATER 01:30 (06:30 UTC), 01:40-03:00 starts
    # at the EARLIER 01:40 (05:40 UTC). As instants they overlap, so the staff member works one
    # stretch 04:00-08:00 UTC: eight half-hours from 04:00, none starting at 05:40, none twice.
    slots = slots_on(NEW_YORK, dt.date(2026, 11, 1), [(0, 90), (100, 180)])
    first = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
    assert [s.start for s in slots] == [first + k * dt.timedelta(minutes=30) for k in range(8)]


def test_on_a_spring_forward_day_hours_separated_only_by_the_gap_form_one_stretch():
    # 2026-03-08, New York: 00:00-02:30 ends at 03:00 EDT (07:00 UTC) and 03:00-05:00 starts
    # there too, so 05:00-09:00 UTC is worked without a break and the 45-minute grid runs
    # through from 05:00: 4 h / 45 min = 5 slots (apart, each grid would fit only 2).
    slots = slots_on(NEW_YORK, dt.date(2026, 3, 8), [(0, 150), (180, 300)], minutes_long=45)
    first = dt.datetime(2026, 3, 8, 5, 0, tzinfo=dt.UTC)
    assert [s.start for s in slots] == [first + k * dt.timedelta(minutes=45) for k in range(5)]
