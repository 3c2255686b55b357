"""What every message about an appointment says, as plain values for the templates.

Built at send time from the appointment as it is then, in the recipient's language, so a
message delivered late never shows a time that has since changed.
"""

import datetime as dt
from typing import Any

from yuyue.bookings.models import Appointment, Status
from yuyue.lib.localtime import local_clock_label, local_time_label
from yuyue.notifications import links
from yuyue.notifications.models import Notification

STAFF_KINDS = frozenset({Notification.Kind.STAFF_NEW_BOOKING, Notification.Kind.STAFF_CANCELLED})


def person_name(user: Any) -> str:
    # The name as the person wrote it: never assembled from given and family names, which
    # would put a Chinese name in the wrong order ("小美 张").
    return user.shown_name


def _end_label(appointment: Appointment, zone: str) -> str:
    """Only the clock time when the appointment ends on the day it starts."""
    local = appointment.zone
    if appointment.start.astimezone(local).date() == appointment.end.astimezone(local).date():
        return local_clock_label(appointment.end, zone)
    return local_time_label(appointment.end, zone)


def message_context(notification: Notification) -> dict[str, Any]:
    """The template context; call it with the recipient's language active."""
    appointment = notification.appointment
    zone = appointment.zone_name
    location = appointment.location
    old_start = (notification.event.data.get("old") or {}).get("start")
    context = {
        "kind": notification.kind,
        "recipient_name": person_name(notification.addressee),
        "business": appointment.business.name,
        "service": appointment.service.name,
        "staff": appointment.staff.name,
        "location": location.name if location else "",
        "address": location.address if location else "",
        "phone": (location.phone if location else "") or appointment.business.phone,
        "start": local_time_label(appointment.start, zone),
        "end": _end_label(appointment, zone),
        "old_start": (
            local_time_label(dt.datetime.fromisoformat(old_start), zone) if old_start else ""
        ),
        "pending": appointment.status == Status.PENDING,
        "reason": notification.event.reason,
        # Staff read the business's own record of the customer.
        "customer": appointment.client.name,
        "customer_phone": appointment.client.phone
        or (appointment.customer.phone if appointment.customer is not None else ""),
        "for_staff": notification.kind in STAFF_KINDS,
        "price": f"{appointment.price} {appointment.currency}",
    }
    if context["for_staff"]:
        context["back_office_link"] = links.back_office_link(appointment)
    else:
        context["links"] = links.customer_links(appointment)
    return context
