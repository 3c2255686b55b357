"""Each action from the calendar's pending list and the detail page makes the right
transition, writes its audit event and queues the customer's message."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import TUESDAY, at, html_of, make_appointment
from yuyue.bookings.models import AppointmentEvent
from yuyue.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def url(appointment, action: str) -> str:
    return f"/manage/salon/appointments/{appointment.public_id}/{action}/"


def last_event(appointment) -> AppointmentEvent:
    return appointment.events.order_by("-id").first()


def kinds_to(appointment, recipient) -> set[str]:
    return set(
        Notification.objects.filter(appointment=appointment, recipient=recipient).values_list(
            "kind", flat=True
        )
    )


def test_confirm_from_the_calendar_confirms_and_tells_the_customer(as_owner, owner, pending):
    response = as_owner.post(url(pending, "confirm"), {"next": "/manage/salon/"})

    assert response.status_code == 303 and response["Location"] == "/manage/salon/"
    pending.refresh_from_db()
    assert pending.status == "confirmed"
    event = last_event(pending)
    assert (event.action, event.from_status, event.actor) == ("confirmed", "pending", owner)
    assert "confirmed" in kinds_to(pending, pending.customer)


def test_decline_cancels_with_the_reason_the_customer_sees(as_owner, pending):
    as_owner.post(
        url(pending, "cancel"),
        {"confirmed": "1", "reason": "Tony 老师病假", "next": "/manage/salon/"},
    )

    pending.refresh_from_db()
    assert pending.status == "cancelled"
    assert last_event(pending).reason == "Tony 老师病假"
    assert "cancelled" in kinds_to(pending, pending.customer)


def test_cancel_without_the_confirmation_step_only_asks(as_owner, pending):
    response = as_owner.post(url(pending, "cancel"), {"reason": "?"})

    assert response.status_code == 200
    assert "Cancel the appointment?" in html_of(response)
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_start_and_complete_follow_the_status_machine(as_owner, service, stylist, customer):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "09:00")
    )

    as_owner.post(url(appointment, "start"))
    appointment.refresh_from_db()
    assert appointment.status == "in_progress"
    assert last_event(appointment).action == "started"

    as_owner.post(url(appointment, "complete"))
    appointment.refresh_from_db()
    assert appointment.status == "completed"
    assert last_event(appointment).action == "completed"


def test_no_show_is_offered_and_recorded_once_the_start_has_passed(
    as_owner, service, stylist, customer
):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "09:00")
    )
    detail = f"/manage/salon/appointments/{appointment.public_id}/"
    assert "No-show" not in html_of(as_owner.get(detail)).split("<main")[1].split("</form>")[0]

    with time_machine.travel(at(TUESDAY, "09:20"), tick=False):
        assert url(appointment, "no-show") in html_of(as_owner.get(detail))
        as_owner.post(url(appointment, "no-show"), {"confirmed": "1"})

    appointment.refresh_from_db()
    assert appointment.status == "no_show"
    assert last_event(appointment).action == "no_show"


def test_a_refused_action_says_why_and_changes_nothing(as_owner, pending):
    response = as_owner.post(url(pending, "complete"), follow=True)

    pending.refresh_from_db()
    assert pending.status == "pending"
    assert 'class="notice"' in html_of(response)


def test_the_detail_shows_customer_record_trail_and_messages(as_owner, pending, owner):
    as_owner.post(url(pending, "confirm"))

    html = html_of(as_owner.get(f"/manage/salon/appointments/{pending.public_id}/"))

    assert "张小美" in html and "+8613700137000" in html
    assert "Tue 1 Dec 2026, 10:00 (China Standard Time, UTC+08:00)" in html
    assert "Confirmed" in html and "owner" in html  # the trail names who did it
    assert "Queued" in html or "Sent" in html  # the message and its status


def test_reschedule_uses_the_customers_picker_and_moves_it(as_owner, pending, stylist):
    page = html_of(as_owner.get(f"/manage/salon/appointments/{pending.public_id}/reschedule/"))
    assert "data-picker" in page and "11:00" in page

    new = (at(TUESDAY, "14:00")).isoformat()
    response = as_owner.post(
        f"/manage/salon/appointments/{pending.public_id}/reschedule/confirm/",
        {"start": new, "staff": stylist.id},
    )

    assert response.status_code == 303
    pending.refresh_from_db()
    assert pending.start == at(TUESDAY, "14:00")
    assert last_event(pending).action == "rescheduled"
    assert "rescheduled" in kinds_to(pending, pending.customer)


def test_rescheduling_onto_a_taken_time_answers_409(as_owner, pending, service, stylist, customer):
    make_appointment(service=service, staff=stylist, customer=customer, start=at(TUESDAY, "15:00"))

    response = as_owner.post(
        f"/manage/salon/appointments/{pending.public_id}/reschedule/confirm/",
        {"start": at(TUESDAY, "15:00").isoformat(), "staff": stylist.id},
    )

    assert response.status_code == 409
    pending.refresh_from_db()
    assert pending.start == at(TUESDAY, "10:00")
    assert pending.start - dt.timedelta(0) == at(TUESDAY, "10:00")
