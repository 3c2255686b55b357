"""Scorecard fixtures: clients for every kind of caller, and a fresh throttle store."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.api.conftest import client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles count in the shared cache; each row starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_owner(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def api_customer(customer) -> Client:
    return client_for(customer)
