"""A business with two shops: the customer picks the shop (or any), staff and times follow it,
the booking lands there, and a reschedule stays in its shop."""

import re

import pytest

from tests.helpers import (
    WEDNESDAY,
    at,
    book_url,
    browser_for,
    confirm_url,
    html_of,
    make_appointment,
    owner_of,
    section,
    times_listed,
)
from yuyue.bookings.models import Appointment
from yuyue.catalog.services import location_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TEN = "2026-12-02T10:00+08:00"


def chips(html: str, heading_id: str) -> list[tuple[str, bool]]:
    return [
        (label, bool(current))
        for current, label in re.findall(
            r'<a class="chip" href="[^"]*"( aria-current="true")?[^>]*>(.*?)</a>',
            section(html, heading_id),
        )
    ]


def test_with_one_shop_there_is_no_shop_to_choose(service, stylist):
    html = html_of(browser_for(english=True).get(book_url(service)))

    assert 'id="shop-heading"' not in html


def test_with_two_shops_the_customer_may_choose_one(service, stylist, lily, location, xuhui):
    html = html_of(browser_for(english=True).get(book_url(service)))

    assert chips(html, "shop-heading") == [("Any shop", True), ("徐汇店", False), ("静安店", False)]
    # With any shop, each stylist's chip says where they work.
    assert ("Lily 老师 · 徐汇店", False) in chips(html, "staff-heading")
    assert ("Tony 老师 · 静安店", False) in chips(html, "staff-heading")


def test_a_chosen_shop_limits_the_times_and_lists_its_staff_first(
    service, stylist, lily, xuhui, stranger
):
    # Lily (徐汇店) is busy at 10:00; Tony (静安店) is free then.
    make_appointment(service=service, staff=lily, customer=stranger, start=at(WEDNESDAY, "10:00"))
    client = browser_for(english=True)

    anywhere = html_of(client.get(book_url(service, date="2026-12-02")))
    at_xuhui = html_of(client.get(book_url(service, location=xuhui.id, date="2026-12-02")))

    assert "10:00" in times_listed(anywhere)
    assert "10:00" not in times_listed(at_xuhui)
    # The other shop's staff stay listed (picking one picks their shop), after this shop's.
    assert chips(at_xuhui, "staff-heading") == [
        ("Anyone available", True),
        ("Lily 老师 · 徐汇店", False),
        ("Tony 老师 · 静安店", False),
    ]
    # Every link keeps the shop.
    assert f"location={xuhui.id}" in re.search(r'<a class="time" href="([^"]*)"', at_xuhui)[1]


def test_booking_at_a_chosen_shop_books_someone_there(customer, service, stylist, lily, xuhui):
    client = browser_for(customer, english=True)
    page = html_of(client.get(confirm_url(service, location=xuhui.id, staff="any", start=TEN)))
    assert "徐汇店<br>上海市徐汇区衡山路 2 号" in page

    client.post(
        f"/b/salon/book/{service.id}/confirm/",
        {"start": TEN, "staff": "any", "location": str(xuhui.id), "key": "shop"},
    )

    appointment = Appointment.objects.get(customer=customer)
    assert (appointment.staff, appointment.location) == (lily, xuhui)


def test_a_shop_of_another_business_is_ignored(customer, service, stylist, lily, other_owner):
    elsewhere = location_create(
        business=other_owner.memberships.get().business,
        actor=owner_of(other_owner.memberships.get().business),
        name="别处",
    )

    html = html_of(browser_for(english=True).get(book_url(service, location=elsewhere.id)))

    assert chips(html, "shop-heading")[0] == ("Any shop", True)


def test_rescheduling_with_anyone_stays_in_the_appointment_s_shop(
    customer, service, stylist, lily, xuhui, stranger
):
    booked = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "15:00")
    )
    # Tony is busy at 10:00; Lily at the other shop is free. "Anyone" means anyone at 静安店,
    # as the reschedule service decides it, so 10:00 must not be offered.
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )
    client = browser_for(customer, english=True)

    html = html_of(
        client.get(f"/appointments/{booked.public_id}/reschedule/?staff=any&date=2026-12-02")
    )

    assert "10:00" not in times_listed(html)
    assert 'id="shop-heading"' not in html
    assert [label for label, _current in chips(html, "staff-heading")] == [
        "Anyone available",
        "Tony 老师",
    ]
