"""API fixtures: a client per member of the cast, each with its own bearer token."""

import pytest
from django.test import Client

from tests.helpers import WEDNESDAY, at, client_for
from yuyue.bookings.services import appointment_create


@pytest.fixture
def anon(db) -> Client:
    return Client()


@pytest.fixture
def as_customer(customer) -> Client:
    return client_for(customer)


@pytest.fixture
def as_stranger(stranger) -> Client:
    return client_for(stranger)


@pytest.fixture
def as_owner(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def as_staff(staff_user) -> Client:
    return client_for(staff_user)


@pytest.fixture
def as_other_owner(other_owner) -> Client:
    return client_for(other_owner)


@pytest.fixture
def booked(service, stylist, customer, frozen_now):
    """The customer's confirmed appointment tomorrow (Wednesday) at 10:00."""
    return appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), now=frozen_now
    )
