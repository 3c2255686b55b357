"""Customer-record fixtures: the salon's walk-in 赵女士, booked by its owner with a note."""

import pytest
from django.core.cache import cache

from tests.helpers import TUESDAY, at
from yuyue.bookings.services import appointment_create
from yuyue.customers.services import customer_create

WALK_IN_PHONE = "+8613917778117"
ALLERGY = "过敏：对染发剂过敏"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def walk_in(business, owner):
    return customer_create(
        actor=owner, business=business, name="赵女士", phone="139 1777 8117", notes=ALLERGY
    )


@pytest.fixture
def walk_in_booking(walk_in, service, stylist, owner):
    return appointment_create(
        service=service,
        client=walk_in,
        start=at(TUESDAY, "15:00"),
        staff=stylist,
        notes=ALLERGY,
        actor=owner,
        staff_override=True,
    )
