"""Defect 6: while the database cannot be reached, every route answers 503 with Retry-After
(the error shape for JSON, a page for browsers), and the next request after it returns works.
The outage is real: the connection is pointed at a database that is not there.
(tools/faults/postgres_restart.py measures the same with a real PostgreSQL restart.)"""

import socket

import pytest
from django.db import connection
from django.test import Client

from tests.helpers import client_for, error_of

pytestmark = pytest.mark.django_db(transaction=True)


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(business, customer, tmp_path):
    token_client = client_for(customer)
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
    else:
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = unused_port()
    yield token_client
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.parametrize(
    "path", ["/api/v1/businesses/salon", "/api/v1/businesses/salon/services", "/api/v1/me"]
)
def test_the_api_answers_503_with_retry_after(database_down, path):
    response = database_down.get(path)

    assert response.status_code == 503
    assert error_of(response)["code"] == "service_unavailable"
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize("path", ["/", "/b/salon/", "/b/salon/book/1/"])
def test_pages_answer_503_with_a_page(database_down, path):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) >= 1


def test_service_is_back_as_soon_as_the_database_is(business):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["NAME"] = "/nonexistent/db.sqlite3"
    if connection.vendor != "sqlite":
        connection.settings_dict["PORT"] = unused_port()
    down = Client(raise_request_exception=False).get("/api/v1/businesses/salon").status_code
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)

    assert down == 503
    assert Client().get("/api/v1/businesses/salon").status_code == 200
