"""Customer web app fixtures: the salon is the site's default business, browsers log in through
the session, a second stylist and a second shop. The helpers the tests read pages with (what
every page must hold: no inline script or style, a label for every field, a CSRF token in
every POST form) are in tests/helpers.py."""

import pytest
from django.test import Client

from tests.helpers import (
    TUESDAY,
    WEDNESDAY,
    at,
    browser_for,
    make_appointment,
    make_staff,
    owner_of,
)
from yuyue.catalog.services import location_create


@pytest.fixture(autouse=True)
def _salon_is_the_default(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "salon"


@pytest.fixture
def browser(db) -> Client:
    return browser_for()


@pytest.fixture
def as_customer(customer) -> Client:
    return browser_for(customer, english=True)


@pytest.fixture
def as_customer_zh(customer) -> Client:
    return browser_for(customer)


@pytest.fixture
def as_stranger(stranger) -> Client:
    return browser_for(stranger, english=True)


@pytest.fixture
def kevin(business, service, location):
    """A second stylist with the same hours, so "anyone" has a choice to make."""
    return make_staff(service=service, location=location, name="Kevin 老师")


@pytest.fixture
def xuhui(business):
    """The salon's second shop."""
    return location_create(
        business=business,
        actor=owner_of(business),
        name="徐汇店",
        address="上海市徐汇区衡山路 2 号",
    )


@pytest.fixture
def lily(business, service, xuhui):
    """A stylist at the second shop, with the same hours as Tony at the first."""
    return make_staff(service=service, location=xuhui, name="Lily 老师")


@pytest.fixture
def booked(service, stylist, customer, frozen_now):
    """The customer's confirmed appointment tomorrow (Wednesday) at 10:00."""
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )


@pytest.fixture
def too_late(service, stylist, customer, frozen_now):
    """The customer's appointment today at 09:00: an hour away, past the 120-minute cut-off."""
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "09:00")
    )
