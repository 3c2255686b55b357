"""choose_staff: which staff member a booking for "any staff" goes to."""

import datetime as dt
from zoneinfo import ZoneInfo

from yuyue.scheduling.engine import BusySpan, ServiceRules, StaffCalendar, busy_span, choose_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
MON = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 5, 25, tzinfo=dt.UTC)
HOURS = {0: [(540, 720), (780, 1020)]}  # Monday 09:00-12:00 and 13:00-17:00


def at(hhmm: str, day: dt.date = MON) -> dt.datetime:
    hours, mins = map(int, hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hours, mins), tzinfo=SHANGHAI)
    return local.astimezone(dt.UTC)


def booked(start: str, end: str, service_id: int = 2) -> BusySpan:
    return busy_span(at(start), at(end), service_id)


def staff(staff_id: int, *bookings: BusySpan, hours=None) -> StaffCalendar:
    return StaffCalendar(staff_id, SHANGHAI, HOURS if hours is None else hours, {}, list(bookings))


def hour_long(**kwargs) -> ServiceRules:
    return ServiceRules(service_id=1, duration=dt.timedelta(hours=1), **kwargs)


def choose(calendars, start: str, service: ServiceRules | None = None) -> int | None:
    return choose_staff(calendars=calendars, rules=service or hour_long(), start=at(start), now=NOW)


def test_best_fit_picks_the_staff_member_with_the_tightest_gap():
    # At 10:00 staff 1 has the whole free morning around it (slack 2 h); staff 2 is booked
    # 09:00-10:00 and 11:00-12:00, so 10:00-11:00 fills the gap exactly (slack 0) -- even though
    # staff 2 has the busier day, slack is decided first.
    roomy = staff(1)
    snug = staff(2, booked("09:00", "10:00"), booked("11:00", "12:00"))
    assert choose([roomy, snug], "10:00") == 2


def test_slack_is_measured_to_the_nearest_booking_not_the_whole_interval():
    # Both free at 14:00. Staff 1's gap runs 13:00 to a 16:00 booking (slack 2 h); staff 2's
    # runs 13:00 to a 15:00 booking (slack 1 h).
    one = staff(1, booked("16:00", "17:00"))
    two = staff(2, booked("15:00", "16:00"))
    assert choose([one, two], "14:00") == 2


def test_buffers_sticking_out_of_hours_widen_the_gap_instead_of_making_slack_negative():
    # An hour with 30 minutes after, at 09:00, occupies 09:00-10:30. Staff 2 works 09:00-10:00,
    # so the buffer sticks out and its gap is widened to 09:00-10:30: slack 0. Staff 1 works
    # 09:00-10:30: gap 09:00-10:30, slack 0 too. A tie, so (same empty day) the lowest id wins;
    # measuring staff 2 against its bare hours would have given it slack -30 min and the booking.
    service = hour_long(buffer_after=dt.timedelta(minutes=30))
    one = staff(1, hours={0: [(540, 630)]})
    two = staff(2, hours={0: [(540, 600)]})
    assert choose([two, one], "09:00", service) == 1


def test_a_tie_on_slack_goes_to_the_lighter_day():
    # Both fill the 10:00-11:00 gap exactly; staff 1 also works 13:00-15:00, so staff 2 (2 h
    # booked against 4 h) has the lighter day although its id is higher.
    heavy = staff(1, booked("09:00", "10:00"), booked("11:00", "12:00"), booked("13:00", "15:00"))
    light = staff(2, booked("09:00", "10:00"), booked("11:00", "12:00"))
    assert choose([heavy, light], "10:00") == 2


def test_the_lighter_day_counts_only_the_local_date_of_the_start():
    # Staff 1 carries a long booking on Tuesday; it must not make Monday look heavier.
    tuesday = busy_span(
        at("09:00", MON + dt.timedelta(days=1)), at("17:00", MON + dt.timedelta(days=1)), 2
    )
    one = staff(1, booked("09:00", "10:00"), booked("11:00", "12:00"), tuesday)
    two = staff(2, booked("09:00", "10:00"), booked("11:00", "12:00"), booked("16:00", "16:30"))
    assert choose([two, one], "10:00") == 1


def test_a_full_tie_goes_to_the_lowest_staff_id():
    assert choose([staff(7), staff(3), staff(5)], "10:00") == 3


def test_a_class_goes_to_the_staff_member_whose_class_is_already_running():
    # Capacity 4 at 10:00: staff 1 has two seats taken, staff 2 one, staff 3 none but the
    # tightest gap (booked 09:00-10:00 and 11:00-12:00 with another service). Fewest remaining
    # seats comes first, so staff 1 gets the booking.
    service = hour_long(capacity=4)
    one = staff(1, booked("10:00", "11:00", 1), booked("10:00", "11:00", 1))
    two = staff(2, booked("10:00", "11:00", 1))
    three = staff(3, booked("09:00", "10:00"), booked("11:00", "12:00"))
    assert choose([three, two, one], "10:00", service) == 1


def test_a_full_class_is_not_chosen():
    service = hour_long(capacity=2)
    full = staff(1, booked("10:00", "11:00", 1), booked("10:00", "11:00", 1))
    running = staff(2, booked("10:00", "11:00", 1))
    assert choose([full, running], "10:00", service) == 2


def test_a_staff_member_who_cannot_take_the_start_is_never_chosen():
    # Staff 1 would be the tightest fit but is booked right at 10:00.
    blocked = staff(1, booked("10:00", "11:00"))
    free = staff(2)
    assert choose([blocked, free], "10:00") == 2


def test_choose_staff_returns_none_when_nobody_can_take_it():
    assert (
        choose([staff(1, booked("10:00", "11:00")), staff(2, booked("09:30", "10:30"))], "10:00")
        is None
    )
    assert choose([staff(1), staff(2)], "10:30") is None  # off the hourly grid
    assert choose([staff(1), staff(2)], "12:00") is None  # lunch break
    assert choose([], "10:00") is None
