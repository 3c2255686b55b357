"""`explain_start` names every reason a start is not offered, one test per reason, on one
hand-built Tuesday: Tony works 09:00–12:00 and 13:00–18:00 (lunch 12:00–13:00, Shanghai),
has appointment #7 at 10:00–11:00 with 15 minutes of buffer after it (occupied until 11:15),
and the service lasts 60 minutes on a 30-minute grid with 60 minutes of minimum notice."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests.helpers import TUESDAY, WEDNESDAY
from yuyue.scheduling.engine import Busy, ServiceRules, StaffCalendar, busy_span, explain_start

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = {weekday: [(540, 720), (780, 1080)] for weekday in range(5)}  # Mon–Fri
EARLY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)  # the day before, long before


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=SHANGHAI)


BOOKED = busy_span(at(TUESDAY, "10:00"), at(TUESDAY, "11:15"), service_id=1, appointment_id=7)


def calendar(*, overrides=None, busy=(BOOKED,), weekly=HOURS) -> StaffCalendar:
    return StaffCalendar(
        staff_id=1, zone=SHANGHAI, weekly=weekly, overrides=overrides or {}, busy=list(busy)
    )


def rules(**changes) -> ServiceRules:
    values = {
        "service_id": 1,
        "duration": dt.timedelta(minutes=60),
        "interval": dt.timedelta(minutes=30),
        "min_notice": dt.timedelta(minutes=60),
        "max_days_ahead": 30,
    }
    return ServiceRules(**{**values, **changes})


def codes(start: dt.datetime, *, now: dt.datetime = EARLY, cal=None, service=None) -> list[str]:
    found = explain_start(
        calendar=cal or calendar(), rules=service or rules(), start=start, now=now
    )
    return [reason.code for reason in found]


def test_a_free_time_has_no_reason():
    assert codes(at(TUESDAY, "14:00")) == []


def test_a_time_before_opening_is_outside_hours():
    assert codes(at(TUESDAY, "08:00")) == ["outside_hours"]


def test_a_time_that_runs_into_lunch_is_a_break():
    assert codes(at(TUESDAY, "11:30")) == ["break"]


def test_a_saturday_is_a_day_off():
    assert codes(at(dt.date(2026, 12, 5), "10:00")) == ["day_off"]


def test_a_date_override_closing_the_day_says_so():
    assert codes(at(WEDNESDAY, "14:00"), cal=calendar(overrides={WEDNESDAY: []})) == [
        "closed_override"
    ]


def test_a_time_outside_an_overrides_special_hours_says_so():
    special = calendar(overrides={WEDNESDAY: [(600, 720)]})  # 10:00–12:00 only
    assert codes(at(WEDNESDAY, "14:00"), cal=special) == ["outside_override"]


def test_another_appointment_is_named_with_its_buffers():
    found = explain_start(calendar=calendar(), rules=rules(), start=at(TUESDAY, "11:00"), now=EARLY)
    # 11:00–12:00 is inside hours and on the grid, but #7 holds until 11:15 (its buffer).
    assert [reason.code for reason in found] == ["overlap"]
    # Shown to people in datetimes.
    assert found[0].busy == (Busy(at(TUESDAY, "10:00"), at(TUESDAY, "11:15"), 1, 7),)
    assert found[0].busy[0].appointment_id == 7


def test_our_own_buffer_before_meeting_another_appointment_counts_as_overlap():
    # 11:30 would be free, but a 30-minute buffer before reaches back to 11:00 < 11:15.
    assert codes(
        at(TUESDAY, "13:00"),
        cal=calendar(busy=[busy_span(at(TUESDAY, "12:40"), at(TUESDAY, "12:50"), 2, 8)]),
        service=rules(buffer_before=dt.timedelta(minutes=30)),
    ) == ["overlap"]


def test_a_time_sooner_than_the_minimum_notice_is_too_soon():
    assert codes(at(TUESDAY, "14:00"), now=at(TUESDAY, "13:30")) == ["notice"]


def test_a_time_that_has_passed_says_so():
    assert codes(at(TUESDAY, "14:00"), now=at(TUESDAY, "15:00")) == ["past"]


def test_a_time_beyond_the_horizon_is_too_far_ahead():
    assert codes(at(TUESDAY, "14:00"), service=rules(max_days_ahead=0)) == ["horizon"]


def test_a_time_off_the_grid_says_so():
    assert codes(at(TUESDAY, "14:10")) == ["off_grid"]


def test_a_full_class_is_full():
    two_seats = rules(capacity=2)
    class_day = calendar(
        busy=[
            busy_span(at(TUESDAY, "14:00"), at(TUESDAY, "15:00"), 1, 11),
            busy_span(at(TUESDAY, "14:00"), at(TUESDAY, "15:00"), 1, 12),
        ]
    )
    found = explain_start(
        calendar=class_day, rules=two_seats, start=at(TUESDAY, "14:00"), now=EARLY
    )
    assert [(reason.code, reason.peak) for reason in found] == [("full", 2)]


def test_several_reasons_are_all_named():
    assert codes(at(TUESDAY, "10:00"), now=at(TUESDAY, "09:30")) == ["notice", "overlap"]
