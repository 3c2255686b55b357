"""Staff and owners run the day: the business's list and the status changes."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import WEDNESDAY, at, error_of, make_appointment, owner_of
from yuyue.bookings.models import Status
from yuyue.catalog.services import service_update
from yuyue.scheduling.services import staff_member_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def act(client, appointment, action: str):
    return client.post(f"/api/v1/appointments/{appointment.public_id}/{action}")


def test_staff_list_the_business_s_appointments_with_customers(as_staff, booked, customer):
    response = as_staff.get("/api/v1/businesses/salon/appointments")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["customer"]["username"] == "customer"


def test_the_business_list_filters_by_staff_member_day_and_status(
    as_owner, business, service, stylist, customer
):
    other = staff_member_create(
        business=business, actor=owner_of(business), name="Amy", services=[service]
    )
    mine = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    make_appointment(service=service, staff=other, customer=customer, start=at(WEDNESDAY, "10:00"))
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY + dt.timedelta(days=1), "10:00"),
    )

    response = as_owner.get(
        f"/api/v1/businesses/salon/appointments?staff_id={stylist.id}"
        f"&date_from={WEDNESDAY}&date_to={WEDNESDAY}&status=confirmed"
    )

    assert [item["id"] for item in response.json()["items"]] == [mine.public_id]


def test_a_customer_may_not_list_the_business_s_appointments(as_customer, booked):
    response = as_customer.get("/api/v1/businesses/salon/appointments")

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert booked.public_id not in response.content.decode()


def test_staff_of_another_business_may_not_either(as_other_owner, booked):
    assert as_other_owner.get("/api/v1/businesses/salon/appointments").status_code == 403


def test_the_business_list_needs_a_token(anon, booked):
    assert anon.get("/api/v1/businesses/salon/appointments").status_code == 401


def test_confirm_then_start_then_complete(as_staff, service, stylist, customer):
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)
    appointment = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status=Status.PENDING,
    )

    statuses = []
    for action in ("confirm", "start", "complete"):
        response = act(as_staff, appointment, action)
        assert response.status_code == 200, response.content
        statuses.append(response.json()["status"])

    assert statuses == ["confirmed", "in_progress", "completed"]


def test_a_no_show_is_recorded_after_the_start(as_staff, booked):
    early = act(as_staff, booked, "no-show")
    with time_machine.travel(at(WEDNESDAY, "10:20"), tick=False):
        late = act(as_staff, booked, "no-show")

    assert early.status_code == 409
    assert error_of(early)["code"] == "invalid_transition"
    assert late.status_code == 200
    assert late.json()["status"] == "no_show"


@pytest.mark.parametrize("action", ["confirm", "complete"])
def test_a_transition_the_status_does_not_allow_is_409(as_owner, booked, action):
    response = act(as_owner, booked, action)

    assert response.status_code == 409
    assert error_of(response)["code"] == "invalid_transition"


@pytest.mark.parametrize("action", ["confirm", "start", "complete", "no-show"])
def test_the_customer_may_not_act_on_their_own_appointment(as_customer, booked, action):
    response = act(as_customer, booked, action)

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    booked.refresh_from_db()
    assert booked.status == Status.CONFIRMED


@pytest.mark.parametrize("action", ["confirm", "start", "complete", "no-show"])
def test_anyone_else_gets_404(as_stranger, as_other_owner, booked, action):
    for client in (as_stranger, as_other_owner):
        response = act(client, booked, action)
        assert response.status_code == 404
        assert booked.public_id not in response.content.decode()


def test_an_unknown_appointment_is_404(as_staff, booked):
    assert as_staff.post("/api/v1/appointments/doesNotExist/start").status_code == 404


def test_actions_need_a_token(anon, booked):
    assert act(anon, booked, "start").status_code == 401
