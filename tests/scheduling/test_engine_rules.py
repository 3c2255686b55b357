"""One or more tests per product rule of the availability engine.

Times are written as local wall-clock "HH:MM" in Asia/Shanghai (UTC+8, no DST) unless a test is
about zones; each expected list is derived in the test's comment from the rule it checks.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from yuyue.scheduling.engine import (
    BusySpan,
    ServiceRules,
    Slot,
    StaffCalendar,
    busy_span,
    find_slots,
    nearest_starts,
    staff_can_take,
    wall_to_instant,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
MON = dt.date(2026, 6, 1)  # a Monday
TUE, WED, THU = (MON + dt.timedelta(days=n) for n in (1, 2, 3))
NINE_TO_FIVE = {weekday: [(540, 1020)] for weekday in range(7)}


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def at(day: dt.date, hhmm: str, zone: dt.tzinfo = SHANGHAI) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone) + dt.timedelta(minutes=minutes(hhmm))


# A week before Monday: everything below is in the future and well inside the 60-day horizon.
LONG_AGO = at(MON - dt.timedelta(days=7), "00:00")


def busy(day: dt.date, start: str, end: str, service_id: int = 1) -> BusySpan:
    return busy_span(at(day, start).astimezone(dt.UTC), at(day, end).astimezone(dt.UTC), service_id)


def calendar(
    staff_id: int = 1,
    weekly=None,
    overrides=None,
    bookings=(),
    zone: dt.tzinfo = SHANGHAI,
) -> StaffCalendar:
    return StaffCalendar(
        staff_id=staff_id,
        zone=zone,
        weekly=NINE_TO_FIVE if weekly is None else weekly,
        overrides=overrides or {},
        busy=list(bookings),
    )


def rules(minutes_long: int = 60, **kwargs) -> ServiceRules:
    for name in ("buffer_before", "buffer_after", "interval", "min_notice"):
        if name in kwargs and isinstance(kwargs[name], int):
            kwargs[name] = dt.timedelta(minutes=kwargs[name])
    return ServiceRules(service_id=1, duration=dt.timedelta(minutes=minutes_long), **kwargs)


def slots_for(
    cals,
    service: ServiceRules,
    date_from: dt.date = MON,
    date_to: dt.date | None = None,
    now: dt.datetime = LONG_AGO,
    zone: dt.tzinfo = SHANGHAI,
) -> list[Slot]:
    return find_slots(
        calendars=list(cals),
        rules=service,
        date_from=date_from,
        date_to=date_from if date_to is None else date_to,
        now=now,
        zone=zone,
    )


def local_starts(slots: list[Slot], zone: dt.tzinfo = SHANGHAI) -> list[str]:
    return [s.start.astimezone(zone).strftime("%H:%M") for s in slots]


def local_days(slots: list[Slot], zone: dt.tzinfo = SHANGHAI) -> list[dt.date]:
    return sorted({s.start.astimezone(zone).date() for s in slots})


# --- breaks: several intervals a day ------------------------------------------------------------


def test_a_lunch_break_splits_the_day():
    # 09:00-12:00 and 13:00-17:00, hourly: 3 starts before lunch, 4 after, none at 12:00.
    cal = calendar(weekly={0: [(540, 720), (780, 1020)]})
    assert local_starts(slots_for([cal], rules(60))) == [
        "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00",
    ]  # fmt: skip


def test_an_appointment_never_straddles_the_lunch_break():
    # 90 minutes on a 90-minute grid: 09:00 and 10:30 fit before 12:00; 13:00 and 14:30 after;
    # 16:00 would end at 17:30, past closing.
    cal = calendar(weekly={0: [(540, 720), (780, 1020)]})
    assert local_starts(slots_for([cal], rules(90))) == ["09:00", "10:30", "13:00", "14:30"]


def test_a_weekday_without_hours_is_closed():
    cal = calendar(weekly={1: [(540, 1020)]})  # Tuesdays only
    slots = slots_for([cal], rules(60), date_from=MON, date_to=WED)
    assert local_days(slots) == [TUE]


# --- overrides ----------------------------------------------------------------------------------


def test_an_empty_override_closes_the_day():
    cal = calendar(overrides={TUE: []})
    slots = slots_for([cal], rules(60), date_from=MON, date_to=WED)
    assert local_days(slots) == [MON, WED]


def test_an_override_replaces_the_weekly_hours_entirely():
    # Weekly 09:00-17:00, override 14:00-16:00: only 14:00 and 15:00, nothing from the weekly.
    cal = calendar(overrides={MON: [(840, 960)]})
    assert local_starts(slots_for([cal], rules(60))) == ["14:00", "15:00"]


def test_an_override_opens_a_day_without_weekly_hours():
    cal = calendar(weekly={}, overrides={MON: [(600, 720)]})
    assert local_starts(slots_for([cal], rules(60))) == ["10:00", "11:00"]


def test_an_override_only_affects_its_own_date():
    cal = calendar(overrides={MON: [(840, 960)]})
    assert local_starts(slots_for([cal], rules(60), date_from=TUE)) == [
        "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00",
    ]  # fmt: skip


# --- buffers ------------------------------------------------------------------------------------


def test_touching_appointments_do_not_overlap():
    # Booked 10:00-11:00: 09:00 (ends at 10:00) and 11:00 (starts at 11:00) touch it and stay.
    cal = calendar(weekly={0: [(540, 780)]}, bookings=[busy(MON, "10:00", "11:00", 2)])
    assert local_starts(slots_for([cal], rules(60))) == ["09:00", "11:00", "12:00"]


def test_a_gap_exactly_as_long_as_the_occupied_span_is_offered():
    # Booked 09:00-10:00 and 11:30-12:00; 60 minutes with 15 either side on a 15-minute grid.
    # The occupied span [s - 15, s + 75) clears the first booking only from s = 10:15 and the
    # second only up to s = 10:15 (or from 12:15, too late to end by 13:00): exactly one start.
    cal = calendar(
        weekly={0: [(540, 780)]},
        bookings=[busy(MON, "09:00", "10:00", 2), busy(MON, "11:30", "12:00", 3)],
    )
    service = rules(60, buffer_before=15, buffer_after=15, interval=15)
    assert local_starts(slots_for([cal], service)) == ["10:15"]


def test_a_buffer_after_may_not_run_into_the_next_appointment():
    # 60 minutes + 30 after; booked 11:00-12:00. 10:00 would occupy 10:00-11:30: refused.
    # 09:00 occupies 09:00-10:30: fine. 12:00 starts when the booking ends: fine.
    cal = calendar(weekly={0: [(540, 780)]}, bookings=[busy(MON, "11:00", "12:00", 2)])
    assert local_starts(slots_for([cal], rules(60, buffer_after=30))) == ["09:00", "12:00"]


def test_a_buffer_before_may_not_run_into_the_previous_appointment():
    # 60 minutes + 15 before; booked 09:00-10:00. 10:00 would occupy 09:45-11:00: refused.
    cal = calendar(weekly={0: [(540, 780)]}, bookings=[busy(MON, "09:00", "10:00", 2)])
    assert local_starts(slots_for([cal], rules(60, buffer_before=15))) == ["11:00", "12:00"]


def test_a_buffer_may_touch_another_appointment():
    # Booked 08:00-08:30 (before hours); 09:00 with 30 before occupies 08:30-10:00: touching.
    cal = calendar(weekly={0: [(540, 660)]}, bookings=[busy(MON, "08:00", "08:30", 2)])
    assert local_starts(slots_for([cal], rules(60, buffer_before=30))) == ["09:00", "10:00"]


def test_buffers_may_fall_outside_working_hours():
    # Open 09:00-12:00; 30 minutes either side sticks out before 09:00 and after 12:00.
    cal = calendar(weekly={0: [(540, 720)]})
    service = rules(60, buffer_before=30, buffer_after=30)
    assert local_starts(slots_for([cal], service)) == ["09:00", "10:00", "11:00"]


def test_buffers_outside_hours_may_not_cover_an_appointment_there():
    # Booked 08:00-08:45 before opening: a 30-minute buffer before 09:00 would cover 08:30.
    cal = calendar(weekly={0: [(540, 720)]}, bookings=[busy(MON, "08:00", "08:45", 2)])
    service = rules(60, buffer_before=30)
    assert local_starts(slots_for([cal], service)) == ["10:00", "11:00"]


def test_buffers_do_not_change_the_slot_length_or_the_grid():
    cal = calendar(weekly={0: [(540, 720)]})
    (first, *_) = slots_for([cal], rules(60, buffer_before=10, buffer_after=20))
    assert first.end - first.start == dt.timedelta(minutes=60)


# --- minimum notice -----------------------------------------------------------------------------


def test_minimum_notice_hides_starts_too_soon():
    # Now 10:10, notice 2 h: earliest 12:10, so the first hourly start is 13:00.
    slots = slots_for([calendar()], rules(60, min_notice=120), now=at(MON, "10:10"))
    assert local_starts(slots) == ["13:00", "14:00", "15:00", "16:00"]


def test_a_start_exactly_at_the_notice_limit_is_offered():
    slots = slots_for([calendar()], rules(60, min_notice=120), now=at(MON, "10:00"))
    assert local_starts(slots)[0] == "12:00"


def test_minimum_notice_is_elapsed_time_across_midnight():
    # Now Monday 22:00, notice 12 h: earliest Tuesday 10:00.
    slots = slots_for([calendar()], rules(60, min_notice=720), now=at(MON, "22:00"), date_to=TUE)
    assert local_days(slots) == [TUE]
    assert local_starts(slots)[0] == "10:00"


# --- horizon ------------------------------------------------------------------------------------


def test_the_horizon_counts_local_calendar_days():
    # Now Monday 10:00, 2 days ahead: Monday (after now), Tuesday and Wednesday; not Thursday.
    slots = slots_for([calendar()], rules(60, max_days_ahead=2), now=at(MON, "10:00"), date_to=THU)
    assert local_days(slots) == [MON, TUE, WED]


def test_the_horizon_includes_the_whole_last_day_even_past_24_hours_per_day():
    # Now Monday 00:10, one day ahead, open around the clock: Tuesday 23:00 is 46 h 50 min away
    # in elapsed time but on the last allowed local date; Wednesday 00:00 is not.
    cal = calendar(weekly={d: [(0, 1440)] for d in range(7)})
    slots = slots_for(
        [cal], rules(60, max_days_ahead=1), now=at(MON, "00:10"), date_from=MON, date_to=WED
    )
    assert slots[-1].start == at(TUE, "23:00")
    assert local_days(slots) == [MON, TUE]


def test_the_horizon_uses_the_staff_local_date_of_now_not_the_utc_date():
    # 17:00 UTC on Monday is already 01:00 on Tuesday in Shanghai: "today" is Tuesday, so with
    # zero days ahead Tuesday is bookable (a UTC-based horizon would offer only Monday).
    now = dt.datetime.combine(MON, dt.time(17, 0), tzinfo=dt.UTC)
    slots = slots_for(
        [calendar()], rules(60, max_days_ahead=0), now=now, date_from=MON, date_to=WED
    )
    assert local_days(slots) == [TUE]


def test_zero_days_ahead_means_today_only():
    service = rules(60, max_days_ahead=0)
    morning = slots_for([calendar()], service, now=at(MON, "08:00"), date_to=TUE)
    assert local_days(morning) == [MON]
    # Late on Monday its hours are over and Tuesday is still beyond the horizon.
    assert slots_for([calendar()], service, now=at(MON, "23:59"), date_to=TUE) == []


# --- grid ---------------------------------------------------------------------------------------


def test_a_custom_interval_steps_finer_than_the_duration():
    # 60 minutes every 30 minutes in 09:00-12:00: the last start that ends by 12:00 is 11:00.
    cal = calendar(weekly={0: [(540, 720)]})
    assert local_starts(slots_for([cal], rules(60, interval=30))) == [
        "09:00", "09:30", "10:00", "10:30", "11:00",
    ]  # fmt: skip


def test_a_custom_interval_may_be_longer_than_the_duration():
    # 30 minutes every 45: 09:00, 09:45, 10:30, 11:15 (ends 11:45); 12:00 would end 12:30.
    cal = calendar(weekly={0: [(540, 720)]})
    assert local_starts(slots_for([cal], rules(30, interval=45))) == [
        "09:00", "09:45", "10:30", "11:15",
    ]  # fmt: skip


def test_the_grid_does_not_realign_after_a_booking():
    # A 30-minute booking at 09:00 kills the 09:00 hour slot; 09:30 is free for an hour but is
    # not on the hourly grid, so the next offer is 10:00.
    cal = calendar(weekly={0: [(540, 780)]}, bookings=[busy(MON, "09:00", "09:30", 2)])
    assert local_starts(slots_for([cal], rules(60))) == ["10:00", "11:00", "12:00"]


def test_each_working_interval_anchors_its_own_grid():
    # 09:00-12:00 and 12:45-15:00: the second grid starts at 12:45.
    cal = calendar(weekly={0: [(540, 720), (765, 900)]})
    assert local_starts(slots_for([cal], rules(60))) == [
        "09:00", "10:00", "11:00", "12:45", "13:45",
    ]  # fmt: skip


def test_staff_can_take_refuses_a_start_off_the_grid():
    cal = calendar()
    assert staff_can_take(calendar=cal, rules=rules(60), start=at(MON, "10:00"), now=LONG_AGO)
    assert not staff_can_take(calendar=cal, rules=rules(60), start=at(MON, "10:30"), now=LONG_AGO)


# --- capacity -----------------------------------------------------------------------------------


def class_rules(capacity: int = 3, minutes_long: int = 120, **kwargs) -> ServiceRules:
    return rules(minutes_long, capacity=capacity, interval=60, **kwargs)


def test_capacity_counts_the_peak_not_every_overlapping_booking():
    # Three 2-hour bookings of the class, staggered an hour apart: 09-11, 10-12, 11-13. A class
    # at 10:00-12:00 overlaps all three, but at most two hold at once (09-11 ends as 11-13
    # starts), so with capacity 3 one seat is left rather than none.
    bookings = [
        busy(MON, "09:00", "11:00"),
        busy(MON, "10:00", "12:00"),
        busy(MON, "11:00", "13:00"),
    ]
    cal = calendar(bookings=bookings)
    by_start = {s.start: s.remaining for s in slots_for([cal], class_rules(3))}
    assert by_start[at(MON, "10:00")] == 1
    # 09:00-11:00 overlaps 09-11 and 10-12 (peak 2); 12:00-14:00 only 11-13 (peak 1); 13:00
    # and later overlap nothing.
    assert by_start[at(MON, "09:00")] == 1
    assert by_start[at(MON, "12:00")] == 2
    assert by_start[at(MON, "13:00")] == 3


def test_remaining_seats_count_down_and_a_full_class_is_left_out():
    service = class_rules(3, minutes_long=60)
    ten = at(MON, "10:00")
    seen = []
    bookings: list[BusySpan] = []
    for _ in range(4):
        slots = slots_for([calendar(bookings=bookings)], service)
        seen.append(next((s.remaining for s in slots if s.start == ten), None))
        bookings.append(busy(MON, "10:00", "11:00"))
    assert seen == [3, 2, 1, None]


def test_another_service_blocks_a_class_whatever_its_capacity():
    cal = calendar(weekly={0: [(540, 720)]}, bookings=[busy(MON, "10:00", "11:00", service_id=2)])
    assert local_starts(slots_for([cal], class_rules(5, minutes_long=60))) == ["09:00", "11:00"]


def test_with_capacity_one_the_same_service_blocks_too():
    cal = calendar(weekly={0: [(540, 720)]}, bookings=[busy(MON, "10:00", "11:00", service_id=1)])
    assert local_starts(slots_for([cal], rules(60))) == ["09:00", "11:00"]


def test_class_buffers_count_towards_the_peak():
    # A 60-minute class with 30 minutes after: at 09:00 it occupies 09:00-10:30, which overlaps
    # a same-service booking at 10:00-11:00, leaving capacity 2 - 1 = 1.
    cal = calendar(weekly={0: [(540, 720)]}, bookings=[busy(MON, "10:00", "11:00")])
    service = class_rules(2, minutes_long=60, buffer_after=30)
    by_start = {s.start: s.remaining for s in slots_for([cal], service)}
    assert by_start[at(MON, "09:00")] == 1


# --- any staff: merging across staff ------------------------------------------------------------


def test_slots_merge_across_staff_and_sum_their_seats():
    # Staff 1 is booked 10:00-11:00; staff 2 is free. Class capacity 2 with 60-minute slots.
    one = calendar(1, weekly={0: [(540, 720)]}, bookings=[busy(MON, "10:00", "11:00")])
    two = calendar(2, weekly={0: [(600, 720)]})
    slots = slots_for([two, one], class_rules(2, minutes_long=60))
    assert [(local_starts([s])[0], s.staff_ids, s.remaining) for s in slots] == [
        ("09:00", (1,), 2),
        ("10:00", (1, 2), 1 + 2),
        ("11:00", (1, 2), 2 + 2),
    ]


def test_a_staff_member_who_cannot_take_a_slot_is_not_listed_on_it():
    one = calendar(1, weekly={0: [(540, 720)]}, bookings=[busy(MON, "10:00", "11:00", 2)])
    two = calendar(2, weekly={0: [(540, 720)]})
    slots = {s.start: s.staff_ids for s in slots_for([one, two], rules(60))}
    assert slots[at(MON, "10:00")] == (2,)
    assert slots[at(MON, "09:00")] == (1, 2)


def test_the_same_staff_member_twice_is_refused():
    with pytest.raises(ValueError):
        slots_for([calendar(1), calendar(1)], rules(60))


# --- merging of working intervals ---------------------------------------------------------------


def test_touching_working_intervals_are_merged_into_one():
    # 09:00-10:30 + 10:30-12:00 is one stretch: hourly starts 09, 10, 11 (10:00-11:00 crosses the
    # seam). Unmerged, the second interval would anchor its own grid at 10:30.
    cal = calendar(weekly={0: [(630, 720), (540, 630)]})
    assert local_starts(slots_for([cal], rules(60))) == ["09:00", "10:00", "11:00"]


def test_overlapping_working_intervals_are_merged_too():
    cal = calendar(weekly={0: [(540, 660), (600, 720)]})
    assert local_starts(slots_for([cal], rules(60))) == ["09:00", "10:00", "11:00"]


def test_touching_override_intervals_are_merged():
    cal = calendar(overrides={MON: [(540, 630), (630, 720)]})
    assert local_starts(slots_for([cal], rules(60))) == ["09:00", "10:00", "11:00"]


def test_an_interval_may_run_to_midnight():
    cal = calendar(weekly={0: [(1320, 1440)]})
    slots = slots_for([cal], rules(60))
    assert local_starts(slots) == ["22:00", "23:00"]
    assert slots[-1].end == at(TUE, "00:00")


# --- dates and zones ----------------------------------------------------------------------------


def test_a_range_reaching_into_the_past_offers_only_the_future():
    # Now Wednesday 12:00: Monday and Tuesday are gone, Wednesday from 12:00, Thursday whole.
    slots = slots_for([calendar()], rules(60), date_from=MON, date_to=THU, now=at(WED, "12:00"))
    assert local_days(slots) == [WED, THU]
    assert slots[0].start == at(WED, "12:00")
    assert len(slots) == 5 + 8


def test_a_range_entirely_in_the_past_is_empty_not_an_error():
    slots = slots_for([calendar()], rules(60), date_from=MON, date_to=TUE, now=at(THU, "08:00"))
    assert slots == []


def test_staff_in_another_zone_are_filtered_by_the_request_zone_date():
    # Berlin is UTC+2 in June, Shanghai UTC+8: Shanghai Monday is Berlin Sunday 18:00 to Monday
    # 18:00. Hours every day 09:00-12:00 and 20:00-23:00 Berlin: Sunday evening falls on
    # Shanghai Monday 02:00-05:00, Monday morning on Shanghai 15:00-18:00, and Monday evening on
    # Shanghai Tuesday (not asked for).
    cal = calendar(weekly={d: [(540, 720), (1200, 1380)] for d in range(7)}, zone=BERLIN)
    slots = slots_for([cal], rules(60))
    assert local_starts(slots) == ["02:00", "03:00", "04:00", "15:00", "16:00", "17:00"]
    assert local_starts(slots, BERLIN) == ["20:00", "21:00", "22:00", "09:00", "10:00", "11:00"]


def test_outputs_are_utc():
    slot = slots_for([calendar()], rules(60))[0]
    assert slot.start.tzinfo is dt.UTC and slot.end.tzinfo is dt.UTC
    assert slot.start == at(MON, "09:00")


def test_wall_to_instant_maps_an_ordinary_time_directly():
    assert wall_to_instant(MON, 540, SHANGHAI) == dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)
    assert wall_to_instant(MON, 1440, SHANGHAI, end=True) == at(TUE, "00:00")


# --- validation ---------------------------------------------------------------------------------


NAIVE = dt.datetime(2026, 6, 1, 9, 0)


@pytest.mark.parametrize(
    "service",
    [
        rules(0),
        rules(-30),
        rules(60, capacity=0),
        rules(60, interval=0),
        rules(60, interval=-15),
        rules(60, buffer_before=-5),
    ],
    ids=["zero duration", "negative duration", "zero capacity", "zero interval",
         "negative interval", "negative buffer"],
)  # fmt: skip
def test_invalid_rules_are_refused(service):
    with pytest.raises(ValueError):
        slots_for([calendar()], service)
    with pytest.raises(ValueError):
        staff_can_take(calendar=calendar(), rules=service, start=at(MON, "09:00"), now=LONG_AGO)


def test_date_to_before_date_from_is_refused():
    with pytest.raises(ValueError):
        slots_for([calendar()], rules(60), date_from=TUE, date_to=MON)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        slots_for([calendar()], rules(60), now=NAIVE)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        staff_can_take(calendar=calendar(), rules=rules(60), start=NAIVE, now=LONG_AGO)


def test_a_naive_busy_span_is_refused():
    with pytest.raises(ValueError):
        busy_span(NAIVE, NAIVE + dt.timedelta(hours=1), 2)


def test_a_busy_span_ending_before_it_starts_is_refused():
    cal = calendar(bookings=[BusySpan(2_000_000, 1_000_000, 2)])
    with pytest.raises(ValueError):
        slots_for([cal], rules(60))


@pytest.mark.parametrize("interval", [(600, 600), (700, 600), (-10, 60), (1380, 1500)])
def test_malformed_working_intervals_are_refused(interval):
    with pytest.raises(ValueError):
        slots_for([calendar(weekly={0: [interval]})], rules(60))


def test_a_zone_that_is_not_a_tzinfo_is_refused():
    with pytest.raises(TypeError):
        slots_for([calendar()], rules(60), zone="Asia/Shanghai")
    with pytest.raises(TypeError):
        slots_for([calendar(zone="Asia/Shanghai")], rules(60))


# --- nearest_starts -----------------------------------------------------------------------------


def hourly(*hhmm: str) -> list[Slot]:
    return [Slot(at(MON, t), at(MON, t) + dt.timedelta(hours=1), (1,), 1) for t in hhmm]


def test_nearest_starts_prefers_the_closest_and_breaks_ties_towards_earlier():
    # Target 12:00: 11:00 and 13:00 are 1 h away, 10:00 and 14:00 both 2 h: 10:00 wins the tie.
    slots = hourly("09:00", "10:00", "11:00", "13:00", "14:00")
    nearest = nearest_starts(slots, at(MON, "12:00"))
    assert local_starts(nearest) == ["10:00", "11:00", "13:00"]


def test_nearest_starts_returns_them_sorted_by_start_and_respects_the_limit():
    slots = hourly("16:00", "09:00", "12:00", "13:00")
    assert local_starts(nearest_starts(slots, at(MON, "12:40"), limit=2)) == ["12:00", "13:00"]
    assert local_starts(nearest_starts(slots, at(MON, "12:40"), limit=10)) == [
        "09:00", "12:00", "13:00", "16:00",
    ]  # fmt: skip
    assert nearest_starts(slots, at(MON, "12:40"), limit=0) == []


def test_nearest_starts_refuses_a_naive_target():
    with pytest.raises(ValueError):
        nearest_starts(hourly("09:00"), NAIVE)
