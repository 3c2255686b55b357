"""The matching rule, pure: which waiter a freed time fits, first come first served."""

import datetime as dt

from tests.helpers import SHANGHAI, WEDNESDAY, at
from yuyue.waitlist.matching import Freed, Wish, first_fit, fits_in_order, start_for

HOUR = dt.timedelta(hours=1)
T0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def wish(
    id, *, joined=0, staff=None, service=1, frm="09:00", to="12:00", minutes=60, day=WEDNESDAY
):
    return Wish(
        id=id,
        joined=T0 + dt.timedelta(seconds=joined),
        service_id=service,
        duration=dt.timedelta(minutes=minutes),
        step=dt.timedelta(minutes=30),
        staff_id=staff,
        date_from=day,
        date_to=day,
        time_from=dt.time.fromisoformat(frm),
        time_to=dt.time.fromisoformat(to),
    )


FREED = Freed(
    staff_id=7, start=at(WEDNESDAY, "10:00"), end=at(WEDNESDAY, "11:00"), services=frozenset({1, 2})
)


def test_the_first_who_joined_gets_it():
    late, early = wish(1, joined=10), wish(2, joined=5)
    assert first_fit(FREED, [late, early], SHANGHAI) == (early, at(WEDNESDAY, "10:00"))
    assert [w.id for w, _ in fits_in_order(FREED, [late, early], SHANGHAI)] == [2, 1]


def test_a_wish_elsewhere_is_skipped_for_the_next_who_fits():
    other_staff = wish(1, joined=0, staff=8)
    other_day = wish(2, joined=1, day=WEDNESDAY + dt.timedelta(days=1))
    afternoon = wish(3, joined=2, frm="13:00", to="18:00")
    too_long = wish(4, joined=3, minutes=90)
    not_offered = wish(5, joined=4, service=3)
    named = wish(6, joined=5, staff=7)
    assert first_fit(
        FREED, [other_staff, other_day, afternoon, too_long, not_offered, named], SHANGHAI
    ) == (named, at(WEDNESDAY, "10:00"))


def test_a_start_later_in_the_freed_span_on_the_grid():
    freed = Freed(
        staff_id=7,
        start=at(WEDNESDAY, "10:00"),
        end=at(WEDNESDAY, "12:00"),
        services=frozenset({1}),
    )
    # Wants 10:30–11:30 at the earliest: the grid from the freed start finds it.
    assert start_for(freed, wish(1, frm="10:30", minutes=60), SHANGHAI) == at(WEDNESDAY, "10:30")
    assert start_for(freed, wish(1, frm="11:15", minutes=30), SHANGHAI) == at(WEDNESDAY, "11:30")
    assert start_for(freed, wish(1, frm="11:15", minutes=60), SHANGHAI) is None


def test_who_let_it_pass_is_not_offered_it_again():
    freed = Freed(
        staff_id=7, start=FREED.start, end=FREED.end, services=FREED.services, passed_by=1
    )
    assert first_fit(freed, [wish(1, joined=0), wish(2, joined=1)], SHANGHAI)[0].id == 2
    assert first_fit(freed, [wish(1)], SHANGHAI) is None


def test_the_window_is_local_wall_clock_time():
    # 10:00 in Shanghai is 02:00 UTC: a window of 09:00–12:00 is Shanghai's.
    assert FREED.start.astimezone(dt.UTC).hour == 2
    assert start_for(FREED, wish(1), SHANGHAI) == FREED.start
    assert start_for(FREED, wish(1), dt.UTC) is None
