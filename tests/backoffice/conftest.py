"""Back-office fixtures: the salon's owner and staff member logged in, a second stylist,
and a customer with a pending appointment on the frozen Tuesday."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from tests.helpers import NOW, WORKWEEK, at, make_appointment, owner_of
from yuyue.scheduling.services import staff_hours_set, staff_member_create

TUESDAY = NOW.date()
WEDNESDAY = TUESDAY + dt.timedelta(days=1)
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def browser_for(user=None, *, english: bool = True) -> Client:
    client = Client(headers=EN if english else {}, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_owner(owner) -> Client:
    return browser_for(owner)


@pytest.fixture
def as_staff(staff_user) -> Client:
    return browser_for(staff_user)


@pytest.fixture
def colleague(business, service, location):
    member = staff_member_create(
        business=business,
        actor=owner_of(business),
        name="Amy 老师",
        services=[service],
        location=location,
    )
    staff_hours_set(staff=member, actor=owner_of(member), hours=WORKWEEK)
    return member


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


def html_of(response) -> str:
    return response.content.decode()
