"""After booking: the done page, the calendar file, and nobody else's eyes on either."""

import datetime as dt

import icalendar
import pytest
from django.test import Client

from tests.helpers import browser_for, html_of
from yuyue.bookings.models import Appointment, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

PAGES = ["", "done/", "calendar.ics", "cancel/", "reschedule/", "reschedule/confirm/"]


def test_the_done_page_shows_the_booking_and_a_calendar_link(customer, booked):
    response = browser_for(customer, english=True).get(f"/appointments/{booked.public_id}/done/")

    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>You are booked</h1>" in html
    assert '<p class="big">洗剪吹</p>' in html
    assert '<strong class="when">Wed 2 Dec 2026, 10:00</strong>' in html
    assert "All times are China Standard Time (UTC+08:00)." in html
    assert "With Tony 老师 · 静安店<br>上海市静安区南京西路 1 号" in html
    assert f'href="/appointments/{booked.public_id}/calendar.ics"' in html
    assert f'href="/appointments/{booked.public_id}/"' in html


def test_the_calendar_file_has_the_uid_and_the_start_in_utc(customer, booked):
    response = browser_for(customer).get(f"/appointments/{booked.public_id}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="yuyue-{booked.public_id}.ics"' in response["Content-Disposition"]
    body = response.content.decode()
    assert f"UID:{booked.public_id}@yuyue" in body
    assert "DTSTART:20261202T020000Z" in body
    assert "DTEND:20261202T030000Z" in body
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)
    assert str(event["summary"]) == "洗剪吹 · 悦己美发沙龙"
    assert str(event["location"]) == "静安店, 上海市静安区南京西路 1 号"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]) == f"http://testserver/appointments/{booked.public_id}/"


def test_a_pending_appointment_is_tentative_in_the_calendar(customer, booked):
    Appointment.objects.filter(id=booked.id).update(status=Status.PENDING)

    response = browser_for(customer).get(f"/appointments/{booked.public_id}/calendar.ics")

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["status"]) == "TENTATIVE"


@pytest.mark.parametrize("page", PAGES)
def test_another_customer_gets_404_for_someone_else_s_appointment(stranger, booked, page):
    response = browser_for(stranger).get(
        f"/appointments/{booked.public_id}/{page}?start=2026-12-02T14:00%2B08:00"
    )

    assert response.status_code == 404
    assert "Tony 老师" not in html_of(response)
    assert "10:00" not in html_of(response)


@pytest.mark.parametrize("page", ["cancel/", "reschedule/confirm/"])
def test_another_customer_cannot_change_someone_else_s_appointment(stranger, booked, page):
    response = browser_for(stranger).post(
        f"/appointments/{booked.public_id}/{page}",
        {"start": "2026-12-02T14:00+08:00", "staff": "any", "reason": "not mine"},
    )

    booked.refresh_from_db()
    assert response.status_code == 404
    assert booked.status == Status.CONFIRMED
    assert booked.start.hour == 2  # still 10:00 in Shanghai


def test_staff_of_another_business_gets_404_too(other_owner, booked):
    response = browser_for(other_owner).get(f"/appointments/{booked.public_id}/")

    assert response.status_code == 404


def test_an_unknown_appointment_is_the_same_404(customer, booked):
    response = browser_for(customer).get("/appointments/no-such-booking/")

    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(booked, page):
    path = f"/appointments/{booked.public_id}/{page}"

    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login?next={path}"


def test_a_cancelled_appointment_s_calendar_file_does_not_say_confirmed(customer, booked):
    Appointment.objects.filter(id=booked.id).update(status=Status.CANCELLED)

    response = browser_for(customer).get(f"/appointments/{booked.public_id}/calendar.ics")

    assert response.status_code in (200, 404, 410)
    if response.status_code == 200:
        (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["status"]) == "CANCELLED"


def test_the_done_page_of_a_cancelled_appointment_does_not_say_booked(customer, booked):
    Appointment.objects.filter(id=booked.id).update(status=Status.CANCELLED)

    html = html_of(
        browser_for(customer, english=True).get(f"/appointments/{booked.public_id}/done/")
    )

    assert "You are booked" not in html
    assert "calendar.ics" not in html
