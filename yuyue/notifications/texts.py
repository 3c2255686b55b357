"""Text messages (SMS and mini-program): their wording, and sending one within the caps."""

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from yuyue.lib.localtime import local_short_label
from yuyue.notifications import errors
from yuyue.notifications.context import message_context
from yuyue.notifications.errors import PermanentFailure, TemporaryFailure
from yuyue.notifications.models import Notification
from yuyue.notifications.providers import TextProvider
from yuyue.notifications.selectors import HOUR, texts_in_last_hour


def text_address(notification: Notification) -> str:
    """Where a text goes: the phone for SMS, the account for the mini program's gateway."""
    if notification.channel == Notification.Channel.MINIPROGRAM:
        return f"user:{notification.recipient_id}"
    phone = (notification.addressee.phone or "").strip()
    if not phone:
        raise PermanentFailure(errors.NO_PHONE)
    return phone


def text_params(notification: Notification) -> dict[str, str]:
    """The template's values, and the whole text for gateways that send plain text."""
    # A daily agenda is about a day, not one appointment: it has no time of its own.
    appointment, event = notification.appointment, notification.event
    old = (event.data.get("old") or {}).get("start") if event is not None else None
    old_start = dt.datetime.fromisoformat(old) if old else None
    with translation.override(notification.language):
        context = message_context(notification)
        link = (
            context.get("back_office_link")
            or context["links"][
                "offer" if notification.kind == Notification.Kind.WAITLIST_OFFER else "view"
            ]
        )
        context["link"] = link
        text = " ".join(
            render_to_string(f"notifications/sms/{notification.kind}.txt", context).split()
        )
        # Short, for templates with length limits (Tencent's 12 characters): "12月2日 10:00".
        time = old_time = ""
        if appointment is not None:
            time = local_short_label(appointment.start, appointment.zone_name)
            if old_start is not None:
                old_time = local_short_label(old_start, appointment.zone_name)
    return {
        "business": context["business"],
        "service": context["service"],
        "staff": context["staff"],
        "start": context["start"],
        "time": time,
        "old_time": old_time,
        "location": context["location"],
        "address": context["address"],
        "customer": context["customer"],
        "link": link,
        # For a gateway template that shows the code (核销码); empty when there is none.
        "checkin_code": context.get("checkin_code", ""),
        "language": notification.language,
        "text": text,
    }


def _check_caps(notification: Notification, address: str, now: dt.datetime) -> None:
    """Hourly caps on text messages; over a cap the message waits until a place frees up."""
    caps = (
        ({"address": address}, settings.NOTIFY_SMS_PER_PHONE_PER_HOUR, errors.CAP_PHONE),
        (
            {"business_id": notification.business_id},
            settings.NOTIFY_SMS_PER_BUSINESS_PER_HOUR,
            errors.CAP_BUSINESS,
        ),
    )
    for scope, cap, reason in caps:
        count, oldest = texts_in_last_hour(channel=notification.channel, now=now, **scope)
        if count >= cap:
            raise TemporaryFailure(reason, not_before=(oldest or now) + HOUR)


def text_send(
    notification: Notification, *, address: str, provider: TextProvider, now: dt.datetime
) -> str:
    """Send one text; returns the provider's id. Raises TemporaryFailure or PermanentFailure."""
    _check_caps(notification, address, now)
    return provider.send(
        to=address,
        template=notification.kind,
        params=text_params(notification),
        message_id=notification.message_id,
    )
