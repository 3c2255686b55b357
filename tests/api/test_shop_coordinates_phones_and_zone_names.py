"""What the mini program shows about a shop and a time (issue 24, item 14): its phone as people
write it, its place on a map when the owner gave one (both coordinates or neither), and zones by
the names people use."""

import pytest

from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(path, body, content_type="application/json")


def test_a_shop_with_a_phone_and_a_place_on_the_map(as_owner, business):
    created = send(
        as_owner,
        "post",
        "/api/v1/businesses/salon/locations",
        {"name": "浦东店", "phone": "+862162881234", "latitude": 31.2292, "longitude": 121.4538},
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["phone_display"] == "021 6288 1234"
    assert (body["latitude"], body["longitude"]) == (31.2292, 121.4538)
    assert body["timezone_label"] == "北京时间"
    public = client_for(**{"Accept-Language": "en"}).get("/api/v1/businesses/salon").json()
    shop = next(item for item in public["locations"] if item["name"] == "浦东店")
    assert shop["timezone_label"] == "China Standard Time"
    assert public["timezone_label"] == "China Standard Time"


def test_one_coordinate_alone_is_refused_and_null_removes_both(as_owner, business):
    created = send(as_owner, "post", "/api/v1/businesses/salon/locations", {"name": "浦东店"})
    path = f"/api/v1/businesses/salon/locations/{created.json()['id']}"

    alone = send(as_owner, "patch", path, {"latitude": 31.2})
    both = send(as_owner, "patch", path, {"latitude": 31.2, "longitude": 121.4})
    cleared = send(as_owner, "patch", path, {"latitude": None, "longitude": None})
    out_of_range = send(as_owner, "patch", path, {"latitude": 91, "longitude": 0})

    assert alone.status_code == 422
    assert "纬度和经度" in str(alone.json())
    assert (both.json()["latitude"], both.json()["longitude"]) == (31.2, 121.4)
    assert (cleared.json()["latitude"], cleared.json()["longitude"]) == (None, None)
    assert out_of_range.status_code == 422
    assert created.json()["latitude"] is None


def test_an_appointment_names_its_zone(as_customer, booked):
    body = as_customer.get(f"/api/v1/appointments/{booked.public_id}").json()

    assert body["zone"] == "Asia/Shanghai"
    assert body["zone_label"] == "北京时间"
