"""On PostgreSQL the exclusion constraints guard a hold awaiting payment like any booking."""

import pytest
from django.db import IntegrityError

from tests.helpers import WEDNESDAY, at, make_appointment

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_nothing_overlaps_a_hold_awaiting_payment(service, stylist, customer, stranger):
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status="awaiting_payment",
    )
    with pytest.raises(IntegrityError):
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:30")
        )


def test_a_released_hold_guards_nothing(service, stylist, customer, stranger):
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status="cancelled",
    )
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:30")
    )
