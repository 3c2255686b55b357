"""Back-office fixtures: the salon's owner and staff member logged in, a second stylist,
and a customer with a pending appointment on the frozen Tuesday."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.helpers import TUESDAY, at, make_appointment, make_staff, office_browser_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def as_owner(owner) -> Client:
    return office_browser_for(owner)


@pytest.fixture
def as_staff(staff_user) -> Client:
    return office_browser_for(staff_user)


@pytest.fixture
def colleague(business, service, location):
    return make_staff(service=service, location=location, name="Amy 老师")


@pytest.fixture
def pending(service, stylist, customer):
    """张小美's haircut with Tony, Tuesday 10:00, waiting for confirmation."""
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    return make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        status="pending",
    )
