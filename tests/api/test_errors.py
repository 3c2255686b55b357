"""Every failure has the one error shape, a deliberate status, and speaks the request's language."""

import logging

import pytest
from django.test import Client

from tests.helpers import error_of

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_json_is_400(anon):
    response = anon.post("/api/v1/auth/login", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_an_unknown_url_under_the_api_is_404_in_the_error_shape(anon):
    for path in ("/api/v1/nothing-here", "/api/v2/", "/api/"):
        response = anon.get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"


def test_an_unsupported_method_is_405_with_allow(as_customer):
    response = as_customer.delete("/api/v1/me")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_validation_errors_name_the_field(anon, business):
    response = anon.get("/api/v1/businesses/salon/availability?service_id=x&date_from=soon")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"service_id", "date_from", "date_to"}


def test_messages_follow_accept_language(business):
    english = Client(headers={"Accept-Language": "en"}).get("/api/v1/businesses/none")
    chinese = Client(headers={"Accept-Language": "zh-Hans"}).get("/api/v1/businesses/none")
    default = Client().get("/api/v1/businesses/none")

    assert error_of(english)["message"] == "Not found."
    assert error_of(chinese)["message"] == error_of(default)["message"] == "未找到。"


def test_an_unexpected_failure_is_500_in_the_error_shape_and_logged(
    anon, business, monkeypatch, caplog
):
    def broken(slug):
        raise RuntimeError("a bug")

    monkeypatch.setattr("yuyue.catalog.selectors.business_by_slug", broken)
    with caplog.at_level(logging.ERROR, logger="yuyue.api"):
        response = anon.get("/api/v1/businesses/salon")

    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "a bug" not in response.content.decode()
    assert "a bug" in caplog.text
