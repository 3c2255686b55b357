"""Reads about the outbox: what the dispatcher and the health check need to know."""

import datetime as dt

from django.db.models import Count, Min, Q, QuerySet

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


def reminder_superseded(notification: Notification, *, now: dt.datetime) -> bool:
    """A closer reminder for the same start is due too (the dispatcher was down for a while).

    Reminders for one start have later send times the closer they are; a sent reminder of an
    earlier start always lies before this one's send time, so it never counts.
    """
    return (
        Notification.objects.filter(
            appointment_id=notification.appointment_id,
            recipient_id=notification.recipient_id,
            channel=notification.channel,
            kind=Notification.Kind.REMINDER,
            offset_minutes__lt=notification.offset_minutes,
            send_after__gt=notification.send_after,
            send_after__lte=now,
            status__in=(Status.PENDING, Status.SENDING, Status.SENT),
        )
        .exclude(pk=notification.pk)
        .exists()
    )


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
        "recipient", "appointment", "appointment__service", "appointment__customer"
    )
    if status is not None:
        notifications = notifications.filter(status=status)
    return notifications.order_by("-created_at", "-id")
