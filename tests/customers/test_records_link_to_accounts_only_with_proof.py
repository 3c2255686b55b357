"""A record links to an account in two ways only: the account books at the business itself,
or the person proves the phone (`customer_link_verified_phone`, which the phone-code and
WeChat phone steps call)."""

import pytest

from tests.customers.conftest import WALK_IN_PHONE
from tests.helpers import TUESDAY, at, client_for, make_user
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Business
from yuyue.customers.models import Customer
from yuyue.customers.services import (
    customer_create,
    customer_for_booking,
    customer_link_verified_phone,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_a_customer_booking_themselves_gets_a_linked_record(customer, service, stylist, business):
    appointment = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "15:00"), staff=stylist
    )

    record = appointment.client
    assert (record.business, record.user, record.name, record.phone) == (
        business,
        customer,
        "customer",
        customer.phone,
    )
    again = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "17:00"), staff=stylist
    )
    assert again.client == record


def test_booking_with_a_walk_ins_phone_does_not_take_her_record(
    walk_in_booking, walk_in, business, service, stylist
):
    impostor = make_user("impostor", phone=WALK_IN_PHONE)

    appointment = appointment_create(
        service=service, customer=impostor, start=at(TUESDAY, "17:00"), staff=stylist
    )

    assert appointment.client != walk_in
    assert appointment.client.phone == ""
    walk_in.refresh_from_db()
    assert walk_in.user is None
    assert client_for(impostor).get("/api/v1/appointments").json()["count"] == 1


def test_proving_the_phone_links_every_businesss_record_and_its_appointments(
    walk_in_booking, walk_in, other_owner
):
    elsewhere = Business.objects.get(slug="elsewhere")
    there = customer_create(
        actor=other_owner, business=elsewhere, name="Ms Zhao", phone=WALK_IN_PHONE
    )
    unrelated = customer_create(
        actor=other_owner, business=elsewhere, name="孙先生", phone="13800001111"
    )
    zhao = make_user("zhao", phone="")

    linked = customer_link_verified_phone(user=zhao, phone="139 1777 8117")

    assert {record.pk for record in linked} == {walk_in.pk, there.pk}
    walk_in.refresh_from_db()
    unrelated.refresh_from_db()
    assert walk_in.user == zhao and unrelated.user is None
    walk_in_booking.refresh_from_db()
    assert walk_in_booking.customer == zhao
    mine = client_for(zhao).get("/api/v1/appointments").json()
    assert [item["id"] for item in mine["items"]] == [walk_in_booking.public_id]


def test_proving_the_phone_joins_a_record_the_account_already_has(
    walk_in_booking, walk_in, business, customer, service, stylist
):
    own = appointment_create(
        service=service, customer=customer, start=at(TUESDAY, "17:00"), staff=stylist
    ).client

    [linked] = customer_link_verified_phone(user=customer, phone=WALK_IN_PHONE)

    assert linked == own
    assert not Customer.objects.filter(pk=walk_in.pk).exists()
    assert Appointment.objects.filter(client=own, customer=customer).count() == 2


def test_a_record_with_another_account_is_left_alone(business, customer, stranger):
    theirs = customer_for_booking(business=business, user=customer)

    assert customer_link_verified_phone(user=stranger, phone=customer.phone) == []
    theirs.refresh_from_db()
    assert theirs.user == customer
