"""My appointments and one appointment (issue 24, item 12): each names its business, the
customer reads until when they can cancel or reschedule online (the deadlines of the one
permission rule), a cancelled one shows why, and the zone is named once where every time on the
page shares it."""

import datetime as dt

import pytest

from tests.helpers import (
    WEDNESDAY,
    at,
    browser_for,
    html_of,
    make_appointment,
    make_staff,
    owner_of,
    section,
)
from yuyue.bookings.services import appointment_cancel
from yuyue.catalog.services import business_create, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def berlin_cut(other_owner, customer):
    """The customer's haircut at a Berlin salon, Wednesday 09:00 there."""
    berlin = business_create(
        owner=other_owner, slug="berlin", name="Salon Mitte", timezone="Europe/Berlin"
    )
    haircut = service_create(
        business=berlin, actor=owner_of(berlin), name="Haarschnitt", duration_minutes=60, price="40"
    )
    anna = make_staff(service=haircut, name="Anna", hours={"wed": [["09:00", "11:00"]]})
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    return make_appointment(service=haircut, staff=anna, customer=customer, start=start)


def test_the_list_says_until_when_it_can_be_changed_online(customer, booked, service):
    html = html_of(browser_for(customer).get("/appointments"))

    card = section(html, "upcoming-heading")
    # Wednesday 10:00 less the cut-off: the deadline the permission rule computes.
    deadline = (
        at(WEDNESDAY, "10:00") - dt.timedelta(minutes=service.cancel_cutoff_minutes)
    ).astimezone(booked.zone)
    assert service.cancel_cutoff_minutes == service.reschedule_cutoff_minutes
    assert f"可在 12月2日 {deadline:%H:%M} 前在线取消或改期。" in card


def test_separate_deadlines_are_each_named(customer, booked, service):
    service.reschedule_cutoff_minutes = 24 * 60
    service.save()

    html = html_of(browser_for(customer, english=True).get(f"/appointments/{booked.public_id}/"))

    cancel_at = (booked.start - dt.timedelta(minutes=service.cancel_cutoff_minutes)).astimezone(
        booked.zone
    )
    # A day before Wednesday 10:00: Tuesday 10:00, still ahead at 08:00.
    assert f"You can cancel online until {cancel_at.day} Dec {cancel_at:%H:%M}." in html
    assert "You can reschedule online until 1 Dec 10:00." in html


def test_a_cancelled_appointment_shows_its_reason(customer, booked):
    appointment_cancel(appointment=booked, actor=customer, reason="临时有事")
    client = browser_for(customer)

    listed = section(html_of(client.get("/appointments")), "past-heading")
    detail = html_of(client.get(f"/appointments/{booked.public_id}/"))

    assert "原因：临时有事" in listed
    assert '<dt>取消原因</dt><dd class="cancel-reason">临时有事</dd>' in detail
    assert "前在线取消" not in detail


def test_each_card_names_its_business_and_each_time_its_zone_when_zones_differ(
    customer, booked, berlin_cut
):
    html = html_of(browser_for(customer, english=True).get("/appointments"))

    card = section(html, "upcoming-heading")
    assert '<span class="card-business">悦己美发沙龙</span>' in card
    assert '<span class="card-business">Salon Mitte</span>' in card
    assert "Wed 2 Dec 2026, 10:00 (China Standard Time, UTC+08:00)" in card
    assert "Wed 2 Dec 2026, 09:00 (Central European Time, UTC+01:00)" in card
    assert "All times are" not in html


def test_one_zone_is_named_once(customer, booked):
    html = html_of(browser_for(customer).get("/appointments"))

    assert html.count("北京时间") == 1
    assert "时间均为北京时间（UTC+08:00）。" in html
