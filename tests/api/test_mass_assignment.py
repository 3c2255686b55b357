"""A customer cannot set an appointment's status, staff, customer or price through any endpoint.

Bodies refuse fields they do not declare (422, nothing written), no endpoint edits an
appointment directly, and the status changes are the business's.
"""

import pytest

from tests.helpers import error_of
from yuyue.bookings.models import Appointment, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

FORBIDDEN_FIELDS = {
    "status": "completed",
    "status_label": "已完成",
    "staff": 1,
    "customer": 1,
    "customer_id": 1,
    "price": "0.01",
    "currency": "USD",
    "business": "elsewhere",
}


def values(appointment: Appointment) -> tuple:
    appointment.refresh_from_db()
    return (
        appointment.status,
        appointment.staff_id,
        appointment.customer_id,
        appointment.price,
        appointment.start,
    )


@pytest.mark.parametrize(("field", "value"), FORBIDDEN_FIELDS.items())
def test_booking_refuses_fields_a_customer_may_not_set(as_customer, service, stylist, field, value):
    response = as_customer.post(
        "/api/v1/businesses/salon/appointments",
        {"service_id": service.id, "start": "2026-12-02T10:00:00", field: value},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert error_of(response)["details"]["fields"] == {field: ["未知字段。"]}
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("action", ["cancel", "reschedule"])
@pytest.mark.parametrize(("field", "value"), FORBIDDEN_FIELDS.items())
def test_cancel_and_reschedule_refuse_them_too(as_customer, booked, action, field, value):
    before = values(booked)
    body = {"start": "2026-12-02T14:00:00"} if action == "reschedule" else {}

    response = as_customer.post(
        f"/api/v1/appointments/{booked.public_id}/{action}",
        {**body, field: value},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert values(booked) == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_endpoint_edits_an_appointment_directly(as_customer, booked, method):
    before = values(booked)

    response = getattr(as_customer, method)(
        f"/api/v1/appointments/{booked.public_id}",
        {"status": "completed", "price": "0.01"},
        content_type="application/json",
    )

    assert response.status_code == 405
    assert values(booked) == before


@pytest.mark.parametrize("action", ["confirm", "start", "complete", "no-show"])
def test_status_changes_are_the_business_s(as_customer, booked, action):
    response = as_customer.post(f"/api/v1/appointments/{booked.public_id}/{action}")

    assert response.status_code == 403
    assert values(booked)[0] == Status.CONFIRMED


def test_the_price_is_the_service_s_not_the_client_s(as_customer, service, stylist):
    body = as_customer.post(
        "/api/v1/businesses/salon/appointments",
        {"service_id": service.id, "start": "2026-12-02T10:00:00"},
        content_type="application/json",
    ).json()

    assert body["price"] == "88.00"
