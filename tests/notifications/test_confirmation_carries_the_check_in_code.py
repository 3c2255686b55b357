"""The confirmation tells the customer their check-in code (核销码), in the email's text and
HTML and in the text message; staff's notices and a cancellation do not carry it."""

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, quiet_owners
from yuyue.bookings.services import appointment_cancel, appointment_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification
from yuyue.notifications.texts import text_params

from .support import html_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(service, stylist, customer):
    quiet_owners(service.business)
    with time_machine.travel(NOW, tick=False):
        return appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh-hans", "核销码：{code}（到店时请在前台出示）"),
        ("en", "Check-in code: {code} (show it at the counter when you arrive)"),
    ],
)
def test_the_confirmation_email_carries_the_code(
    mailbox, service, stylist, customer, language, line
):
    customer.language = language
    customer.save(update_fields=["language"])
    quiet_owners(service.business)
    with time_machine.travel(NOW, tick=False):
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        drain()
    (message,) = mailbox.to("customer@example.com")
    assert line.format(code=appointment.checkin_code) in text_of(message)
    assert f">{appointment.checkin_code}</strong>" in html_of(message)


def test_the_confirmation_text_message_carries_the_code(booked):
    row = Notification.objects.get(kind="booked", recipient=booked.customer)
    params = text_params(row)
    assert params["text"].endswith(f"核销码 {booked.checkin_code}。")
    assert params["checkin_code"] == booked.checkin_code


def test_staff_notices_do_not_carry_it(booked, staff_user):
    row = Notification.objects.get(kind="staff_new_booking")
    assert booked.checkin_code not in text_params(row)["text"]


def test_a_cancellation_does_not_carry_it(booked, customer, mailbox):
    with time_machine.travel(NOW, tick=False):
        appointment_cancel(appointment=booked, actor=customer)
        drain()
    (message,) = [m for m in mailbox.to("customer@example.com") if "取消" in m["Subject"]]
    assert booked.checkin_code not in text_of(message)
