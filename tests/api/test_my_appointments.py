"""A customer's own appointments: list, read, cancel, reschedule."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import TUESDAY, WEDNESDAY, at, error_of, make_appointment, make_staff, owner_of
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import service_update
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def post(client, path: str, body: dict | None = None):
    return client.post(path, body or {}, content_type="application/json")


# Listing ----------------------------------------------------------------------------------------


def test_the_list_holds_only_my_appointments(as_customer, service, stylist, booked, stranger):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )

    body = as_customer.get("/api/v1/appointments").json()

    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [booked.public_id]


def test_the_list_filters_by_status_and_local_date(as_customer, service, stylist, customer):
    thursday = WEDNESDAY + dt.timedelta(days=1)
    early = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "09:00")
    )
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(thursday, "09:00"),
        status=Status.CANCELLED,
    )

    by_status = as_customer.get("/api/v1/appointments?status=cancelled").json()
    by_day = as_customer.get(
        f"/api/v1/appointments?date_from={WEDNESDAY}&date_to={WEDNESDAY}"
    ).json()

    assert [item["status"] for item in by_status["items"]] == ["cancelled"]
    assert [item["id"] for item in by_day["items"]] == [early.public_id]


def test_an_appointment_just_after_local_midnight_belongs_to_that_local_day(
    as_customer, business, service, customer
):
    night = make_staff(service=service, name="夜班", hours={"wed": [["00:00", "02:00"]]})
    # 00:30 in Shanghai is still Tuesday in UTC.
    make_appointment(service=service, staff=night, customer=customer, start=at(WEDNESDAY, "00:30"))

    tuesday = as_customer.get(f"/api/v1/appointments?date_from={TUESDAY}&date_to={TUESDAY}")
    wednesday = as_customer.get(f"/api/v1/appointments?date_from={WEDNESDAY}&date_to={WEDNESDAY}")

    assert tuesday.json()["count"] == 0
    assert wednesday.json()["count"] == 1


def test_the_list_can_be_newest_first_and_paged(as_customer, service, stylist, customer):
    for hour in ("09:00", "10:00", "11:00"):
        make_appointment(
            service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, hour)
        )

    body = as_customer.get("/api/v1/appointments?order=-start&limit=2").json()

    assert body["count"] == 3
    assert [item["start"][11:16] for item in body["items"]] == ["11:00", "10:00"]


def test_an_unknown_status_is_a_validation_error(as_customer):
    response = as_customer.get("/api/v1/appointments?status=lost")

    assert response.status_code == 422
    assert "status" in error_of(response)["details"]["fields"]


def test_the_list_needs_a_token(anon):
    assert anon.get("/api/v1/appointments").status_code == 401


# Reading ----------------------------------------------------------------------------------------


def test_a_customer_reads_their_appointment_without_customer_details(as_customer, booked):
    response = as_customer.get(f"/api/v1/appointments/{booked.public_id}")

    assert response.status_code == 200
    assert response.json()["customer"] is None


def test_the_business_reads_it_with_the_customer(as_staff, booked, customer):
    body = as_staff.get(f"/api/v1/appointments/{booked.public_id}").json()

    assert body["customer"] == {
        "id": booked.client_id,
        "name": "customer",
        "phone": "+8613700137000",
        "account_id": customer.id,
        "username": "customer",
    }


def test_another_customer_gets_404(as_stranger, booked):
    response = as_stranger.get(f"/api/v1/appointments/{booked.public_id}")

    assert response.status_code == 404
    assert booked.public_id not in response.content.decode()


def test_a_malformed_id_is_a_validation_error(as_customer):
    response = as_customer.get("/api/v1/appointments/not%20an%20id")

    assert response.status_code == 422


# Cancelling ---------------------------------------------------------------------------------------


def test_a_customer_cancels_before_the_cut_off(as_customer, booked):
    response = post(
        as_customer, f"/api/v1/appointments/{booked.public_id}/cancel", {"reason": "病了"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    event = AppointmentEvent.objects.filter(appointment=booked).last()
    assert (event.action, event.reason) == ("cancelled", "病了")


def test_cancelling_needs_no_body(as_customer, booked):
    response = as_customer.post(
        f"/api/v1/appointments/{booked.public_id}/cancel", "", content_type="application/json"
    )

    assert response.status_code == 200


def test_after_the_cut_off_it_is_too_late(as_customer, booked):
    with time_machine.travel(at(WEDNESDAY, "08:30"), tick=False):
        response = post(as_customer, f"/api/v1/appointments/{booked.public_id}/cancel")

    assert response.status_code == 409
    assert error_of(response)["code"] == "cutoff_passed"


def test_cancelling_twice_is_an_invalid_transition(as_customer, booked):
    post(as_customer, f"/api/v1/appointments/{booked.public_id}/cancel")

    response = post(as_customer, f"/api/v1/appointments/{booked.public_id}/cancel")

    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_transition"


def test_an_over_long_reason_is_a_validation_error(as_customer, booked):
    response = post(
        as_customer, f"/api/v1/appointments/{booked.public_id}/cancel", {"reason": "x" * 501}
    )

    assert response.status_code == 422
    assert "reason" in error_of(response)["details"]["fields"]


def test_staff_cancel_even_after_the_cut_off(as_staff, booked):
    with time_machine.travel(at(WEDNESDAY, "09:55"), tick=False):
        response = post(as_staff, f"/api/v1/appointments/{booked.public_id}/cancel")

    assert response.status_code == 200


def test_another_customer_cannot_cancel(as_stranger, booked):
    response = post(as_stranger, f"/api/v1/appointments/{booked.public_id}/cancel")

    assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


# Rescheduling ----------------------------------------------------------------------------------


def test_a_customer_moves_their_appointment(as_customer, booked, stylist):
    response = post(
        as_customer,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2026-12-02T14:00:00+08:00"
    assert body["staff"]["id"] == stylist.id


def test_a_taken_new_time_is_409_and_nothing_moves(as_customer, booked, service, stylist, stranger):
    appointment_create(service=service, customer=stranger, start=at(WEDNESDAY, "14:00"))

    response = post(
        as_customer,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00+08:00"},
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "slot_unavailable"
    assert error["details"]["alternatives"][0]["start"].endswith("+08:00")
    booked.refresh_from_db()
    assert booked.start == at(WEDNESDAY, "10:00")


def test_without_staff_id_the_same_staff_member_keeps_it(as_customer, booked, business, service):
    make_staff(service=service, name="Amy", hours={"wed": [["14:00", "15:00"]]})

    same = post(
        as_customer,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00"},
    )
    assert same.json()["staff"]["name"] == "Tony 老师"


def test_any_staff_moves_to_whoever_fits(as_customer, booked, business, service, stylist):
    other = make_staff(
        service=service, location=stylist.location, name="Amy", hours={"wed": [["14:00", "15:00"]]}
    )
    staff_override_set(
        staff=stylist, actor=owner_of(stylist), date=WEDNESDAY, intervals=[["09:00", "12:00"]]
    )

    response = post(
        as_customer,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00", "any_staff": True},
    )

    assert response.status_code == 200
    assert response.json()["staff"]["id"] == other.id


def test_a_customer_s_move_of_a_confirmed_service_goes_back_to_pending(
    as_customer, booked, service
):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)

    body = post(
        as_customer,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00"},
    ).json()

    assert body["status"] == "pending"


def test_rescheduling_needs_a_start(as_customer, booked):
    response = post(as_customer, f"/api/v1/appointments/{booked.public_id}/reschedule", {})

    assert response.status_code == 422
    assert "start" in error_of(response)["details"]["fields"]


def test_another_customer_cannot_reschedule(as_stranger, booked):
    response = post(
        as_stranger,
        f"/api/v1/appointments/{booked.public_id}/reschedule",
        {"start": "2026-12-02T14:00:00"},
    )

    assert response.status_code == 404
    assert Appointment.objects.get().start == at(WEDNESDAY, "10:00")
