"""Rescheduling: the picker counts the appointment's own time as free, the confirm step
moves it (the old time is released), and a lost race leaves it where it was."""

import datetime as dt
import re

import pytest

from tests.helpers import (
    TUESDAY,
    WEDNESDAY,
    at,
    browser_for,
    html_of,
    make_appointment,
    notices,
    page_alerts,
    page_of,
    strip_days,
    times_listed,
    with_query,
)
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import appointment_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TWO = "2026-12-02T14:00+08:00"


def selected_day(html: str) -> str:
    """The day the picker shows times for, as its heading names it."""
    return re.search(r'<h2 id="time-heading">[^<]*<span class="muted">· ([^<]*)</span>', html)[1]


def picker_url(appointment, **query) -> str:
    return with_query(f"/appointments/{appointment.public_id}/reschedule/", **query)


def confirm_url(appointment, **query) -> str:
    return with_query(f"/appointments/{appointment.public_id}/reschedule/confirm/", **query)


def test_the_picker_shows_the_appointment_s_own_time_as_free(
    customer, stranger, service, stylist, booked
):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "11:00")
    )

    html = html_of(browser_for(customer, english=True).get(picker_url(booked, date="2026-12-02")))

    # Its own time is among the day's times, marked as the current one (not a link to itself).
    assert times_listed(html) == ["09:00", "13:00", "14:00", "15:00", "16:00", "17:00"]
    assert (
        '<span class="time current-time" aria-current="time">10:00'
        '<span class="seats">booked now</span></span>' in html
    )
    assert 'Now booked for <strong class="when">Wed 2 Dec 2026, 10:00</strong>' in html
    assert "All times are China Standard Time (UTC+08:00)." in html


def test_the_picker_opens_on_the_appointment_s_day(customer, service, stylist):
    # Thursday 10 December, beyond the first week from today (Tuesday 1 December).
    later = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY + dt.timedelta(days=8), "10:00"),
    )
    client = browser_for(customer, english=True)

    html = html_of(client.get(picker_url(later)))

    assert selected_day(html) == "Thu 10 Dec"
    assert strip_days(html)[0][0] == 10
    assert "10:00" not in times_listed(html)
    assert 'aria-current="time">10:00' in html


def test_the_picker_opens_on_the_appointment_s_day_within_this_week(customer, booked):
    html = html_of(browser_for(customer, english=True).get(picker_url(booked)))

    # The strip still starts today (Tuesday 1), with Wednesday 2 chosen.
    assert strip_days(html)[0][0] == 1
    assert selected_day(html) == "Wed 2 Dec"
    assert 'aria-current="time">10:00' in html


def test_another_staff_member_s_times_mark_nothing_as_current(customer, kevin, booked):
    html = html_of(
        browser_for(customer, english=True).get(
            picker_url(booked, staff=kevin.id, date="2026-12-02")
        )
    )

    assert "10:00" in times_listed(html)
    assert "current-time" not in html


def test_choosing_someone_keeps_the_day_shown(customer, kevin, booked):
    client = browser_for(customer, english=True)
    html = html_of(client.get(picker_url(booked, start="2026-12-03", date="2026-12-04")))

    kevin_link = re.search(r'<a class="chip" href="([^"]*)"[^>]*>Kevin 老师', html)[1]
    picked = html_of(client.get(kevin_link.replace("&amp;", "&")))

    assert "start=2026-12-03" in kevin_link and "date=2026-12-04" in kevin_link
    assert selected_day(picked) == "Fri 4 Dec"


def test_the_picker_keeps_the_current_stylist_unless_another_is_chosen(
    customer, service, stylist, kevin, booked
):
    client = browser_for(customer, english=True)

    kept = html_of(client.get(picker_url(booked)))
    anyone = html_of(client.get(picker_url(booked, staff="any")))

    assert 'aria-current="true" data-swap>Tony 老师</a>' in kept
    assert f"confirm/?staff={stylist.id}&amp;start=" in kept
    assert 'aria-current="true" data-swap>Anyone available</a>' in anyone


def test_the_confirm_page_shows_the_old_and_the_new_time(customer, stylist, booked):
    response = browser_for(customer, english=True).get(
        confirm_url(booked, staff=stylist.id, start=TWO)
    )

    html = html_of(response)
    assert response.status_code == 200
    assert '<dt>Booked now</dt><dd><span class="when">Wed 2 Dec 2026, 10:00</span></dd>' in html
    assert '<dd><strong class="when">Wed 2 Dec 2026, 14:00</strong></dd>' in html
    # Both times share the zone: it is named once.
    assert html.count("China Standard Time") == 1
    assert "All times are China Standard Time (UTC+08:00)." in html
    assert "Move my appointment" in html
    booked.refresh_from_db()
    assert booked.start == at(WEDNESDAY, "10:00")


def test_moving_it_releases_the_old_time(customer, stylist, service, booked):
    client = browser_for(customer, english=True)

    response = client.post(confirm_url(booked), {"start": TWO, "staff": str(stylist.id)})

    booked.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{booked.public_id}/"
    assert booked.start == at(WEDNESDAY, "14:00")
    assert booked.status == Status.CONFIRMED
    assert booked.sequence == 1
    event = AppointmentEvent.objects.get(appointment=booked, action="rescheduled")
    assert event.data["old"]["start"] == "2026-12-02T02:00:00+00:00"
    assert "Your appointment is moved." in notices(html_of(client.get(response["Location"])))
    others = html_of(browser_for().get(f"/b/salon/book/{service.id}/?date=2026-12-02"))
    assert "10:00" in times_listed(others)
    assert "14:00" not in times_listed(others)


def test_the_same_move_sent_twice_moves_once(customer, stylist, booked):
    client = browser_for(customer)
    data = {"start": TWO, "staff": str(stylist.id)}

    first = client.post(confirm_url(booked), data)
    second = client.post(confirm_url(booked), data)

    booked.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert booked.sequence == 1
    assert AppointmentEvent.objects.filter(appointment=booked, action="rescheduled").count() == 1


def test_moving_to_anyone_may_change_the_stylist(
    customer, stranger, service, stylist, kevin, booked
):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )

    browser_for(customer).post(confirm_url(booked), {"start": TWO, "staff": "any"})

    booked.refresh_from_db()
    assert (booked.start, booked.staff) == (at(WEDNESDAY, "14:00"), kevin)


def test_a_time_taken_meanwhile_answers_409_and_keeps_the_old_time(
    customer, stranger, service, stylist, booked
):
    client = browser_for(customer, english=True)
    assert client.get(confirm_url(booked, staff=stylist.id, start=TWO)).status_code == 200
    appointment_create(service=service, customer=stranger, start=at(WEDNESDAY, "14:00"))

    response = client.post(confirm_url(booked), {"start": TWO, "staff": str(stylist.id)})

    booked.refresh_from_db()
    page = page_of(response)
    assert response.status_code == 409
    assert "Sorry, that time was just taken." in page_alerts(html_of(response))[0]
    assert page.start_buttons() == [
        "2026-12-02T13:00+08:00",
        "2026-12-02T15:00+08:00",
        "2026-12-02T16:00+08:00",
    ]
    assert booked.start == at(WEDNESDAY, "10:00")
    assert booked.sequence == 0


def test_tapping_an_alternative_moves_it_there(customer, stranger, service, stylist, booked):
    appointment_create(service=service, customer=stranger, start=at(WEDNESDAY, "14:00"))
    client = browser_for(customer)
    refused = page_of(client.post(confirm_url(booked), {"start": TWO, "staff": str(stylist.id)}))

    client.post(
        confirm_url(booked),
        {"start": refused.start_buttons()[1], "staff": refused.hidden(refused.forms[1], "staff")},
    )

    booked.refresh_from_db()
    assert booked.start == at(WEDNESDAY, "15:00")


def test_confirming_a_taken_time_answers_409_on_get_too(
    customer, stranger, service, stylist, booked
):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )

    response = browser_for(customer).get(confirm_url(booked, staff=stylist.id, start=TWO))

    assert response.status_code == 409
    assert "2026-12-02T13:00+08:00" in page_of(response).start_buttons()


def test_after_the_cut_off_rescheduling_is_refused(customer, stylist, too_late):
    client = browser_for(customer, english=True)

    picker = client.get(picker_url(too_late))
    post = client.post(confirm_url(too_late), {"start": TWO, "staff": str(stylist.id)})

    too_late.refresh_from_db()
    assert picker.status_code == post.status_code == 409
    assert "<h1>Cannot reschedule</h1>" in html_of(picker)
    assert "It is too late to change this appointment online" in html_of(post)
    assert too_late.start == at(TUESDAY, "09:00")


def test_a_cancelled_appointment_cannot_be_rescheduled(customer, stylist, booked):
    client = browser_for(customer, english=True)
    client.post(f"/appointments/{booked.public_id}/cancel/", {"reason": ""})

    response = client.post(confirm_url(booked), {"start": TWO, "staff": str(stylist.id)})

    booked.refresh_from_db()
    assert response.status_code == 409
    assert "can no longer be changed" in html_of(response)
    assert booked.start == at(WEDNESDAY, "10:00")


def test_a_bad_start_is_a_400_page(customer, stylist, booked):
    response = browser_for(customer, english=True).post(
        confirm_url(booked), {"start": "next week", "staff": str(stylist.id)}
    )

    booked.refresh_from_db()
    assert response.status_code == 400
    assert "That link does not name a time to book." in html_of(response)
    assert booked.start == at(WEDNESDAY, "10:00")


def test_an_appointment_of_a_withdrawn_service_is_refused_without_crashing(
    customer, service, stylist, booked
):
    service.active = False
    service.save()
    client = browser_for(customer, english=True, raise_request_exception=False)

    response = client.post(confirm_url(booked), {"start": TWO, "staff": str(stylist.id)})

    booked.refresh_from_db()
    assert response.status_code == 409
    assert "This service is no longer offered online; please call the shop." in html_of(response)
    assert booked.start == at(WEDNESDAY, "10:00")
    # The detail page no longer offers to reschedule it either.
    assert "/reschedule/" not in html_of(client.get(f"/appointments/{booked.public_id}/"))
