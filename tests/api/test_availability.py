"""Free times through the API: local offsets, inclusive dates, the 62-day limit."""

import datetime as dt
import json

import pytest
import time_machine
from ninja.responses import NinjaJSONEncoder

from tests.helpers import TUESDAY, WEDNESDAY, at, error_of, make_staff, owner_of
from yuyue.api.errors import slot_out
from yuyue.api.schemas.catalog import AvailabilityOut
from yuyue.bookings.availability import availability
from yuyue.catalog.models import Location, Service
from yuyue.catalog.services import location_create, service_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def url(service, date_from, date_to, **extra) -> str:
    query = f"service_id={service.id}&date_from={date_from}&date_to={date_to}"
    for name, value in extra.items():
        query += f"&{name}={value}"
    return f"/api/v1/businesses/salon/availability?{query}"


def test_slots_carry_the_business_s_offset(anon, service, stylist):
    response = anon.get(url(service, WEDNESDAY, WEDNESDAY))

    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Asia/Shanghai"
    assert body["slots"][0] == {
        "start": "2026-12-02T09:00:00+08:00",
        "end": "2026-12-02T10:00:00+08:00",
        "staff_ids": [stylist.id],
        "remaining": 1,
    }
    assert len(body["slots"]) == 8  # 09–12 and 13–18, one hour each


def test_date_to_is_inclusive(anon, service, stylist):
    slots = anon.get(url(service, WEDNESDAY, WEDNESDAY + dt.timedelta(days=1))).json()["slots"]

    assert {slot["start"][:10] for slot in slots} == {"2026-12-02", "2026-12-03"}


def test_today_leaves_out_what_is_too_soon(anon, service, stylist):
    # Now is 08:00 and the service needs an hour's notice: 09:00 is the first start.
    slots = anon.get(url(service, TUESDAY, TUESDAY)).json()["slots"]

    assert slots[0]["start"] == "2026-12-01T09:00:00+08:00"


def test_a_range_reaching_into_the_past_is_fine(anon, service, stylist):
    response = anon.get(url(service, "0001-01-01", "0001-01-02"))

    assert response.status_code == 200
    assert response.json()["slots"] == []


def test_62_days_are_allowed_and_63_are_not(anon, service, stylist):
    ok = anon.get(url(service, TUESDAY, TUESDAY + dt.timedelta(days=61)))
    too_long = anon.get(url(service, TUESDAY, TUESDAY + dt.timedelta(days=62)))

    assert ok.status_code == 200
    assert too_long.status_code == 422
    assert list(error_of(too_long)["details"]["fields"]) == ["date_to"]


def test_date_to_before_date_from_is_a_validation_error(anon, service, stylist):
    response = anon.get(url(service, WEDNESDAY, TUESDAY))

    assert response.status_code == 422
    assert list(error_of(response)["details"]["fields"]) == ["date_to"]


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "2026-12-1", "20261201"])
def test_a_malformed_date_is_a_validation_error(anon, service, value):
    response = anon.get(url(service, value, WEDNESDAY))

    assert response.status_code == 422
    assert "date_from" in error_of(response)["details"]["fields"]


def test_a_service_of_another_business_is_a_validation_error(anon, service, other_owner):
    from yuyue.catalog.models import Business
    from yuyue.catalog.services import service_create

    foreign = service_create(
        business=Business.objects.get(slug="elsewhere"),
        actor=owner_of(Business.objects.get(slug="elsewhere")),
        name="体检",
        duration_minutes=30,
        price="1",
    )

    response = anon.get(url(foreign, WEDNESDAY, WEDNESDAY))

    assert response.status_code == 422
    assert "service_id" in error_of(response)["details"]["fields"]


def test_an_inactive_service_offers_nothing(anon, service, stylist):
    service_update(service=service, actor=owner_of(service), active=False)

    response = anon.get(url(service, WEDNESDAY, WEDNESDAY))

    assert response.status_code == 422
    assert "service_id" in error_of(response)["details"]["fields"]


def test_one_staff_member_can_be_asked_for(anon, business, service, stylist, location):
    other = make_staff(service=service, name="Amy", hours={"wed": [["14:00", "15:00"]]})

    slots = anon.get(url(service, WEDNESDAY, WEDNESDAY, staff_id=other.id)).json()["slots"]

    assert [(slot["start"], slot["staff_ids"]) for slot in slots] == [
        ("2026-12-02T14:00:00+08:00", [other.id])
    ]


def test_a_location_with_its_own_zone_shows_its_offset(anon, business, service):
    berlin = location_create(
        business=business, actor=owner_of(business), name="Berlin", timezone="Europe/Berlin"
    )
    make_staff(service=service, location=berlin, name="Jonas")

    body = anon.get(url(service, WEDNESDAY, WEDNESDAY, location_id=berlin.id)).json()

    assert body["timezone"] == "Europe/Berlin"
    assert body["slots"][0]["start"] == "2026-12-02T09:00:00+01:00"


def test_taken_times_are_left_out(anon, service, stylist, booked):
    slots = anon.get(url(service, WEDNESDAY, WEDNESDAY)).json()["slots"]

    assert at(WEDNESDAY, "10:00").isoformat() not in [slot["start"] for slot in slots]


def test_an_unknown_business_is_404(anon, service):
    response = anon.get(url(service, WEDNESDAY, WEDNESDAY).replace("salon", "nowhere"))

    assert response.status_code == 404


def test_the_body_is_what_the_response_schema_renders(anon, business, service, stylist):
    # The route writes its JSON itself (many slots are costly to validate); byte for byte it is
    # what django-ninja would render through AvailabilityOut, "Z" for UTC included.
    utc = location_create(business=business, actor=owner_of(business), name="UTC", timezone="UTC")
    for name in ("Amy", "Bo"):
        make_staff(service=service, location=utc, name=name)
    for extra in ({}, {"location_id": utc.id}):
        response = anon.get(url(service, TUESDAY, WEDNESDAY, **extra))
        location = Location.objects.filter(id=extra.get("location_id")).first()
        found = availability(
            service=Service.objects.select_related("business").get(pk=service.pk),
            date_from=TUESDAY,
            date_to=WEDNESDAY,
            location=location,
        )
        schema = AvailabilityOut.model_validate(
            {"timezone": found.zone.key, "slots": [slot_out(s, found.zone) for s in found.slots]}
        )

        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.content.decode() == json.dumps(schema.model_dump(), cls=NinjaJSONEncoder)
        assert any(len(slot["staff_ids"]) == 2 for slot in response.json()["slots"])
    assert response.json()["slots"][0]["start"].endswith("Z")


@pytest.mark.django_db(transaction=True)
def test_a_listing_served_from_the_cache_is_the_same_bytes_as_a_fresh_one(
    anon, settings, service, stylist
):
    # Each process keeps the JSON of the cached listings it served; a later request is cut
    # from it at the minimum notice (an hour here), exactly as a fresh computation would be.
    settings.AVAILABILITY_CACHE_SECONDS = 86_400
    path = url(service, TUESDAY, WEDNESDAY)
    with time_machine.travel(at(TUESDAY, "07:50"), tick=False):
        first = anon.get(path).content
    for moment in ("08:00", "08:00:00.000001", "09:30", "17:00"):
        hours, minutes, *rest = moment.split(":")
        when = at(TUESDAY, f"{hours}:{minutes}")
        if rest:
            when += dt.timedelta(microseconds=1)
        with time_machine.travel(when, tick=False):
            cached = anon.get(path).content
            settings.AVAILABILITY_CACHE_SECONDS = 0
            fresh = anon.get(path).content
            settings.AVAILABILITY_CACHE_SECONDS = 86_400
        assert cached == fresh, moment
    assert json.loads(first)["slots"][0]["start"] == "2026-12-01T09:00:00+08:00"
    assert json.loads(cached)["slots"][0]["start"] == "2026-12-02T09:00:00+08:00"
