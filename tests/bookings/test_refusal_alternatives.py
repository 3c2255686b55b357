"""A refusal offers the alternatives the full search gives, whether they come from the
calendars the booking read (free times left that day) or from a wider search (a full day)."""

import datetime as dt
import random

import pytest

from tests.helpers import NOW, WEDNESDAY, at, make_appointment, make_staff
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.services import alternatives_for, appointment_create

pytestmark = pytest.mark.django_db
HOURS = ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]


@pytest.fixture
def team(business, service, location, stylist):
    members = [stylist]
    for i in range(2):
        member = make_staff(service=service, location=location, name=f"Staff {i}")
        members.append(member)
    return members


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("named", [True, False])
def test_the_refusal_offers_what_the_full_search_finds(
    service, team, customer, stranger, seed, named
):
    rng = random.Random(seed)
    # Seeds from sparse to nearly full days, the refused start always taken by everyone.
    fill = seed / 12
    refused = at(WEDNESDAY, rng.choice(HOURS))
    for day in (WEDNESDAY, WEDNESDAY + dt.timedelta(days=1)):
        for hour in HOURS:
            start = at(day, hour)
            for member in team:
                if start == refused or rng.random() < fill:
                    make_appointment(service=service, staff=member, customer=stranger, start=start)
    staff = team[0] if named else None
    with pytest.raises(SlotUnavailable) as refusal:
        appointment_create(service=service, customer=customer, start=refused, staff=staff, now=NOW)
    assert refusal.value.alternatives == alternatives_for(
        service=service, start=refused, staff=staff, now=NOW
    )
