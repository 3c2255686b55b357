"""Customer web app fixtures: the salon is the site's default business, the throttles start
fresh, and a browser-like client per member of the cast."""

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _salon_is_the_default(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "salon"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Login, register and booking throttles count in the cache; every test starts at zero.
    cache.clear()
    yield
    cache.clear()


def browser_for(user=None, **extra) -> Client:
    """A browser (HTML, not JSON) logged in as `user` through the session, like a real login."""
    client = Client(**extra)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def browser(db) -> Client:
    return Client()


@pytest.fixture
def as_customer(customer) -> Client:
    return browser_for(customer)


@pytest.fixture
def as_stranger(stranger) -> Client:
    return browser_for(stranger)
