"""Plain helpers for the notification tests (fixtures live in conftest.py)."""

import datetime as dt
import os
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import icalendar
from django.db import connection
from django.utils import timezone

from tests.helpers import WEBHOOK_SECRET, clock_env

__all__ = ["WEBHOOK_SECRET"]
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, AppointmentEvent
from yuyue.customers.models import Customer
from yuyue.notifications.models import Notification

ROOT = Path(__file__).resolve().parents[2]


def invite_of(message: EmailMessage) -> icalendar.Calendar | None:
    """The message's calendar attachment, parsed, or None."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return None


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def make_due_emails(*, count: int, service, staff, start: dt.datetime) -> list[Notification]:
    """`count` booked-emails, due now, each to its own customer: set-up for dispatcher tests.

    Rows are written in bulk (like tests/helpers.make_appointment, a state for the test to
    start from), one appointment an hour so no two overlap.
    """
    users = User.objects.bulk_create(
        [
            User(username=f"bulk-{i}", email=f"bulk-{i}@example.com", phone="+8613800138000")
            for i in range(count)
        ]
    )
    clients = Customer.objects.bulk_create(
        [Customer(business_id=service.business_id, user=user, name=user.username) for user in users]
    )
    appointments = Appointment.objects.bulk_create(
        [
            Appointment(
                business_id=service.business_id,
                service=service,
                staff=staff,
                location=staff.location,
                client=client,
                customer=user,
                start=start + dt.timedelta(hours=i),
                end=start + dt.timedelta(hours=i, minutes=service.duration_minutes),
                occupied_start=start + dt.timedelta(hours=i),
                occupied_end=start + dt.timedelta(hours=i, minutes=service.duration_minutes),
                status="confirmed",
                price=service.price,
                currency="CNY",
                # Distinct: random ones could clash (appointment_checkin_code_open).
                checkin_code=f"{i:06d}",
            )
            for i, (user, client) in enumerate(zip(users, clients, strict=True))
        ]
    )
    events = AppointmentEvent.objects.bulk_create(
        [
            AppointmentEvent(appointment=a, action="created", to_status="confirmed")
            for a in appointments
        ]
    )
    now = timezone.now()
    return Notification.objects.bulk_create(
        [
            Notification(
                business_id=service.business_id,
                appointment=a,
                event=e,
                recipient=a.customer,
                channel="email",
                kind="booked",
                language="zh-hans",
                send_after=now,
                next_attempt_at=now,
            )
            for a, e in zip(appointments, events, strict=True)
        ]
    )


def database_url() -> str:
    """The test database as a DATABASE_URL, for a worker started as a real process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(*, smtp_port: int, log: Path, args: list[str]) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?tls=false",
        "NOTIFY_SMS_PROVIDER": "console",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **clock_env(),
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "worker", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_until(condition, *, seconds: float, what: str) -> None:
    """Poll `condition` until it holds; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.05)
