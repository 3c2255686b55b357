"""On PostgreSQL the exclusion constraints guard a waitlist offer like any booking
(migration bookings/0009_appointment_offered)."""

import pytest
from django.db import IntegrityError

from tests.helpers import WEDNESDAY, at, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_nothing_overlaps_a_standing_offer(service, stylist, customer, stranger):
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status="offered",
    )
    with pytest.raises(IntegrityError):
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:30")
        )
