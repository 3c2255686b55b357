"""Defects 3 and 4: deeply nested JSON is 400 and a body over the limit is 413, in the one
error shape on the API and as a page on the web — never a 500."""

import pytest
from django.test import Client

from tests.helpers import error_of

pytestmark = pytest.mark.django_db

NESTED = "[" * 100_000 + "]" * 100_000
LIMIT = 10_000


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/businesses"]
)
def test_deeply_nested_json_is_a_400(as_owner, path):
    response = as_owner.post(path, NESTED, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/businesses"]
)
def test_a_body_over_the_limit_is_a_413_in_the_error_shape(small_limit, as_owner, path):
    body = '{"username": "' + "x" * (LIMIT + 1) + '"}'

    response = as_owner.post(path, body, content_type="application/json")

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_a_form_over_the_limit_is_a_413_page(small_limit, db):
    response = Client().post("/login", {"username": "x" * (LIMIT + 1), "password": "y"})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>" in response.content.decode()


def test_a_form_within_the_limit_is_answered_as_usual(small_limit, db):
    assert Client().post("/login", {"username": "x", "password": "y"}).status_code == 401
