"""Recurring series through the API (what the mini program calls): check, book all or nothing,
a conflict with its alternatives, cancel this and the following."""

import datetime as dt

import pytest

from tests.helpers import EN, client_for, error_of, owner_of
from yuyue.bookings.models import Appointment, Series, Status
from yuyue.catalog.services import business_update, service_update
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
CHECK = "/api/v1/businesses/salon/series/check"
BOOK = "/api/v1/businesses/salon/series"


@pytest.fixture
def weekly(business, service, stylist):
    service_update(service=service, actor=owner_of(service), allows_series=True)
    business_update(business=business, actor=owner_of(business), customers_book_series=True)
    return service


def post(client, url, **body):
    return client.post(url, body, content_type="application/json")


def test_check_then_book_a_series(weekly, stylist, customer):
    client = client_for(customer)
    checked = post(
        client, CHECK, service_id=weekly.id, start="2026-12-02T10:00", every_weeks=1, count=3
    )
    assert checked.status_code == 200, checked.content
    body = checked.json()
    assert body["timezone"] == "Asia/Shanghai"
    assert [o["start"] for o in body["occurrences"]] == [
        "2026-12-02T10:00:00+08:00",
        "2026-12-09T10:00:00+08:00",
        "2026-12-16T10:00:00+08:00",
    ]
    assert all(o["free"] and o["staff_id"] == stylist.id for o in body["occurrences"])
    booked = post(
        client,
        BOOK,
        service_id=weekly.id,
        every_weeks=1,
        starts=[o["start"] for o in body["occurrences"]],
    )
    assert booked.status_code == 201, booked.content
    series = booked.json()
    assert (series["every_weeks"], series["local_time"]) == (1, "10:00")
    assert [a["status"] for a in series["appointments"]] == ["confirmed"] * 3
    assert all(a["in_series"] for a in series["appointments"])
    # Cancel the second and the following.
    second = series["appointments"][1]["id"]
    cancelled = post(client, f"/api/v1/appointments/{second}/cancel", following=True)
    assert cancelled.status_code == 200, cancelled.content
    statuses = list(Appointment.objects.order_by("start").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED]


def test_a_conflict_books_nothing_and_offers_alternatives(weekly, stylist, customer, owner):
    staff_override_set(staff=stylist, actor=owner, date=dt.date(2026, 12, 9), closed=True)
    client = client_for(customer, **EN)
    checked = post(
        client,
        CHECK,
        service_id=weekly.id,
        start="2026-12-02T10:00",
        every_weeks=1,
        until="2026-12-16",
    ).json()
    assert [o["free"] for o in checked["occurrences"]] == [True, False, True]
    assert checked["occurrences"][1]["alternatives"]
    refused = post(
        client,
        BOOK,
        service_id=weekly.id,
        every_weeks=1,
        starts=[o["start"] for o in checked["occurrences"]],
    )
    assert refused.status_code == 409
    error = error_of(refused)
    assert error["code"] == "series_conflict"
    assert error["message"] == "Some dates of the series are not free; nothing was booked."
    assert error["details"]["conflicts"][0]["start"] == "2026-12-09T10:00:00+08:00"
    assert error["details"]["conflicts"][0]["alternatives"]
    assert not Appointment.objects.exists() and not Series.objects.exists()


def test_customers_need_the_business_to_allow_series(business, service, stylist, customer):
    service_update(service=service, actor=owner_of(service), allows_series=True)
    client = client_for(customer)
    refused = post(
        client, CHECK, service_id=service.id, start="2026-12-02T10:00", every_weeks=1, count=2
    )
    assert refused.status_code == 403
    assert error_of(refused)["code"] == "forbidden"


def test_a_series_over_52_occurrences_is_refused(weekly, customer):
    client = client_for(customer)
    refused = post(
        client, CHECK, service_id=weekly.id, start="2026-12-02T10:00", every_weeks=1, count=53
    )
    assert refused.status_code == 422
    refused = post(
        client,
        CHECK,
        service_id=weekly.id,
        start="2026-12-02T10:00",
        every_weeks=1,
        until="2028-12-31",
    )
    assert refused.status_code == 422
    assert not Appointment.objects.exists()


def test_move_this_and_the_following_through_the_api(weekly, stylist, customer):
    client = client_for(customer)
    starts = ["2026-12-02T10:00", "2026-12-09T10:00", "2026-12-16T10:00"]
    series = post(client, BOOK, service_id=weekly.id, every_weeks=1, starts=starts).json()
    second = series["appointments"][1]["id"]
    moved = post(
        client,
        f"/api/v1/appointments/{second}/reschedule",
        start="2026-12-09T14:00",
        following=True,
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["start"] == "2026-12-09T14:00:00+08:00"
    hours = [a.start.astimezone(stylist.zone).hour for a in Appointment.objects.order_by("start")]
    assert hours == [10, 14, 14]
