"""What every message about an appointment says, as plain values for the templates.

Built at send time from the appointment as it is then, in the recipient's language, so a
message delivered late never shows a time that has since changed.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from yuyue.bookings.models import Appointment, Status, cancel_reason_label
from yuyue.lib.localtime import day_label, local_clock_label, local_time_label, weekday_label
from yuyue.notifications import errors, links
from yuyue.notifications.errors import Skipped
from yuyue.notifications.models import Notification
from yuyue.scheduling.models import StaffMember

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
    if notification.kind == Notification.Kind.AGENDA:
        return agenda_context(notification)
    appointment = notification.appointment
    assert appointment is not None and notification.event is not None
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
        "reason": cancel_reason_label(notification.event.reason),
        # Staff read the business's own record of the customer.
        "customer": appointment.client.name,
        "customer_phone": appointment.client.phone
        or (appointment.customer.phone if appointment.customer is not None else ""),
        "for_staff": notification.kind in STAFF_KINDS,
        "price": f"{appointment.price} {appointment.currency}",
        # Until when a waitlist offer waits for its answer.
        "offer_expires": (
            local_time_label(appointment.offer_expires_at, zone)
            if appointment.offer_expires_at is not None
            else ""
        ),
    }
    if context["for_staff"]:
        context["back_office_link"] = links.back_office_link(appointment)
    else:
        context["links"] = links.customer_links(appointment)
        # What the customer shows at the counter (核销), while it can check them in.
        context["checkin_code"] = appointment.usable_checkin_code or ""
    return context


# At most this many appointments are listed in one agenda; a text lists fewer.
AGENDA_LIMIT = 50


def agenda_context(notification: Notification) -> dict[str, Any]:
    """A staff member's appointments on the agenda's day, in their shop's zone, as they are
    now. Skipped when the day has begun or holds nothing for them."""
    if notification.recipient_id is None:
        raise Skipped(errors.NO_RECIPIENT)
    profiles = list(
        StaffMember.objects.filter(
            business_id=notification.business_id, user_id=notification.recipient_id
        ).select_related("business", "location")
    )
    day = notification.agenda_date
    if not profiles or day is None:
        raise Skipped(errors.AGENDA_EMPTY)
    zone = profiles[0].zone
    zone_name = profiles[0].zone_name
    begins = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    if timezone.now() >= begins:
        raise Skipped(errors.AGENDA_PAST)
    appointments = list(
        Appointment.objects.filter(
            staff__in=profiles,
            status__in=(Status.PENDING, Status.CONFIRMED),
            start__gte=begins,
            start__lt=ends,
        )
        .select_related("service", "client", "location")
        .order_by("start", "id")[:AGENDA_LIMIT]
    )
    if not appointments:
        raise Skipped(errors.AGENDA_EMPTY)
    business = profiles[0].business
    items = [
        {
            "time": "–".join(local_clock_label(t, zone_name) for t in (a.start, a.end)),
            "service": a.service.name,
            # Staff read the business's own record of the customer.
            "customer": a.client.name,
            "customer_phone": a.client.phone,
            "location": a.location.name if a.location else "",
            "pending": a.status == Status.PENDING,
            "notes": a.notes,
        }
        for a in appointments
    ]
    return {
        "kind": notification.kind,
        "recipient_name": person_name(notification.recipient),
        "business": business.name,
        "day": f"{day_label(day)} {weekday_label(day)}",
        "zone": zone_name,
        "items": items,
        "count": len(items),
        "for_staff": True,
        "back_office_link": settings.YUYUE_PUBLIC_URL
        + reverse("backoffice:day", args=[business.slug])
        + f"?date={day.isoformat()}",
        # What texts and mini-program values read of every message.
        "service": "",
        "staff": ", ".join(p.name for p in profiles),
        "start": "",
        "location": "",
        "address": "",
        "customer": "",
    }
