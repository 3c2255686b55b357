"""Every back-office route, tried by everyone who must not reach it: nobody logged in (sent to
log in), a customer, and the owner of another business (404, as if nothing existed). Staff of
business A never see or change business B's appointments, customers or exports."""

import re

import pytest
from django.urls import URLPattern, get_resolver

from tests.helpers import TUESDAY, at, html_of, make_appointment, office_browser_for, owner_of
from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.catalog.services import service_create
from yuyue.scheduling.services import staff_member_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def backoffice_routes() -> list[str]:
    """Every /manage/<slug>/... route of the URL conf, its parameters as names."""
    resolver = get_resolver()
    (manage,) = [p for p in resolver.url_patterns if str(p.pattern) == "manage/"]
    routes = []
    for pattern in manage.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if "<slug:slug>" in route:
            routes.append(route)
    return routes


ROUTES = backoffice_routes()


def fill(route: str, *, appointment, customer, staff) -> str:
    values = {
        "slug": "salon",
        "public_id": appointment.public_id,
        "staff_id": str(staff.id),
        "customer_id": str(customer.id),
        "name": "confirm",
        "service_id": str(appointment.service_id),
        "location_id": str(staff.location_id),
        "notification_id": "1",
        # Member cards: the business is refused before any card or product is looked up.
        "product_id": "1",
        "card_id": "any-card",
    }
    return "/manage/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def test_the_route_list_is_not_empty():
    assert len(ROUTES) >= 8


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", ["nobody", "customer", "other_owner"])
def test_nobody_outside_the_business_reaches_any_route(
    route, who, request, pending, stylist, customer
):
    client = office_browser_for(None if who == "nobody" else request.getfixturevalue(who))
    url = fill(route, appointment=pending, customer=customer, staff=stylist)
    before = list(Appointment.objects.values_list("status", "start"))

    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if who == "nobody":
            assert response.status_code in (302, 405), (method, url)
            if response.status_code == 302:
                assert response["Location"].startswith("/login")
        else:
            assert response.status_code in (404, 405), (method, url, response.status_code)
            assert "Tony 老师" not in html_of(response)

    assert list(Appointment.objects.values_list("status", "start")) == before


def test_the_owner_of_a_never_sees_business_bs_appointment(as_owner, other_owner, customer):
    elsewhere = Business.objects.get(slug="elsewhere")
    service = service_create(
        business=elsewhere, actor=owner_of(elsewhere), name="针灸", duration_minutes=30, price="100"
    )
    doctor = staff_member_create(
        business=elsewhere, actor=owner_of(elsewhere), name="李医生", services=[service]
    )
    theirs = make_appointment(
        service=service,
        staff=doctor,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        status="pending",
    )

    detail = as_owner.get(f"/manage/salon/appointments/{theirs.public_id}/")
    confirm = as_owner.post(f"/manage/salon/appointments/{theirs.public_id}/confirm/")
    week = as_owner.get(f"/manage/salon/week/{doctor.id}/")
    calendar = html_of(as_owner.get("/manage/salon/"))

    assert (detail.status_code, confirm.status_code, week.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    assert "李医生" not in calendar and "针灸" not in calendar


def test_a_customer_of_b_only_is_not_a_customer_of_a(as_owner, business, other_owner, stranger):
    elsewhere = Business.objects.get(slug="elsewhere")
    service = service_create(
        business=elsewhere, actor=owner_of(elsewhere), name="针灸", duration_minutes=30, price="100"
    )
    doctor = staff_member_create(
        business=elsewhere, actor=owner_of(elsewhere), name="李医生", services=[service]
    )
    make_appointment(service=service, staff=doctor, customer=stranger, start=at(TUESDAY, "10:00"))

    assert as_owner.get(f"/manage/salon/customers/{stranger.id}/").status_code == 404
    found = html_of(as_owner.get("/manage/salon/customers/", {"q": "stranger"}))
    assert stranger.phone not in found and "Nobody found." in found
