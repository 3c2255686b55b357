"""Waitlist fixtures: the customer's Wednesday 10:00 with the stylist, the time that will
free up."""

import pytest

from tests.helpers import NOW
from tests.waitlist.support import TEN
from yuyue.bookings.services import appointment_create


@pytest.fixture
def booked(service, stylist, customer):
    """The customer's Wednesday 10:00 with the stylist: the time that will free up."""
    return appointment_create(service=service, customer=customer, start=TEN, staff=stylist, now=NOW)
