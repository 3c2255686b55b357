"""Bookings racing at the same instant, on different staff members (no lock in common), all
drawing the same check-in code: the constraint lets one keep it, the others book again with
a new code; everyone is booked, no two open appointments share a code (both databases)."""

import itertools
import threading

import pytest

from tests.bookings.test_concurrency import race
from tests.helpers import NOW, RACE_CONNECTIONS, WEDNESDAY, at, make_staff, make_user
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create

pytestmark = pytest.mark.django_db(transaction=True)

CLASH = "111111"


def test_racing_bookings_that_draw_one_code_all_book_with_distinct_codes(
    service, location, monkeypatch
):
    size = min(8, RACE_CONNECTIONS)
    staff = [make_staff(service=service, location=location, name=f"S{i}") for i in range(size)]
    customers = [make_user(f"racer{i}", phone="+8613800138000") for i in range(size)]
    # Loaded dice: every thread's first draw is the same code, later draws are all different.
    drawn = threading.local()
    fresh = itertools.count(200000)
    lock = threading.Lock()

    def draw() -> str:
        if not getattr(drawn, "once", False):
            drawn.once = True
            return CLASH
        with lock:
            return f"{next(fresh):06d}"

    field = Appointment._meta.get_field("checkin_code")
    monkeypatch.setattr(field, "_get_default", draw)

    def attempt_for(i):
        return lambda: appointment_create(
            service=service,
            customer=customers[i],
            staff=staff[i],
            start=at(WEDNESDAY, "10:00"),
            now=NOW,
        )

    outcomes = race([attempt_for(i) for i in range(size)])

    assert outcomes == ["won"] * size
    codes = list(Appointment.objects.values_list("checkin_code", flat=True))
    assert len(codes) == size == len(set(codes))
    assert codes.count(CLASH) == 1
