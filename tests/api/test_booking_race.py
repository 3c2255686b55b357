"""Fifty customers POST the same slot at once through the whole HTTP stack.

The rule under test: docs/booking.md#locking-order.

Each thread is its own client with its own token and its own database connection. Exactly
one booking may win; every other answer must be a 409 with alternatives, never a 5xx.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from tests.helpers import WEDNESDAY, at, client_for, make_user
from yuyue.bookings.models import Appointment

RACERS = 50


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_bookings_of_one_slot_give_one_201_and_forty_nine_409s(
    service, stylist, frozen_now
):
    clients = [client_for(make_user(f"racer{i}", phone="+8613800138000")) for i in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    body = {"service_id": service.id, "start": at(WEDNESDAY, "10:00").isoformat()}

    def race(client):
        barrier.wait()
        try:
            response = client.post(
                "/api/v1/businesses/salon/appointments", body, content_type="application/json"
            )
            return response.status_code, response.json()
        finally:
            connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(pool.map(race, clients))

    statuses = sorted(status for status, _body in outcomes)
    assert statuses == [201] + [409] * (RACERS - 1)
    refusals = [body["error"] for status, body in outcomes if status == 409]
    assert {error["code"] for error in refusals} == {"slot_unavailable"}
    assert all(error["details"]["alternatives"] for error in refusals)
    assert Appointment.objects.filter(start=at(WEDNESDAY, "10:00")).count() == 1
