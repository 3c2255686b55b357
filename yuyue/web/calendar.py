"""An appointment as a calendar file the customer adds by hand ("add to calendar")."""

import datetime as dt

import icalendar
from django.utils import timezone

from yuyue.bookings.models import Appointment, Status
from yuyue.notifications.ics import PRODID, appointment_uid


def calendar_file(*, appointment: Appointment, summary: str, description: str, url: str) -> bytes:
    """A PUBLISH calendar with one event; the UID is the one the emailed invitations use, so a
    calendar that has both keeps one entry."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.start.astimezone(dt.UTC))
    event.add("dtend", appointment.end.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    if appointment.location is not None and appointment.location.address:
        event.add("location", f"{appointment.location.name}, {appointment.location.address}")
    status: dict[str, str] = {Status.PENDING: "TENTATIVE", Status.CANCELLED: "CANCELLED"}
    event.add("status", status.get(appointment.status, "CONFIRMED"))
    calendar.add_component(event)
    return calendar.to_ical()
