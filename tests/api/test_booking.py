"""Booking through the API: times with and without offsets, refusals with alternatives, retries."""

import pytest

from tests.helpers import WEDNESDAY, at, error_of, owner_of
from yuyue.bookings.models import Appointment, Channel, Status
from yuyue.catalog.services import business_create, service_update
from yuyue.scheduling.services import staff_member_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
URL = "/api/v1/businesses/salon/appointments"


def book(client, **body):
    headers = body.pop("headers", {})
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_booking_a_free_time_returns_the_appointment(as_customer, service, stylist, location):
    response = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00+08:00")

    assert response.status_code == 201
    body = response.json()
    appointment = Appointment.objects.get()
    assert body["id"] == appointment.public_id
    assert body["start"] == "2026-12-02T10:00:00+08:00"
    assert body["end"] == "2026-12-02T11:00:00+08:00"
    assert body["status"] == "confirmed"
    assert body["status_label"] == "已确认"
    assert (body["price"], body["currency"]) == ("88.00", "CNY")
    assert body["business"] == {
        "slug": "salon",
        "name": "悦己美发沙龙",
        "timezone": "Asia/Shanghai",
    }
    assert body["service"] == {"id": service.id, "name": "洗剪吹"}
    assert body["staff"] == {"id": stylist.id, "name": "Tony 老师"}
    assert body["location"]["id"] == location.id
    assert body["customer"] is None
    assert body["cancel_deadline"] == "2026-12-02T08:00:00+08:00"
    assert appointment.channel == Channel.API


def test_a_time_without_offset_is_the_business_s_local_time(as_customer, service, stylist):
    response = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00")

    assert response.status_code == 201
    assert Appointment.objects.get().start == at(WEDNESDAY, "10:00")


def test_a_time_with_another_offset_is_taken_as_given(as_customer, service, stylist):
    response = book(as_customer, service_id=service.id, start="2026-12-02T02:00:00Z")

    assert response.status_code == 201
    assert response.json()["start"] == "2026-12-02T10:00:00+08:00"


def test_a_service_that_needs_confirmation_books_pending(as_customer, service, stylist):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)

    body = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00").json()

    assert (body["status"], body["status_label"]) == ("pending", "待确认")


def test_status_labels_follow_the_language(customer, service, stylist):
    from tests.helpers import client_for

    client = client_for(customer, **{"Accept-Language": "en"})

    body = book(client, service_id=service.id, start="2026-12-02T10:00:00").json()

    assert body["status_label"] == "Confirmed"


def test_a_taken_time_is_409_with_the_nearest_free_starts(as_customer, service, stylist, booked):
    response = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00+08:00")

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "slot_unavailable"
    alternatives = error["details"]["alternatives"]
    assert [slot["start"] for slot in alternatives] == [
        "2026-12-02T09:00:00+08:00",
        "2026-12-02T11:00:00+08:00",
        "2026-12-02T13:00:00+08:00",
    ]
    assert alternatives[0] == {
        "start": "2026-12-02T09:00:00+08:00",
        "end": "2026-12-02T10:00:00+08:00",
        "staff_ids": [stylist.id],
        "remaining": 1,
    }


@pytest.mark.parametrize(
    "start",
    [
        "2026-12-02T10:30:00+08:00",  # off the grid
        "2026-12-02T12:00:00+08:00",  # lunch
        "2026-12-05T10:00:00+08:00",  # Saturday
        "2026-12-01T08:30:00+08:00",  # too soon
        "2027-06-01T10:00:00+08:00",  # beyond the horizon
        "2020-01-01T10:00:00+08:00",  # the past
        "0001-01-01T00:00:00+14:00",  # the first day of the calendar
        "9999-12-31T23:59:59-12:00",  # and its last
    ],
)
def test_an_unbookable_time_is_slot_unavailable(as_customer, service, stylist, start):
    response = book(as_customer, service_id=service.id, start=start)

    assert response.status_code == 409
    assert error_of(response)["code"] == "slot_unavailable"


@pytest.mark.parametrize(
    "start", ["tomorrow", "2026-12-02", "2026-12-02T25:00:00", "2026-02-30T10:00:00", 1764640800]
)
def test_a_malformed_time_is_a_validation_error(as_customer, service, stylist, start):
    response = book(as_customer, service_id=service.id, start=start)

    assert response.status_code == 422
    assert list(error_of(response)["details"]["fields"]) == ["start"]


def test_the_same_idempotency_key_returns_the_same_appointment(as_customer, service, stylist):
    headers = {"Idempotency-Key": "order-7"}

    first = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00", headers=headers)
    again = book(as_customer, service_id=service.id, start="2026-12-02T10:00:00", headers=headers)

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Appointment.objects.count() == 1


def test_an_idempotency_key_reused_for_another_time_is_a_duplicate(as_customer, service, stylist):
    headers = {"Idempotency-Key": "order-7"}
    book(as_customer, service_id=service.id, start="2026-12-02T10:00:00", headers=headers)

    response = book(
        as_customer, service_id=service.id, start="2026-12-02T11:00:00", headers=headers
    )

    assert response.status_code == 409
    assert error_of(response)["code"] == "duplicate"


def test_an_over_long_idempotency_key_is_a_validation_error(as_customer, service, stylist):
    response = book(
        as_customer,
        service_id=service.id,
        start="2026-12-02T10:00:00",
        headers={"Idempotency-Key": "k" * 101},
    )

    assert response.status_code == 422
    assert "Idempotency-Key" in error_of(response)["details"]["fields"]


def test_a_named_staff_member_is_booked(as_customer, business, service, stylist):
    response = book(
        as_customer, service_id=service.id, staff_id=stylist.id, start="2026-12-02T10:00:00"
    )

    assert response.status_code == 201
    assert response.json()["staff"]["id"] == stylist.id


def test_staff_of_another_business_is_a_validation_error(as_customer, service, stylist, owner):
    elsewhere = business_create(owner=owner, slug="second", name="二店")
    foreign = staff_member_create(business=elsewhere, actor=owner_of(elsewhere), name="外人")

    response = book(
        as_customer, service_id=service.id, staff_id=foreign.id, start="2026-12-02T10:00:00"
    )

    assert response.status_code == 422
    assert "staff_id" in error_of(response)["details"]["fields"]


def test_an_unknown_service_is_a_validation_error(as_customer, service, stylist):
    response = book(as_customer, service_id=999999, start="2026-12-02T10:00:00")

    assert response.status_code == 422
    assert "service_id" in error_of(response)["details"]["fields"]


def test_over_long_notes_are_a_validation_error(as_customer, service, stylist):
    response = book(as_customer, service_id=service.id, start="2026-12-02T10:00", notes="x" * 1001)

    assert response.status_code == 422
    assert "notes" in error_of(response)["details"]["fields"]


def test_notes_are_kept(as_customer, service, stylist):
    body = book(
        as_customer, service_id=service.id, start="2026-12-02T10:00", notes="第一次来\n请多关照"
    ).json()

    assert body["notes"] == "第一次来\n请多关照"


def test_booking_needs_a_token(anon, service, stylist):
    response = book(anon, service_id=service.id, start="2026-12-02T10:00:00")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert not Appointment.objects.exists()


def test_booking_at_an_unknown_business_is_404(as_customer, service, stylist):
    response = as_customer.post(
        "/api/v1/businesses/nowhere/appointments",
        {"service_id": service.id, "start": "2026-12-02T10:00:00"},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_a_booking_is_held_by_the_staff_member(as_customer, service, stylist):
    book(as_customer, service_id=service.id, start="2026-12-02T10:00:00")

    assert Appointment.objects.get().status == Status.CONFIRMED
    assert Appointment.objects.get().staff == stylist
