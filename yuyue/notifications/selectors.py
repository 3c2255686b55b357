"""Reads about the outbox: what the dispatcher and the health check need to know."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.notifications.models import Notification

Status = Notification.Status
HOUR = dt.timedelta(hours=1)


def _due(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )


def outbox_health(*, now: dt.datetime) -> dict[str, int | None]:
    """How far behind the dispatcher is: the age of the oldest due row, and counts."""
    due = Notification.objects.filter(_due(now))
    oldest = due.aggregate(at=Min("next_attempt_at"))["at"]
    return {
        "oldest_due_age_seconds": None if oldest is None else int((now - oldest).total_seconds()),
        "due": due.count(),
        "sending": Notification.objects.filter(status=Status.SENDING).count(),
        "failed_last_24h": Notification.objects.filter(
            status=Status.FAILED, updated_at__gte=now - dt.timedelta(hours=24)
        ).count(),
    }


# What may change about an appointment between the claim of its message and the send.
APPOINTMENT_STATE = ("status", "start", "end", "sequence")


def appointment_states(*, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The appointments' state as it is now, in one query: id → {field: value}."""
    rows = Appointment.objects.filter(id__in=ids).order_by().values("id", *APPOINTMENT_STATE)
    return {row.pop("id"): row for row in rows}


def reminders_superseded(notifications: list[Notification], *, now: dt.datetime) -> set[int]:
    """The ids of those reminders for which a closer reminder for the same start is due too
    (the dispatcher was down for a while); one query, whatever the number of rows.

    Reminders for one start have later send times the closer they are; a sent reminder of an
    earlier start always lies before this one's send time, so it never counts.
    """
    reminders = [n for n in notifications if n.kind == Notification.Kind.REMINDER]
    if not reminders:
        return set()
    due = (
        Notification.objects.filter(
            appointment_id__in={n.appointment_id for n in reminders},
            kind=Notification.Kind.REMINDER,
            send_after__lte=now,
            status__in=(Status.PENDING, Status.SENDING, Status.SENT),
        )
        .order_by()
        .values_list(
            "pk", "appointment_id", "recipient_id", "channel", "offset_minutes", "send_after"
        )
    )
    by_person: defaultdict[tuple, list] = defaultdict(list)
    for pk, appointment_id, recipient_id, channel, offset, send_after in due:
        by_person[appointment_id, recipient_id, channel].append((pk, offset, send_after))
    return {
        n.pk
        for n in reminders
        if any(
            pk != n.pk and offset < n.offset_minutes and send_after > n.send_after
            for pk, offset, send_after in by_person[n.appointment_id, n.recipient_id, n.channel]
        )
    }


def texts_in_last_hour(
    *, channel: str, now: dt.datetime, address: str | None = None, business_id: int | None = None
) -> tuple[int, dt.datetime | None]:
    """How many text messages went out this past hour (to one address, or for one business),
    and when the oldest of them went: the cap frees a place an hour after that."""
    sent = Notification.objects.filter(channel=channel, status=Status.SENT, sent_at__gt=now - HOUR)
    if address is not None:
        sent = sent.filter(address=address)
    if business_id is not None:
        sent = sent.filter(business_id=business_id)
    window = sent.aggregate(count=Count("id"), oldest=Min("sent_at"))
    return window["count"], window["oldest"]


def notifications_of_business(
    *, business: Business, status: str | None = None
) -> QuerySet[Notification]:
    """The business's message log, newest first; the caller checks the reader is its staff."""
    notifications = Notification.objects.filter(business=business).select_related(
        "recipient",
        "appointment",
        "appointment__service",
        "appointment__customer",
        "appointment__client",
    )
    if status is not None:
        notifications = notifications.filter(status=status)
    return notifications.order_by("-created_at", "-id")
