"""The waitlist through the API: join, list mine, leave, accept, decline, the business's list."""

import pytest

from tests.helpers import EN, NOW, client_for, error_of, make_user
from tests.waitlist.support import join, waitlist_offer_for
from yuyue.waitlist.models import WaitlistEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
JOIN = {
    "service_id": None,
    "date_from": "2026-12-02",
    "date_to": "2026-12-03",
    "time_from": "09:00",
    "time_to": "12:00",
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def test_join_list_and_leave(service, stylist, customer):
    me = client_for(customer)
    joined = post(me, "/api/v1/businesses/salon/waitlist", {**JOIN, "service_id": service.id})
    assert joined.status_code == 201, joined.content
    entry = joined.json()
    assert (entry["state"], entry["time_from"], entry["staff"], entry["customer"]) == (
        "waiting",
        "09:00",
        None,
        None,
    )
    assert entry["state_label"] == "候补中"
    listed = me.get("/api/v1/waitlist").json()
    assert [item["id"] for item in listed["items"]] == [entry["id"]]

    left = post(me, f"/api/v1/waitlist/{entry['id']}/leave")
    assert left.status_code == 200
    assert left.json()["state"] == "left"


def test_a_wish_refused_says_why_in_the_request_s_language(service, stylist, customer):
    me = client_for(customer)
    body = {**JOIN, "service_id": service.id, "time_to": "08:00"}
    refused = me.post("/api/v1/businesses/salon/waitlist", body, content_type="application/json")
    assert refused.status_code == 422
    assert error_of(refused)["details"]["fields"]["time_to"] == ["结束时间须晚于开始时间。"]
    english = client_for(customer, **EN).post(
        "/api/v1/businesses/salon/waitlist", body, content_type="application/json"
    )
    assert error_of(english)["details"]["fields"]["time_to"] == ["The window ends after it begins."]


def test_accept_an_offer(service, stylist, customer):
    entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    me = client_for(customer)
    mine = me.get("/api/v1/waitlist").json()["items"][0]
    assert mine["state"] == "offered" and mine["offer"]["id"] == offer.public_id
    assert mine["offer"]["expires_at"].startswith("2026-12-01T08:1")
    shown = me.get(f"/api/v1/appointments/{offer.public_id}").json()
    assert shown["status"] == "offered" and shown["offer_expires_at"]

    accepted = post(me, f"/api/v1/waitlist/offers/{offer.public_id}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "confirmed"
    entry.refresh_from_db()
    assert entry.state == WaitlistEntry.State.BOOKED
    again = post(me, f"/api/v1/waitlist/offers/{offer.public_id}/decline")
    assert again.status_code == 409
    assert error_of(again)["code"] == "invalid_transition"


def test_decline_and_nobody_else_answers(service, stylist, customer, stranger):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    for path in ("accept", "decline"):
        other = post(client_for(stranger), f"/api/v1/waitlist/offers/{offer.public_id}/{path}")
        assert other.status_code == 404
    declined = post(client_for(customer), f"/api/v1/waitlist/offers/{offer.public_id}/decline")
    assert declined.json()["status"] == "cancelled"


def test_the_business_sees_its_waitlist_with_the_offers_in_flight(
    service, stylist, customer, staff_user, stranger
):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    join(service, "later", now=NOW)
    seen = client_for(staff_user).get("/api/v1/businesses/salon/waitlist?date=2026-12-02").json()
    assert [item["state"] for item in seen["items"]] == ["offered", "waiting"]
    assert seen["items"][0]["offer"]["id"] == offer.public_id
    assert seen["items"][0]["customer"]["name"]
    other_day = client_for(staff_user).get("/api/v1/businesses/salon/waitlist?date=2026-12-04")
    assert other_day.json()["count"] == 0
    assert client_for(stranger).get("/api/v1/businesses/salon/waitlist").status_code == 403


def test_the_owner_sets_how_long_offers_are_held(owner, business):
    office = client_for(owner)
    path = "/api/v1/businesses/salon"
    changed = office.patch(path, {"waitlist_offer_minutes": 20}, content_type="application/json")
    assert changed.status_code == 200
    business.refresh_from_db()
    assert business.waitlist_offer_minutes == 20
    refused = office.patch(path, {"waitlist_offer_minutes": 0}, content_type="application/json")
    assert refused.status_code == 422
