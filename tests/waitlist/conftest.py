"""Waitlist fixtures: a stylist whose Wednesday morning the customer has booked at 10:00, and
waiters who want Wednesday morning."""

import datetime as dt

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_user
from yuyue.bookings.services import appointment_create
from yuyue.waitlist.services import waitlist_join

TEN = at(WEDNESDAY, "10:00")


@pytest.fixture
def booked(service, stylist, customer):
    """The customer's Wednesday 10:00 with the stylist: the time that will free up."""
    return appointment_create(service=service, customer=customer, start=TEN, staff=stylist, now=NOW)


def join(service, name, *, staff=None, frm="09:00", to="12:00", day=WEDNESDAY, now=NOW):
    """A new waiter for `service` on `day` between `frm` and `to`."""
    user = make_user(name, phone="+8613500135000", email=f"{name}@example.com")
    return waitlist_join(
        service=service,
        actor=user,
        staff=staff,
        date_from=day,
        date_to=day,
        time_from=dt.time.fromisoformat(frm),
        time_to=dt.time.fromisoformat(to),
        now=now,
    )
