"""Defect 5: every response that depends on who asks says `Cache-Control: private, no-store`;
the public catalog stays cacheable."""

import pytest
from django.test import Client

from tests.helpers import browser_for

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


@pytest.mark.parametrize(
    "path", ["/appointments", "/appointments/{id}/", "/appointments/{id}/calendar.ics"]
)
def test_the_customer_pages_are_not_stored(customer, booked, path):
    response = browser_for(customer).get(path.format(id=booked.public_id))

    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/appointments", "/api/v1/appointments/{id}"]
)
def test_the_api_answers_with_a_token_are_not_stored(as_customer, booked, path):
    response = as_customer.get(path.format(id=booked.public_id))

    assert response.status_code == 200
    assert no_store(response)


def test_a_token_answer_is_not_stored(customer):
    response = Client().post(
        "/api/v1/auth/login",
        {"username": "customer", "password": "correct horse battery"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert no_store(response)


def test_the_public_catalog_may_be_cached(business, anon):
    response = anon.get("/api/v1/businesses/salon")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
