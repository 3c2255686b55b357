"""The audit log ("yuyue.audit"): logins that succeed and fail, refused requests and every
appointment change, each with the time in UTC, the actor and the address — and never a
password or a token."""

import datetime as dt
import logging

import pytest
from django.test import Client

from tests.helpers import WEDNESDAY, at

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ADDRESS = "192.0.2.44"


@pytest.fixture
def audit_log(caplog):
    caplog.set_level(logging.INFO, logger="yuyue.audit")
    return caplog


def records(caplog, event: str) -> list[dict]:
    return [
        r.audit for r in caplog.records if r.name == "yuyue.audit" and r.audit["event"] == event
    ]


def assert_well_formed(record: dict) -> None:
    moment = dt.datetime.fromisoformat(record["time"])
    assert moment.utcoffset() == dt.timedelta(0)
    assert record["actor"] and record["address"]


def login(username: str, password: str):
    return Client(REMOTE_ADDR=ADDRESS).post(
        "/api/v1/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_a_successful_login_is_logged_with_actor_and_address(audit_log, customer):
    login("customer", PASSWORD)

    (record,) = records(audit_log, "login.succeeded")
    assert_well_formed(record)
    assert record["actor"] == f"customer#{customer.pk}"
    assert record["address"] == ADDRESS


def test_a_failed_login_is_logged_without_the_password(audit_log, customer):
    login("customer", "hunter2-secret")

    (record,) = records(audit_log, "login.failed")
    assert_well_formed(record)
    assert record["username"] == "customer"
    assert "hunter2-secret" not in audit_log.text


def test_no_token_reaches_the_log(audit_log, customer):
    token = login("customer", PASSWORD).json()["token"]
    Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
    Client(headers={"Authorization": "Bearer yuyue_made-up"}).get("/api/v1/me")

    assert token not in audit_log.text
    assert "made-up" not in audit_log.text
    assert PASSWORD not in audit_log.text


def test_a_refused_request_is_logged(audit_log, as_stranger, business):
    response = as_stranger.patch(
        "/api/v1/businesses/salon", {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    (record,) = records(audit_log, "access.refused")
    assert_well_formed(record)
    assert record["status"] == 403
    assert record["path"] == "/api/v1/businesses/salon"
    assert record["actor"].startswith("stranger#")


def test_every_appointment_change_is_logged(
    audit_log, as_customer, service, stylist, django_capture_on_commit_callbacks, frozen_now
):
    with django_capture_on_commit_callbacks(execute=True):
        created = as_customer.post(
            "/api/v1/businesses/salon/appointments",
            {"service_id": service.id, "start": at(WEDNESDAY, "10:00").isoformat()},
            content_type="application/json",
        )
    public_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        as_customer.post(
            f"/api/v1/appointments/{public_id}/cancel",
            {"reason": "有事"},
            content_type="application/json",
        )

    created_record = records(audit_log, "appointment.created")[0]
    cancelled_record = records(audit_log, "appointment.cancelled")[0]
    for record in (created_record, cancelled_record):
        assert_well_formed(record)
        assert record["appointment"] == public_id
        assert record["actor"].startswith("customer#")
    assert cancelled_record["to_status"] == "cancelled"
    # The line names statuses as values, both the same way (not to_status=Status.CANCELLED).
    (line,) = [
        r.getMessage() for r in audit_log.records if r.audit["event"] == "appointment.cancelled"
    ]
    assert "from_status='confirmed'" in line
    assert "to_status='cancelled'" in line
    assert "Status." not in line
