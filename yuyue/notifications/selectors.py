"""Reads about the outbox: what the dispatcher and the health check need to know."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from yuyue.accounts.models import Consent, User
from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business
from yuyue.notifications.models import Notification
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity

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


def personal_data(*, user: User, now: dt.datetime) -> dict[str, Any]:
    """Everything held about `user` that is theirs to see, as plain JSON values ("My data"):
    the account, the privacy consents, WeChat identities and subscriptions, the appointments
    they are the customer of (with the notes they see, never the businesses' private customer
    notes), and the messages sent to them. Times are ISO 8601 in UTC.

    Here, at the top of the domain apps, because it reads all of them.
    """
    account = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "email": user.email,
        "language": user.language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    consents = [
        {
            "policy_version": c.policy.version,
            "occasion": c.occasion,
            "accepted_at": _iso(c.accepted_at),
        }
        for c in Consent.objects.filter(user=user).select_related("policy").order_by("accepted_at")
    ]
    wechat = [
        {
            "appid": i.appid,
            "openid": i.openid,
            "unionid": i.unionid,
            "linked_at": _iso(i.created_at),
        }
        for i in WeChatIdentity.objects.filter(user=user).order_by("created_at")
    ]
    subscriptions = [
        {
            "template_id": s.template_id,
            "messages_allowed": s.remaining,
            "last_answer": s.last_answer,
        }
        for s in SubscribeConsent.objects.filter(user=user).order_by("template_id")
    ]
    appointments = [
        {
            "id": a.public_id,
            "business": a.business.name,
            "service": a.service.name,
            "staff": a.staff.name,
            "location": a.location.name if a.location else "",
            "address": a.location.address if a.location else "",
            "start": _iso(a.start),
            "end": _iso(a.end),
            "time_zone": a.zone_name,
            "status": a.status,
            "price": str(a.price),
            "currency": a.currency,
            "notes": a.notes,
            "booked_via": a.channel,
            "booked_at": _iso(a.created_at),
        }
        for a in Appointment.objects.filter(customer=user)
        .select_related("business", "service", "staff", "location")
        .order_by("start", "id")
    ]
    messages = [
        {
            "kind": n.kind,
            "channel": n.channel,
            "address": n.address,
            "status": n.status,
            "appointment": n.appointment.public_id if n.appointment is not None else None,
            "created_at": _iso(n.created_at),
            "sent_at": _iso(n.sent_at),
        }
        for n in Notification.objects.filter(recipient=user)
        .select_related("appointment")
        .order_by("created_at", "id")
    ]
    return {
        "exported_at": _iso(now),
        "account": account,
        "consents": consents,
        "wechat_identities": wechat,
        "wechat_subscriptions": subscriptions,
        "appointments": appointments,
        "messages": messages,
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None
