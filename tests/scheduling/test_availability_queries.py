"""The availability selector costs the same few queries for any number of staff or days."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import NOW, at, make_appointment, make_staff, owner_of
from yuyue.bookings.availability import availability
from yuyue.catalog.models import Service
from yuyue.scheduling.services import staff_override_set

pytestmark = pytest.mark.django_db
MAX_QUERIES = 5


@pytest.fixture
def team(business, service, location, customer):
    members = []
    for i in range(50):
        member = make_staff(service=service, location=location, name=f"Staff {i}")
        staff_override_set(
            staff=member,
            actor=owner_of(member),
            date=NOW.date() + dt.timedelta(days=3),
            closed=True,
        )
        make_appointment(
            service=service,
            staff=member,
            customer=customer,
            start=at(NOW.date() + dt.timedelta(days=1), "10:00"),
        )
        members.append(member)
    return members


def count_queries(**kwargs) -> tuple[int, int]:
    service = Service.objects.select_related("business").get(pk=kwargs.pop("service").pk)
    with CaptureQueriesContext(connection) as queries:
        result = availability(service=service, now=NOW, **kwargs)
    return len(queries), len(result.slots)


def test_one_staff_and_fifty_staff_cost_the_same_queries(service, team):
    day = NOW.date() + dt.timedelta(days=1)
    one, one_slots = count_queries(service=service, date_from=day, date_to=day, staff_id=team[0].id)
    fifty, fifty_slots = count_queries(service=service, date_from=day, date_to=day)
    assert one == fifty <= MAX_QUERIES
    # The same times are offered, but by fifty people instead of one.
    assert one_slots == fifty_slots > 0


def test_one_day_and_thirty_days_cost_the_same_queries(service, team):
    day = NOW.date() + dt.timedelta(days=1)
    one, one_slots = count_queries(service=service, date_from=day, date_to=day)
    thirty, thirty_slots = count_queries(
        service=service, date_from=day, date_to=day + dt.timedelta(days=29)
    )
    assert one == thirty <= MAX_QUERIES
    assert thirty_slots > one_slots


def test_the_selector_leaves_out_taken_closed_and_past_times(service, team):
    day = NOW.date() + dt.timedelta(days=1)
    service_obj = Service.objects.select_related("business").get(pk=service.pk)
    slots = availability(service=service_obj, date_from=day, date_to=day, now=NOW).slots
    starts = {slot.start: slot for slot in slots}
    # Every one of the fifty is busy at 10:00, so the time is full and left out.
    assert at(day, "10:00") not in starts
    assert starts[at(day, "09:00")].remaining == 50
    assert len(starts[at(day, "09:00")].staff_ids) == 50
    yesterday = NOW.date() - dt.timedelta(days=1)
    earliest = availability(service=service_obj, date_from=yesterday, date_to=day, now=NOW)
    assert min(slot.start for slot in earliest.slots) >= NOW + dt.timedelta(
        minutes=service_obj.min_notice_minutes
    )
    closed_day = NOW.date() + dt.timedelta(days=3)
    assert not availability(
        service=service_obj, date_from=closed_day, date_to=closed_day, now=NOW
    ).slots
