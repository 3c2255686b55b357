"""A customer without an account still hears about their booking: at the business record's
phone (or email), in the business's language; the back office shows the messages to them."""

import pytest

from tests.customers.conftest import ALLERGY, WALK_IN_PHONE
from tests.helpers import TUESDAY, at, html_of, office_browser_for
from yuyue.bookings.services import appointment_create
from yuyue.customers.services import customer_update
from yuyue.notifications.emails import email_address
from yuyue.notifications.models import Notification
from yuyue.notifications.texts import text_address

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_booking_is_texted_to_the_records_phone(walk_in_booking, business):
    messages = Notification.objects.filter(appointment=walk_in_booking, recipient=None)

    booked = messages.get(kind="booked")
    assert (booked.channel, booked.language) == ("sms", business.default_language)
    assert booked.addressee == walk_in_booking.client
    assert text_address(booked) == WALK_IN_PHONE
    assert messages.filter(kind="reminder").exists()


def test_an_email_on_the_record_is_used_first(walk_in, owner, service, stylist):
    customer_update(actor=owner, customer=walk_in, email="zhao@example.com")

    appointment = appointment_create(
        service=service, client=walk_in, start=at(TUESDAY, "16:00"), staff=stylist, actor=owner
    )

    booked = Notification.objects.get(appointment=appointment, kind="booked")
    assert booked.recipient is None and email_address(booked) == "zhao@example.com"


def test_the_back_office_shows_her_appointment_and_its_messages(walk_in_booking, owner):
    desk = office_browser_for(owner)

    page = html_of(desk.get(f"/manage/salon/appointments/{walk_in_booking.public_id}/"))
    assert "赵女士" in page and ALLERGY in page
    log = html_of(desk.get("/manage/salon/messages/"))
    assert "赵女士" in log
