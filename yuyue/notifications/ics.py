"""The calendar invitation (.ics) attached to emails, built with icalendar.

One UID per appointment, so every message about it updates the same calendar entry; SEQUENCE
rises with each reschedule; a cancellation is METHOD:CANCEL with a SEQUENCE one higher than
the last invitation's, as RFC 5546 asks, so calendars remove the entry.
"""

import datetime as dt

import icalendar

from yuyue.bookings.models import Appointment, Status

PRODID = "-//Yuyue//Appointments//EN"
UID_DOMAIN = "yuyue"


def appointment_uid(appointment: Appointment) -> str:
    return f"{appointment.public_id}@{UID_DOMAIN}"


def invitation(
    *,
    appointment: Appointment,
    cancel: bool,
    summary: str,
    description: str,
    location: str,
    organizer: tuple[str, str],
    attendee: str,
    now: dt.datetime,
) -> bytes:
    """The VCALENDAR for `appointment`; `organizer` is (name, email) of the business."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence + (1 if cancel else 0))
    event.add("dtstamp", now.astimezone(dt.UTC))
    # UTC instants need no VTIMEZONE; every calendar shows them in its reader's own zone.
    event.add("dtstart", appointment.start.astimezone(dt.UTC))
    event.add("dtend", appointment.end.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    if cancel:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if appointment.status == Status.PENDING else "CONFIRMED")
    organizer_address = icalendar.vCalAddress(f"mailto:{organizer[1]}")
    organizer_address.params["cn"] = icalendar.vText(organizer[0])
    event.add("organizer", organizer_address)
    attendee_address = icalendar.vCalAddress(f"mailto:{attendee}")
    attendee_address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee_address.params["partstat"] = icalendar.vText("ACCEPTED")
    attendee_address.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee_address)
    calendar.add_component(event)
    return calendar.to_ical()
