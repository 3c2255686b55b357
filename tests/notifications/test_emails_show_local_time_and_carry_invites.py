"""Every kind of email, in Chinese and English, through a real SMTP server: the subject and
both bodies show the local time with its zone, and the calendar invitation is right."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, owner_of, quiet_owners
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_confirm,
    appointment_create,
    appointment_reschedule,
)
from yuyue.catalog.services import service_update
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

from .support import html_of, invite_of, text_of

LABELS = {
    ("zh-hans", "10:00"): "2026年12月2日 10:00（北京时间，UTC+08:00）",
    ("zh-hans", "14:00"): "2026年12月2日 14:00（北京时间，UTC+08:00）",
    ("en", "10:00"): "2 Dec 2026, 10:00 (China Standard Time, UTC+08:00)",
    ("en", "14:00"): "2 Dec 2026, 14:00 (China Standard Time, UTC+08:00)",
}
SUBJECTS = {
    "en": {
        "booked": "Booking request received:",
        "confirmed": "Booking confirmed:",
        "reminder": "Reminder:",
        "rescheduled": "Booking rescheduled:",
        "cancelled": "Booking cancelled:",
        "staff_new_booking": "New booking:",
        "staff_cancelled": "Booking cancelled:",
    },
    "zh-hans": {
        "booked": "预约申请已收到：",
        "confirmed": "预约已确认：",
        "reminder": "预约提醒：",
        "rescheduled": "预约已改期：",
        "cancelled": "预约已取消：",
        "staff_new_booking": "新预约：",
        "staff_cancelled": "预约已取消：",
    },
}
# kind → (local start shown, METHOD of the invitation or None, SEQUENCE)
EXPECTED = {
    "booked": ("10:00", "REQUEST", 0),
    "staff_new_booking": ("10:00", "REQUEST", 0),
    "confirmed": ("10:00", "REQUEST", 0),
    "reminder": ("10:00", None, None),
    "rescheduled": ("14:00", "REQUEST", 1),
    "cancelled": ("14:00", "CANCEL", 2),
    "staff_cancelled": ("14:00", "CANCEL", 2),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_kind_shows_local_time_with_zone_and_the_right_invitation(
    language, mailbox, service, stylist, customer, staff_user
):
    customer.language = language
    customer.save()
    staff_user.language, staff_user.email = language, "tony@example.com"
    staff_user.save()
    service_update(service=service, actor=owner_of(service), requires_confirmation=True)
    quiet_owners(service.business)  # their notices: test_owners_hear_of_bookings.py
    with time_machine.travel(NOW, tick=False) as clock:
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        drain()
        appointment_confirm(appointment=appointment, actor=staff_user)
        drain()
        clock.move_to(at(WEDNESDAY, "10:00") - dt.timedelta(hours=24))
        drain()
        appointment_reschedule(
            appointment=appointment, actor=staff_user, start=at(WEDNESDAY, "14:00")
        )
        drain()
        appointment_cancel(appointment=appointment, actor=customer, reason="Feeling unwell")
        drain()

    rows = {row.kind: row for row in Notification.objects.filter(status="sent")}
    assert set(rows) == set(EXPECTED)
    received = {message["Message-ID"]: message for message in mailbox.received()}
    assert len(received) == len(mailbox.received()) == len(EXPECTED)
    for kind, (clock_time, method, sequence) in EXPECTED.items():
        message = received[rows[kind].message_id]
        label = LABELS[(language, clock_time)]
        assert message["Subject"].strip().startswith(SUBJECTS[language][kind]), kind
        assert label in message["Subject"], kind
        assert label in text_of(message), kind
        assert label in html_of(message), kind
        assert message["To"] == rows[kind].recipient.email
        assert "悦己美发沙龙" in message["From"]
        invite = invite_of(message)
        if method is None:
            assert invite is None
            continue
        event = invite.walk("VEVENT")[0]
        start = at(WEDNESDAY, clock_time)
        assert invite["METHOD"] == method, kind
        assert event.decoded("DTSTART") == start, kind
        assert event.decoded("DTEND") == start + dt.timedelta(minutes=60), kind
        assert str(event["UID"]) == f"{appointment.public_id}@yuyue", kind
        assert int(event["SEQUENCE"]) == sequence, kind


def test_the_rescheduled_email_names_the_old_and_the_new_time(mailbox, service, stylist, customer):
    with time_machine.travel(NOW, tick=False):
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        appointment_reschedule(
            appointment=appointment, actor=customer, start=at(WEDNESDAY, "14:00")
        )
        drain()
    (message,) = [m for m in mailbox.received() if "预约已改期" in m["Subject"]]
    body = text_of(message)
    assert LABELS[("zh-hans", "10:00")] in body
    assert LABELS[("zh-hans", "14:00")] in body


def test_a_direct_booking_sends_a_chinese_confirmation_with_links_and_an_invitation(
    mailbox, service, stylist, customer, location
):
    with time_machine.travel(NOW, tick=False):
        appointment = appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00")
        )
        drain()
    (message,) = mailbox.to("customer@example.com")
    assert message["Subject"].strip().startswith("预约成功：洗剪吹")
    body = text_of(message)
    for shown in ("Tony 老师", "静安店", location.address, "洗剪吹"):
        assert shown in body
    base = f"https://book.example.com/appointments/{appointment.public_id}/"
    for link in (base, base + "cancel/", base + "reschedule/"):
        assert link in body
        assert link in html_of(message)
    event = invite_of(message).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert message["Message-ID"] == Notification.objects.get(kind="booked").message_id
