"""API fixtures: a client per member of the cast, each with its own bearer token."""

import datetime as dt

import pytest
from django.test import Client

from tests.helpers import NOW, at
from yuyue.accounts.models import User
from yuyue.accounts.services import token_issue
from yuyue.bookings.services import appointment_create

TUESDAY = NOW.date()
WEDNESDAY = TUESDAY + dt.timedelta(days=1)


def bearer(user: User) -> str:
    return f"Bearer {token_issue(user=user).key}"


def client_for(user: User | None = None, **headers: str) -> Client:
    if user is not None:
        headers["Authorization"] = bearer(user)
    return Client(headers=headers)


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


def error_of(response) -> dict:
    """The error object of a response, after checking it has the one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
