"""Staff add a walk-in with a phone and book her; anyone who then types that phone — at
registration, or as a new staff account of another business — gets a new account of their
own: none of her appointments, her name or the note about her."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.customers.conftest import ALLERGY, WALK_IN_PHONE
from tests.helpers import PASSWORD, TUESDAY, client_for, office_browser_for
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.customers.models import Customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def book_walk_in_through_the_back_office(owner, business, service, stylist) -> None:
    desk = office_browser_for(owner)
    created = desk.post(
        f"/manage/{business.slug}/book/customer/", {"name": "赵女士", "phone": "13917778117"}
    )
    assert created.status_code == 303
    token = parse_qs(urlsplit(created["Location"]).query)["customer"][0]
    booked = desk.post(
        f"/manage/{business.slug}/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": stylist.id,
            "date": TUESDAY.isoformat(),
            "time": "15:00",
            "notes": ALLERGY,
        },
    )
    assert booked.status_code == 303, booked.content


def test_registering_with_a_walk_ins_phone_gets_none_of_her_data(owner, business, service, stylist):
    book_walk_in_through_the_back_office(owner, business, service, stylist)

    response = client_for().post(
        "/api/v1/auth/register",
        {"username": "thief", "password": PASSWORD, "phone": "13917778117"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["display_name"] == ""
    thief = User.objects.get(pk=body["user"]["id"])
    mine = client_for(thief).get("/api/v1/appointments").json()
    assert mine["items"] == []
    assert ALLERGY not in str(mine)
    record = Customer.objects.get(business=business, phone=WALK_IN_PHONE)
    assert record.user is None
    [appointment] = Appointment.objects.filter(client=record)
    assert appointment.customer is None and appointment.notes == ALLERGY


def test_a_new_staff_account_with_her_phone_elsewhere_is_a_new_account(
    walk_in_booking, other_owner
):
    elsewhere = Business.objects.get(slug="elsewhere")

    response = client_for(other_owner).post(
        f"/api/v1/businesses/{elsewhere.slug}/staff",
        {
            "name": "New hire",
            "new_account": {"username": "mallory", "password": PASSWORD, "phone": "13917778117"},
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    mallory = User.objects.get(username="mallory")
    assert mallory.display_name == ""
    assert not Appointment.objects.filter(customer=mallory).exists()
    assert not Customer.objects.filter(user=mallory).exists()
    walk_in_booking.refresh_from_db()
    assert walk_in_booking.customer is None
    assert walk_in_booking.client.user is None


def test_a_walk_in_is_a_record_without_any_account(walk_in_booking, walk_in):
    assert walk_in_booking.client == walk_in
    assert walk_in_booking.customer is None
    assert not User.objects.filter(phone=WALK_IN_PHONE).exists()
