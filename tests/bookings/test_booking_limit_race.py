"""One customer booking several staff members at once against a limit of one future booking:
the customer record's lock lets exactly one through, on both databases
(docs/booking.md#booking-rules)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from tests.helpers import NOW, RACE_CONNECTIONS, WEDNESDAY, at, make_staff, owner_of
from yuyue.bookings.errors import BookingLimitReached
from yuyue.bookings.models import HOLDING_STATUSES, Appointment
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import business_update
from yuyue.customers.services import customer_for_booking

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 8


def test_a_limit_of_one_lets_one_of_simultaneous_bookings_through(
    business, service, location, customer
):
    business_update(business=business, actor=owner_of(business), max_future_bookings=1)
    staff = [make_staff(service=service, location=location, name=f"S{i}") for i in range(RACERS)]
    customer_for_booking(business=business, user=customer)
    barrier = threading.Barrier(RACERS)
    gate = threading.BoundedSemaphore(max(1, min(RACERS, RACE_CONNECTIONS)))

    def attempt(member):
        barrier.wait()
        with gate:
            try:
                appointment_create(
                    service=service,
                    customer=customer,
                    staff=member,
                    start=at(WEDNESDAY, "10:00"),
                    now=NOW,
                )
                return "won"
            except BookingLimitReached:
                return "limit"
            except Exception as error:  # a crash is a finding, reported by the assertion
                return f"crash: {error!r}"
            finally:
                connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(attempt, staff))

    assert sorted(outcomes) == ["limit"] * (RACERS - 1) + ["won"], outcomes
    assert Appointment.objects.filter(customer=customer, status__in=HOLDING_STATUSES).count() == 1
