"""Free times come from the shared cache until a write changes them, and are never different
from what computing them afresh gives at that moment (yuyue/scheduling/listing_cache.py).

These tests commit (transaction=True): inside a transaction the cache is not used at all, and
the version is bumped only once a write commits.
"""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from tests.helpers import NOW, WEDNESDAY, WORKWEEK, at, make_user, owner_of
from yuyue.bookings.availability import availability
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_create,
    appointment_reschedule,
)
from yuyue.catalog.models import Service
from yuyue.catalog.services import service_update
from yuyue.catalog.versions import version_key
from yuyue.scheduling.services import staff_hours_set, staff_member_update, staff_override_set

pytestmark = pytest.mark.django_db(transaction=True)

MAX_QUERIES = 5


@pytest.fixture(autouse=True)
def _long_lived_entries(settings):
    # Long enough that only a write or a new local day can make an entry stale here, not the
    # safety-net expiry (the database cache reads the frozen clock too).
    settings.AVAILABILITY_CACHE_SECONDS = 86_400


def read(service, date_from=WEDNESDAY, date_to=WEDNESDAY, **kwargs):
    """The listing as the API asks for it (no `now`: the clock's), and the number of queries
    it made of staff, hours and appointments (the cache's own table is not counted)."""
    service = Service.objects.select_related("business").get(pk=service.pk)
    with CaptureQueriesContext(connection) as queries:
        result = availability(service=service, date_from=date_from, date_to=date_to, **kwargs)
    return result, sum(
        "scheduling_" in query["sql"] or "bookings_" in query["sql"] for query in queries
    )


def uncached(service, date_from=WEDNESDAY, date_to=WEDNESDAY, **kwargs):
    with override_settings(AVAILABILITY_CACHE_SECONDS=0):
        return read(service, date_from, date_to, **kwargs)[0]


def test_a_repeated_read_costs_no_availability_query(service, stylist):
    with time_machine.travel(NOW, tick=False):
        first, miss = read(service)
        second, hit = read(service)
        fresh = uncached(service)

    assert 0 < miss <= MAX_QUERIES
    assert hit == 0
    assert second == first == fresh
    assert len(first.slots) == 8


def test_the_cached_listing_drops_starts_as_the_notice_runs_out(service, stylist):
    # 60 minutes' notice: today's 09:00 is offered until 08:00 exactly, 10:00 until 09:00.
    today = NOW.date()
    with time_machine.travel(at(today, "07:50"), tick=False):
        stored, _ = read(service, today, today)
    assert stored.slots[0].start == at(today, "09:00")

    for moment in (
        at(today, "08:00"),
        at(today, "08:00") + dt.timedelta(microseconds=1),
        at(today, "08:59"),
        at(today, "09:00"),
        at(today, "09:00") + dt.timedelta(microseconds=1),
        at(today, "17:00"),
    ):
        with time_machine.travel(moment, tick=False):
            cached, queries = read(service, today, today)
            assert queries == 0, moment
            assert cached == uncached(service, today, today), moment
    with time_machine.travel(at(today, "08:00") + dt.timedelta(microseconds=1), tick=False):
        assert read(service, today, today)[0].slots[0].start == at(today, "10:00")


def test_a_new_local_day_moves_the_horizon_and_is_computed_afresh(service, stylist):
    # 30 days ahead: on Tuesday 1 December the last bookable day is Thursday 31 December; from
    # Wednesday's first instant it is Friday 1 January, which then has free times too.
    last = NOW.date() + dt.timedelta(days=31)
    with time_machine.travel(at(NOW.date(), "23:59"), tick=False):
        before, _ = read(service, WEDNESDAY, last)
        assert read(service, WEDNESDAY, last)[1] == 0
    with time_machine.travel(at(WEDNESDAY, "00:00"), tick=False):
        after, queries = read(service, WEDNESDAY, last)
        assert queries > 0
        assert after == uncached(service, WEDNESDAY, last)
    assert max(slot.start for slot in after.slots) > max(slot.start for slot in before.slots)


def test_a_read_in_the_past_of_the_entry_is_computed_afresh(service, stylist):
    with time_machine.travel(NOW, tick=False):
        read(service)
    with time_machine.travel(NOW - dt.timedelta(minutes=1), tick=False):
        assert read(service)[1] > 0


def _book(service, stylist, customer):
    appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), staff=stylist
    )


def _booked(service, stylist, customer):
    return appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "14:00"), staff=stylist
    )


def _cancel(service, stylist, customer, appointment):
    appointment_cancel(appointment=appointment, actor=owner_of(service))


def _reschedule(service, stylist, customer, appointment):
    appointment_reschedule(
        appointment=appointment, actor=owner_of(service), start=at(WEDNESDAY, "16:00")
    )


def _hours(service, stylist, customer):
    week = {**WORKWEEK, "wed": [["09:00", "12:00"]]}
    staff_hours_set(staff=stylist, actor=owner_of(stylist), hours=week)


def _override(service, stylist, customer):
    staff_override_set(
        staff=stylist, actor=owner_of(stylist), date=WEDNESDAY, intervals=[["13:00", "15:00"]]
    )


def _service(service, stylist, customer):
    service_update(service=service, actor=owner_of(service), duration_minutes=30)


def _staff_leaves_the_service(service, stylist, customer):
    staff_member_update(staff=stylist, actor=owner_of(stylist), services=[])


WRITES = {
    "booking": (None, _book),
    "cancel": (_booked, _cancel),
    "reschedule": (_booked, _reschedule),
    "hours change": (None, _hours),
    "override": (None, _override),
    "service change": (None, _service),
    "staff member change": (None, _staff_leaves_the_service),
}


@pytest.mark.parametrize("kind", WRITES)
def test_each_kind_of_write_makes_the_next_read_fresh(kind, service, stylist, customer):
    arrange, write = WRITES[kind]
    with time_machine.travel(NOW, tick=False):
        extra = [] if arrange is None else [arrange(service, stylist, customer)]
        before, _ = read(service)
        assert read(service)[1] == 0

        write(service, stylist, customer, *extra)
        after, queries = read(service)

        assert queries > 0
        assert after != before
        assert after == uncached(service)
        assert read(service) == (after, 0)


def test_a_rolled_back_write_leaves_the_listing_cached(service, stylist):
    with time_machine.travel(NOW, tick=False):
        before, _ = read(service)
        with pytest.raises(RuntimeError), transaction.atomic():
            staff_override_set(staff=stylist, actor=owner_of(stylist), date=WEDNESDAY, closed=True)
            raise RuntimeError("changed my mind")

        assert read(service) == (before, 0)


def test_a_lost_version_is_a_miss_never_an_old_listing(service, stylist):
    with time_machine.travel(NOW, tick=False):
        read(service)
        cache.delete(version_key(service.business_id))

        assert read(service)[1] > 0
        assert read(service)[1] == 0


def test_inside_a_transaction_nothing_is_cached(service, stylist):
    customer = make_user("walk-in", phone="+8613300133000")
    with time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            _book(service, stylist, customer)
            # This transaction's own booking, not committed: never stored for others.
            inside, queries = read(service)
            assert queries > 0
            assert read(service)[1] > 0
            transaction.set_rollback(True)

        outside, _ = read(service)
    assert len(outside.slots) == len(inside.slots) + 1


def test_the_cache_can_be_turned_off(settings, service, stylist):
    settings.AVAILABILITY_CACHE_SECONDS = 0
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        read(service)
        assert read(service)[1] > 0
        staff_override_set(staff=stylist, actor=owner_of(stylist), date=WEDNESDAY, closed=True)
    # Not even a version is kept.
    assert cache.get(version_key(service.business_id)) is None


def test_other_staff_ids_locations_and_exclusions_are_other_entries(service, stylist, location):
    with time_machine.travel(NOW, tick=False):
        appointment = _booked(service, stylist, make_user("c2", phone="+8613300133001"))
        everyone, _ = read(service)
        for kwargs in (
            {"staff_id": stylist.id},
            {"location": location},
            {"exclude_appointment_id": appointment.id},
        ):
            first, queries = read(service, **kwargs)
            assert queries > 0, kwargs
            assert first == uncached(service, **kwargs)
            assert read(service, **kwargs) == (first, 0)
        freed = read(service, exclude_appointment_id=appointment.id)[0]
    assert len(freed.slots) == len(everyone.slots) + 1


@pytest.mark.real_clock
def test_a_cached_listing_ends_at_the_release_instant(business, service, stylist):
    from tests.helpers import SHANGHAI
    from yuyue.catalog.services import business_update

    business_update(
        business=business,
        actor=owner_of(business),
        release_days_before=7,
        release_time=dt.time(8, 0),
    )
    released = NOW.date() + dt.timedelta(days=7)
    before = dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=SHANGHAI)
    with time_machine.travel(before, tick=False):
        early, _ = read(service, date_from=released, date_to=released)
        assert early.slots == []
        assert early.opens_at == NOW
    with time_machine.travel(NOW, tick=False):
        late, queries = read(service, date_from=released, date_to=released)
        assert queries > 0  # computed again, not the entry of 07:59:59
        assert late.slots and late.slots == uncached(service, released, released).slots
        assert late.opens_at is None
