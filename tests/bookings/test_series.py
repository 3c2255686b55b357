"""Recurring series (docs/booking.md#series): every N weeks at the same local time across a DST
change, a closed day found with its alternatives before confirming, all or nothing, and
cancelling "this one" or "this and the following"."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_staff, owner_of
from yuyue.bookings.errors import InvalidInput, NotAllowed, SeriesConflict
from yuyue.bookings.models import Appointment, Series, Status
from yuyue.bookings.series import series_check, series_starts
from yuyue.bookings.services import appointment_create, series_cancel, series_create
from yuyue.catalog.services import business_create, business_update, service_create
from yuyue.scheduling.services import staff_override_set

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def physio(owner):
    business = business_create(
        owner=owner, slug="physio", name="Praxis Berlin", timezone="Europe/Berlin"
    )
    return service_create(
        business=business,
        actor=owner,
        name="Physiotherapie",
        duration_minutes=60,
        price=Decimal("60.00"),
        max_days_ahead=365,
        min_notice_minutes=60,
        allows_series=True,
    )


@pytest.fixture
def therapist(physio):
    return make_staff(service=physio, name="Frau Weber")


def test_a_weekly_series_keeps_the_local_time_across_a_dst_change(
    physio, therapist, customer, owner
):
    # Berlin enters summer time on Sunday 2027-03-28. Three Tuesdays at 10:00 local: 09:00
    # UTC twice, then 08:00 UTC.
    plan = series_starts(
        first=at(dt.date(2027, 3, 16), "10:00", BERLIN), zone=BERLIN, every_weeks=1, count=3
    )
    assert [start.astimezone(dt.UTC).hour for start in plan.starts] == [9, 9, 8]
    assert {start.astimezone(BERLIN).strftime("%a %H:%M") for start in plan.starts} == {"Tue 10:00"}
    assert all(
        occurrence.free
        for occurrence in series_check(
            service=physio, plan=plan, staff=None, location=None, now=NOW
        )
    )
    series = series_create(
        service=physio,
        starts=plan.starts,
        every_weeks=1,
        customer=customer,
        actor=owner,
        now=NOW,
    )
    booked = list(series.appointments.order_by("start"))
    assert [a.start for a in booked] == list(plan.starts)
    assert {a.status for a in booked} == {Status.CONFIRMED}
    assert (series.every_weeks, series.local_time, series.zone_name) == (
        1,
        dt.time(10, 0),
        "Europe/Berlin",
    )
    # Reminders per occurrence: each is an appointment with its own notifications.
    for appointment in booked:
        assert appointment.notifications.exists()


def test_a_closed_day_is_a_conflict_with_alternatives_and_nothing_is_booked(
    physio, therapist, customer, owner
):
    staff_override_set(staff=therapist, actor=owner, date=dt.date(2026, 12, 15), closed=True)
    plan = series_starts(
        first=at(dt.date(2026, 12, 8), "10:00", BERLIN),
        zone=BERLIN,
        every_weeks=1,
        until=dt.date(2026, 12, 22),
    )
    assert len(plan.starts) == 3
    checked = series_check(service=physio, plan=plan, staff=None, location=None, now=NOW)
    assert [occurrence.free for occurrence in checked] == [True, False, True]
    closed = checked[1]
    assert closed.alternatives
    assert all(
        slot.start.astimezone(BERLIN).date() != dt.date(2026, 12, 15)
        for slot in closed.alternatives
    )
    # Confirming as planned books nothing and names the conflict with its alternatives.
    with pytest.raises(SeriesConflict) as refused:
        series_create(
            service=physio,
            starts=plan.starts,
            every_weeks=1,
            customer=customer,
            actor=owner,
            now=NOW,
        )
    assert [start for start, _found in refused.value.conflicts] == [plan.starts[1]]
    assert refused.value.conflicts[0][1]
    assert not Appointment.objects.exists() and not Series.objects.exists()
    # Taking an alternative for it books the three.
    chosen = [plan.starts[0], closed.alternatives[0].start, plan.starts[2]]
    series = series_create(
        service=physio, starts=chosen, every_weeks=1, customer=customer, actor=owner, now=NOW
    )
    assert series.appointments.count() == 3


def test_cancel_this_one_or_this_and_the_following(physio, therapist, customer, owner):
    plan = series_starts(
        first=at(dt.date(2026, 12, 8), "10:00", BERLIN), zone=BERLIN, every_weeks=2, count=4
    )
    series = series_create(
        service=physio,
        starts=plan.starts,
        every_weeks=2,
        customer=customer,
        actor=owner,
        now=NOW,
    )
    first, second, third, fourth = series.appointments.order_by("start")
    assert [a.start.astimezone(BERLIN).date().isoformat() for a in (first, fourth)] == [
        "2026-12-08",
        "2027-01-19",
    ]
    series_cancel(appointment=first, actor=customer, now=NOW)
    cancelled = series_cancel(appointment=third, actor=customer, following=True, now=NOW)
    assert [a.id for a in cancelled] == [third.id, fourth.id]
    statuses = dict(series.appointments.values_list("id", "status"))
    assert statuses == {
        first.id: Status.CANCELLED,
        second.id: Status.CONFIRMED,
        third.id: Status.CANCELLED,
        fourth.id: Status.CANCELLED,
    }


def test_customers_book_a_series_only_where_the_business_allows_it(physio, therapist, customer):
    plan = series_starts(
        first=at(dt.date(2026, 12, 8), "10:00", BERLIN), zone=BERLIN, every_weeks=1, count=2
    )
    with pytest.raises(NotAllowed):
        series_create(service=physio, starts=plan.starts, every_weeks=1, customer=customer)
    business_update(business=physio.business, actor=owner_of(physio), customers_book_series=True)
    physio.business.refresh_from_db()
    series = series_create(
        service=physio, starts=plan.starts, every_weeks=1, customer=customer, now=NOW
    )
    assert series.appointments.count() == 2


def test_a_service_must_allow_series(service, stylist, customer, owner):
    plan = series_starts(
        first=at(WEDNESDAY, "10:00", SHANGHAI), zone=SHANGHAI, every_weeks=1, count=2
    )
    with pytest.raises(InvalidInput):
        series_create(
            service=service, starts=plan.starts, every_weeks=1, customer=customer, actor=owner
        )


@pytest.mark.parametrize(
    ("every_weeks", "count", "until"),
    [
        (0, 3, None),
        (13, 3, None),
        (1, 1, None),
        (1, 53, None),
        (1, None, None),
        (1, 3, dt.date(2027, 1, 1)),
        (1, None, dt.date(2028, 6, 1)),
    ],
)
def test_limits_are_explicit(every_weeks, count, until):
    with pytest.raises(InvalidInput):
        series_starts(
            first=at(dt.date(2026, 12, 8), "10:00", BERLIN),
            zone=BERLIN,
            every_weeks=every_weeks,
            count=count,
            until=until,
        )


def test_an_occurrence_can_be_moved_alone(physio, therapist, customer, owner):
    from yuyue.bookings.services import appointment_reschedule

    plan = series_starts(
        first=at(dt.date(2026, 12, 8), "10:00", BERLIN), zone=BERLIN, every_weeks=1, count=2
    )
    series = series_create(
        service=physio,
        starts=plan.starts,
        every_weeks=1,
        customer=customer,
        actor=owner,
        now=NOW,
    )
    first = series.appointments.order_by("start").first()
    moved = appointment_reschedule(
        appointment=first, actor=owner, start=at(dt.date(2026, 12, 9), "11:00", BERLIN), now=NOW
    )
    assert moved.series_id == series.id
    # A single booking is not part of any series.
    single = appointment_create(
        service=physio,
        customer=customer,
        start=at(dt.date(2026, 12, 10), "10:00", BERLIN),
        now=NOW,
    )
    assert single.series_id is None


def test_move_this_and_the_following_keeps_the_new_local_time_across_dst(
    physio, therapist, customer, owner
):
    from yuyue.bookings.services import series_reschedule

    plan = series_starts(
        first=at(dt.date(2027, 3, 16), "10:00", BERLIN), zone=BERLIN, every_weeks=1, count=3
    )
    series = series_create(
        service=physio,
        starts=plan.starts,
        every_weeks=1,
        customer=customer,
        actor=owner,
        now=NOW,
    )
    first, second, third = series.appointments.order_by("start")
    moved = series_reschedule(
        appointment=second,
        actor=owner,
        start=at(dt.date(2027, 3, 24), "11:00", BERLIN),
        following=True,
        now=NOW,
    )
    assert [a.id for a in moved] == [second.id, third.id]
    for appointment in (first, second, third):
        appointment.refresh_from_db()
    assert [a.start.astimezone(BERLIN).strftime("%a %d %H:%M") for a in (first, second, third)] == [
        "Tue 16 10:00",
        "Wed 24 11:00",
        "Wed 31 11:00",
    ]
    assert third.start.astimezone(dt.UTC).hour == 9  # summer time: 11:00 is 09:00 UTC


def test_move_the_following_is_all_or_nothing(physio, therapist, customer, owner):
    from yuyue.bookings.services import series_reschedule

    plan = series_starts(
        first=at(dt.date(2026, 12, 8), "10:00", BERLIN), zone=BERLIN, every_weeks=1, count=3
    )
    series = series_create(
        service=physio,
        starts=plan.starts,
        every_weeks=1,
        customer=customer,
        actor=owner,
        now=NOW,
    )
    staff_override_set(staff=therapist, actor=owner, date=dt.date(2026, 12, 22), closed=True)
    first = series.appointments.order_by("start").first()
    with pytest.raises(SeriesConflict) as refused:
        series_reschedule(
            appointment=first,
            actor=owner,
            start=at(dt.date(2026, 12, 8), "14:00", BERLIN),
            following=True,
            now=NOW,
        )
    assert [start.astimezone(BERLIN).date() for start, _ in refused.value.conflicts] == [
        dt.date(2026, 12, 22)
    ]
    assert sorted(
        a.astimezone(BERLIN).hour for a in series.appointments.values_list("start", flat=True)
    ) == [10, 10, 10]
