"""GET/PATCH /api/v1/businesses/{slug}/customers[/{id}]: the business's own records, for its
owners and staff only."""

import pytest

from tests.customers.conftest import ALLERGY, WALK_IN_PHONE
from tests.helpers import client_for
from yuyue.catalog.models import Business
from yuyue.customers.services import customer_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_staff_list_their_records_with_visits_and_no_shows(walk_in_booking, walk_in, staff_user):
    body = client_for(staff_user).get("/api/v1/businesses/salon/customers", {"q": "8117"}).json()

    assert body["count"] == 1
    [item] = body["items"]
    assert (item["id"], item["name"], item["phone"], item["notes"]) == (
        walk_in.id,
        "赵女士",
        WALK_IN_PHONE,
        ALLERGY,
    )
    assert (item["account_id"], item["visits"], item["no_shows"]) == (None, 0, 0)


def test_staff_change_a_record(walk_in, owner):
    response = client_for(owner).patch(
        f"/api/v1/businesses/salon/customers/{walk_in.id}",
        {"name": "赵丽", "tags": ["VIP"], "email": "zhao@example.com"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["VIP"]
    walk_in.refresh_from_db()
    assert (walk_in.name, walk_in.email, walk_in.phone) == (
        "赵丽",
        "zhao@example.com",
        WALK_IN_PHONE,
    )


def test_a_phone_another_record_has_is_409(walk_in, owner, business):
    other = customer_create(actor=owner, business=business, name="钱先生", phone="")

    response = client_for(owner).patch(
        f"/api/v1/businesses/salon/customers/{other.id}",
        {"phone": "13917778117"},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate"


def test_others_get_nothing(walk_in, customer, other_owner):
    for person in (customer, other_owner):
        api = client_for(person)
        assert api.get("/api/v1/businesses/salon/customers").status_code == 403
        assert api.get(f"/api/v1/businesses/salon/customers/{walk_in.id}").status_code == 403
    elsewhere = Business.objects.get(slug="elsewhere")
    theirs = client_for(other_owner)
    assert theirs.get(f"/api/v1/businesses/{elsewhere.slug}/customers").json()["count"] == 0
    response = theirs.get(f"/api/v1/businesses/{elsewhere.slug}/customers/{walk_in.id}")
    assert response.status_code == 404
