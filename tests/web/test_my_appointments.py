"""My appointments: what is coming up, what is past or cancelled, each with its status, and
only the customer's own."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.helpers import TUESDAY, WEDNESDAY, at, browser_for, html_of, make_appointment, section
from yuyue.bookings.models import Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

LAST_WEEK = TUESDAY - dt.timedelta(days=7)

LABELS = {
    "zh": {
        Status.PENDING: "待确认",
        Status.CONFIRMED: "已确认",
        Status.IN_PROGRESS: "进行中",
        Status.COMPLETED: "已完成",
        Status.CANCELLED: "已取消",
        Status.NO_SHOW: "爽约",
    },
    "en": {
        Status.PENDING: "Pending",
        Status.CONFIRMED: "Confirmed",
        Status.IN_PROGRESS: "In progress",
        Status.COMPLETED: "Completed",
        Status.CANCELLED: "Cancelled",
        Status.NO_SHOW: "No-show",
    },
}


def cards(html: str) -> list[tuple[str, str, str]]:
    """(public id, status class, status label) of each appointment card, in order."""
    return re.findall(
        r'href="/appointments/([\w-]+)/">\s*<span class="card-title">[^<]*'
        r'<span class="status status-(\w+)">([^<]*)</span>',
        html,
    )


@pytest.fixture
def one_of_each(service, stylist, customer):
    """An appointment in every status, each at a time that status can have."""

    def book(status, day, hhmm):
        return make_appointment(
            service=service, staff=stylist, customer=customer, start=at(day, hhmm), status=status
        )

    return {
        Status.PENDING: book(Status.PENDING, WEDNESDAY, "09:00"),
        Status.CONFIRMED: book(Status.CONFIRMED, WEDNESDAY, "11:00"),
        Status.IN_PROGRESS: book(Status.IN_PROGRESS, TUESDAY, "07:30"),
        Status.COMPLETED: book(Status.COMPLETED, LAST_WEEK, "10:00"),
        Status.CANCELLED: book(Status.CANCELLED, WEDNESDAY, "14:00"),
        Status.NO_SHOW: book(Status.NO_SHOW, LAST_WEEK, "14:00"),
    }


def test_upcoming_and_past_are_listed_apart(customer, one_of_each):
    html = html_of(browser_for(customer, english=True).get("/appointments"))

    upcoming = [card[0] for card in cards(section(html, "upcoming-heading"))]
    past = [card[0] for card in cards(section(html, "past-heading"))]
    # Upcoming soonest first; past and cancelled latest first.
    assert upcoming == [
        one_of_each[Status.IN_PROGRESS].public_id,
        one_of_each[Status.PENDING].public_id,
        one_of_each[Status.CONFIRMED].public_id,
    ]
    assert past == [
        one_of_each[Status.CANCELLED].public_id,
        one_of_each[Status.NO_SHOW].public_id,
        one_of_each[Status.COMPLETED].public_id,
    ]


def test_a_confirmed_appointment_that_has_ended_is_past(service, stylist, customer):
    ended = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(LAST_WEEK, "10:00")
    )

    html = html_of(browser_for(customer, english=True).get("/appointments"))

    assert ended.public_id in section(html, "past-heading")
    # Something is listed below, so "nothing booked yet" would be wrong.
    assert "Nothing coming up." in section(html, "upcoming-heading")
    assert "Nothing booked yet." not in html


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_status_has_its_label(customer, one_of_each, language):
    client = browser_for(customer, english=language == "en")

    html = html_of(client.get("/appointments"))

    shown = {status: label for _id, status, label in cards(html)}
    assert shown == {status.value: label for status, label in LABELS[language].items()}


def test_each_card_shows_service_local_time_and_stylist(customer, booked):
    html = html_of(browser_for(customer, english=True).get("/appointments"))

    card = section(html, "upcoming-heading")
    assert "洗剪吹" in card
    assert "Wed 2 Dec 2026, 10:00" in card
    assert "China Standard Time" not in card
    assert "All times are China Standard Time (UTC+08:00)." in html
    # The business and the shop the customer goes to.
    assert '<span class="card-business">悦己美发沙龙</span> · 静安店 · Tony 老师' in card


def test_only_the_customer_s_own_appointments_are_listed(
    service, stylist, customer, stranger, booked
):
    theirs = make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )

    html = html_of(browser_for(customer).get("/appointments"))

    assert [card[0] for card in cards(html)] == [booked.public_id]
    assert theirs.public_id not in html


def test_an_empty_list_offers_to_book(customer, business):
    html = html_of(browser_for(customer, english=True).get("/appointments"))

    assert "Nothing booked yet." in html
    assert '<a href="/">Book an appointment</a>' in html
    assert "None yet." in section(html, "past-heading")


def test_many_past_appointments_come_in_pages(service, stylist, customer):
    for weeks in range(1, 23):
        make_appointment(
            service=service,
            staff=stylist,
            customer=customer,
            start=at(TUESDAY - dt.timedelta(weeks=weeks), "10:00"),
            status=Status.COMPLETED,
        )
    client = browser_for(customer, english=True)

    first = html_of(client.get("/appointments"))
    second = html_of(client.get("/appointments?page=2"))

    assert len(cards(section(first, "past-heading"))) == 20
    assert len(cards(section(second, "past-heading"))) == 2
    assert 'href="?page=2">Older' in first
    assert 'href="?page=1">‹ Newer' in second


def test_json_clients_still_get_the_seed_s_list(customer, booked):
    client = browser_for(customer)

    response = client.get("/appointments", headers={"Accept": "application/json"})

    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "appointment_id": booked.public_id,
            "service_name": "洗剪吹",
            "appointment_time": "2026-12-02T10:00:00+08:00",
            "status": "已确认",
            "status_code": "confirmed",
        }
    ]


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get("/appointments")

    assert response.status_code == 302
    assert response["Location"] == "/login?next=/appointments"
