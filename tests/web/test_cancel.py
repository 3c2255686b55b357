"""Cancelling: a page that asks first, a POST that cancels with the reason, and a clear
refusal once it is too late."""

import pytest

from tests.helpers import browser_for, field_errors, html_of, notices, page_alerts, page_of
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.services import MAX_REASON_LENGTH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TOO_LATE = "It is too late to change this appointment online; please call us."


def cancel_url(appointment) -> str:
    return f"/appointments/{appointment.public_id}/cancel/"


def test_the_cancel_page_asks_first_and_changes_nothing(customer, booked):
    response = browser_for(customer, english=True).get(cancel_url(booked))

    html = html_of(response)
    page = page_of(response)
    booked.refresh_from_db()
    assert response.status_code == 200
    assert '<strong class="when">Wed 2 Dec 2026, 10:00</strong>' in html
    assert "All times are China Standard Time (UTC+08:00)." in html
    form = page.form_to(cancel_url(booked))
    assert form["method"] == "post"
    assert '<label for="id_reason">Reason (optional)</label>' in html
    assert "Yes, cancel it" in html
    assert f'href="/appointments/{booked.public_id}/">Keep it</a>' in html
    assert booked.status == Status.CONFIRMED
    assert not AppointmentEvent.objects.filter(action=AppointmentEvent.Action.CANCELLED).exists()


def test_cancelling_records_the_reason_and_returns_to_the_appointment(customer, booked):
    client = browser_for(customer, english=True)

    response = client.post(cancel_url(booked), {"reason": "  临时有事  "})

    booked.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{booked.public_id}/"
    assert booked.status == Status.CANCELLED
    event = AppointmentEvent.objects.get(appointment=booked, action="cancelled")
    assert (event.reason, event.actor, event.from_status) == ("临时有事", customer, "confirmed")
    after = html_of(client.get(response["Location"]))
    assert "Your appointment is cancelled." in notices(after)
    assert '<span class="status status-cancelled">Cancelled</span>' in after


def test_cancelling_without_a_reason_is_fine(customer, booked):
    browser_for(customer).post(cancel_url(booked), {})

    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED
    assert AppointmentEvent.objects.get(appointment=booked, action="cancelled").reason == ""


def test_the_cancelled_time_is_free_again(customer, booked, service):
    browser_for(customer).post(cancel_url(booked), {"reason": ""})

    html = html_of(browser_for().get(f"/b/salon/book/{service.id}/?date=2026-12-02"))

    assert 'start=2026-12-02T10%3A00%2B08%3A00">10:00' in html


def test_after_the_cut_off_posting_is_refused_with_409_and_nothing_changes(customer, too_late):
    response = browser_for(customer, english=True).post(cancel_url(too_late), {"reason": "x"})

    too_late.refresh_from_db()
    assert response.status_code == 409
    assert TOO_LATE in page_alerts(html_of(response))
    assert too_late.status == Status.CONFIRMED
    assert not AppointmentEvent.objects.filter(appointment=too_late).exists()


def test_after_the_cut_off_the_cancel_page_says_it_is_too_late(customer, too_late):
    response = browser_for(customer, english=True, raise_request_exception=False).get(
        cancel_url(too_late)
    )

    assert response.status_code == 409
    assert "It is too late to change this appointment online" in html_of(response)
    assert "Yes, cancel it" not in html_of(response)


def test_the_cancel_page_of_a_cancelled_appointment_says_it_cannot_change(customer, booked):
    Appointment.objects.filter(id=booked.id).update(status=Status.CANCELLED)

    response = browser_for(customer, english=True, raise_request_exception=False).get(
        cancel_url(booked)
    )

    assert response.status_code == 409
    assert "can no longer be changed" in html_of(response)


def test_cancelling_twice_is_refused_and_recorded_once(customer, booked):
    client = browser_for(customer, english=True)
    client.post(cancel_url(booked), {"reason": "first"})

    again = client.post(cancel_url(booked), {"reason": "second"})

    assert again.status_code == 409
    assert page_alerts(html_of(again)) == [
        "This appointment is Cancelled and can no longer be changed."
    ]
    assert AppointmentEvent.objects.filter(appointment=booked, action="cancelled").count() == 1


def test_a_reason_too_long_is_refused_next_to_the_field(customer, booked):
    response = browser_for(customer, english=True).post(
        cancel_url(booked), {"reason": "因" * (MAX_REASON_LENGTH + 1)}
    )

    booked.refresh_from_db()
    assert response.status_code == 400
    assert field_errors(html_of(response), "id_reason") == [
        f"Ensure this value has at most {MAX_REASON_LENGTH} characters "
        f"(it has {MAX_REASON_LENGTH + 1})."
    ]
    assert booked.status == Status.CONFIRMED


def test_a_nul_character_in_the_reason_is_refused(customer, booked):
    response = browser_for(customer, english=True).post(cancel_url(booked), {"reason": "a\x00b"})

    booked.refresh_from_db()
    assert response.status_code == 400
    assert field_errors(html_of(response), "id_reason") == [
        "This value has characters or a form that is not allowed here."
    ]
    assert booked.status == Status.CONFIRMED


def test_the_cancel_form_needs_the_csrf_token(customer, booked):
    client = browser_for(customer, enforce_csrf_checks=True)

    response = client.post(cancel_url(booked), {"reason": "x"})

    booked.refresh_from_db()
    assert response.status_code == 403
    assert booked.status == Status.CONFIRMED


def test_an_appointment_of_a_withdrawn_service_can_still_be_cancelled(customer, service, booked):
    service.active = False
    service.save()
    client = browser_for(customer, english=True)

    detail = html_of(client.get(f"/appointments/{booked.public_id}/"))
    response = client.post(f"/appointments/{booked.public_id}/cancel/", {"reason": "搬家了"})

    booked.refresh_from_db()
    assert f"/appointments/{booked.public_id}/cancel/" in detail
    assert "/reschedule/" not in detail
    assert response.status_code == 302
    assert booked.status == "cancelled"
