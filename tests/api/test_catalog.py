"""The public catalog: a business, its services and staff, readable without a token."""

import pytest

from tests.helpers import client_for, error_of, owner_of
from yuyue.catalog.services import location_create, service_create, service_update
from yuyue.scheduling.services import staff_member_create, staff_member_update

pytestmark = pytest.mark.django_db


def test_a_business_shows_its_zone_currency_and_locations(anon, business, location):
    location_create(
        business=business, actor=owner_of(business), name="柏林店", timezone="Europe/Berlin"
    )

    response = anon.get("/api/v1/businesses/salon")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "salon"
    assert body["timezone"] == "Asia/Shanghai"
    assert body["currency"] == "CNY"
    assert [(item["name"], item["timezone"]) for item in body["locations"]] == [
        ("柏林店", "Europe/Berlin"),
        ("静安店", "Asia/Shanghai"),
    ]


def test_an_unknown_business_is_404(anon, business):
    response = anon.get("/api/v1/businesses/nowhere")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_malformed_slug_is_a_validation_error(anon, business):
    response = anon.get("/api/v1/businesses/not%20a%20slug")

    assert response.status_code == 422
    assert "slug" in error_of(response)["details"]["fields"]


def test_services_show_money_as_a_string_with_its_currency(anon, service):
    response = anon.get("/api/v1/businesses/salon/services")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["price"] == "88.00"
    assert item["currency"] == "CNY"
    assert {
        "id",
        "name",
        "description",
        "duration_minutes",
        "price",
        "currency",
        "capacity",
        "requires_confirmation",
    } <= set(item)


def test_services_are_paginated(anon, business):
    for i in range(5):
        service_create(
            business=business,
            actor=owner_of(business),
            name=f"服务 {i}",
            duration_minutes=30,
            price="10",
        )

    response = anon.get("/api/v1/businesses/salon/services?limit=2&offset=2")

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [item["name"] for item in body["items"]] == ["服务 2", "服务 3"]


def test_a_limit_beyond_the_maximum_is_a_validation_error(anon, business):
    response = anon.get("/api/v1/businesses/salon/services?limit=1000")

    assert response.status_code == 422
    assert "limit" in error_of(response)["details"]["fields"]


def test_inactive_services_are_shown_to_the_business_only(anon, as_owner, as_staff, service):
    service_update(service=service, actor=owner_of(service), active=False)

    assert anon.get("/api/v1/businesses/salon/services").json()["count"] == 0
    assert as_owner.get("/api/v1/businesses/salon/services").json()["count"] == 1
    assert as_staff.get("/api/v1/businesses/salon/services").json()["count"] == 1


def test_customers_with_a_token_see_the_public_list(as_customer, service):
    service_update(service=service, actor=owner_of(service), active=False)

    response = as_customer.get("/api/v1/businesses/salon/services")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_bad_token_on_a_public_list_is_401_not_silently_anonymous(db, service):
    client = client_for(None, Authorization="Bearer yuyue_expired")

    response = client.get("/api/v1/businesses/salon/services")

    assert response.status_code == 401


def test_staff_can_be_filtered_by_service(anon, business, service, stylist):
    other = service_create(
        business=business, actor=owner_of(business), name="染发", duration_minutes=120, price="300"
    )
    staff_member_create(business=business, actor=owner_of(business), name="Amy", services=[other])

    everyone = anon.get("/api/v1/businesses/salon/staff").json()
    for_service = anon.get(f"/api/v1/businesses/salon/staff?service_id={service.id}").json()

    assert [item["name"] for item in everyone["items"]] == ["Amy", "Tony 老师"]
    assert for_service["items"] == [
        {
            "id": stylist.id,
            "name": "Tony 老师",
            "service_ids": [service.id],
            "location_id": stylist.location_id,
            "title": None,
            "photo_url": None,
            "timezone": "Asia/Shanghai",
            "active": True,
            "username": None,
        }
    ]


def test_the_linked_account_and_inactive_staff_are_the_business_s_own(as_owner, anon, stylist):
    retired = staff_member_create(
        business=stylist.business, actor=owner_of(stylist.business), name="Old hand"
    )
    staff_member_update(staff=retired, actor=owner_of(retired), active=False)

    public = anon.get("/api/v1/businesses/salon/staff").json()["items"]
    private = as_owner.get("/api/v1/businesses/salon/staff").json()["items"]

    assert [(item["name"], item["username"]) for item in public] == [("Tony 老师", None)]
    assert [(item["name"], item["username"]) for item in private] == [
        ("Old hand", None),
        ("Tony 老师", "staff"),
    ]
