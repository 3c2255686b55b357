"""Emails name people by their display name, as written, in both languages: never given and
family names put together ("小美 张")."""

import time_machine

from tests.helpers import NOW, WEDNESDAY, at
from yuyue.bookings.services import appointment_create, appointment_reschedule
from yuyue.notifications.dispatcher import drain

from .support import html_of, text_of


def test_the_customer_is_greeted_and_named_by_display_name(
    mailbox, service, stylist, customer, staff_user
):
    customer.first_name, customer.last_name, customer.display_name = "小美", "张", "张小美"
    customer.save()
    staff_user.email, staff_user.display_name = "tony@example.com", "Tony"
    staff_user.save()
    with time_machine.travel(NOW, tick=False):
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        appointment_reschedule(
            appointment=appointment, actor=customer, start=at(WEDNESDAY, "14:00")
        )
        drain()

    (rescheduled,) = [m for m in mailbox.to("customer@example.com") if "改期" in m["Subject"]]
    assert text_of(rescheduled).startswith("张小美，您好：")
    assert "张小美，您好：" in html_of(rescheduled)
    (new_booking,) = mailbox.to("tony@example.com")
    assert text_of(new_booking).startswith("Tony，您好：")
    assert "张小美" in new_booking["Subject"]
    assert "小美 张" not in new_booking["Subject"] + text_of(new_booking)


def test_in_english_without_a_display_name_the_username_is_used(
    mailbox, service, stylist, customer
):
    customer.language, customer.first_name, customer.last_name = "en", "Mei", "Zhang"
    customer.save()
    with time_machine.travel(NOW, tick=False):
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        appointment_reschedule(
            appointment=appointment, actor=customer, start=at(WEDNESDAY, "14:00")
        )
        drain()

    (rescheduled,) = [
        m for m in mailbox.to("customer@example.com") if "rescheduled" in m["Subject"]
    ]
    assert text_of(rescheduled).startswith("Hello customer,")
