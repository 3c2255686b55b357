"""One function per email message, and sending one over an open SMTP connection.

Each message has three templates under notifications/email/<kind>/ (subject.txt, body.txt,
body.html) rendered in the recipient's language. Booked, confirmed and rescheduled mails carry
a calendar invitation; cancellations carry its METHOD:CANCEL counterpart.
"""

import datetime as dt
import smtplib
from collections.abc import Callable
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import translation

from yuyue.notifications import errors, ics
from yuyue.notifications.context import message_context
from yuyue.notifications.errors import PermanentFailure, TemporaryFailure
from yuyue.notifications.mail_files import KIND_HEADER
from yuyue.notifications.models import Notification

Kind = Notification.Kind


def _sender(business_name: str) -> tuple[str, str]:
    """The business's name on the platform's sending address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return business_name, address or "noreply@localhost"


def _compose(
    notification: Notification, *, address: str, now: dt.datetime, invite: str | None
) -> EmailMultiAlternatives:
    """`invite` is None (no attachment), "request" or "cancel"."""
    folder = f"notifications/email/{notification.kind}"
    with translation.override(notification.language):
        context = message_context(notification)
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(f"{folder}/body.html", context)
        sender = _sender(context["business"])
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=formataddr(sender),
            to=[address],
            headers={"Message-ID": notification.message_id, KIND_HEADER: notification.kind},
        )
        message.attach_alternative(html, "text/html")
        if invite is not None:
            assert notification.appointment is not None
            where = ", ".join(part for part in (context["location"], context["address"]) if part)
            calendar = ics.invitation(
                appointment=notification.appointment,
                cancel=invite == "cancel",
                summary=f"{context['service']} · {context['business']}",
                description=text,
                location=where,
                organizer=sender,
                attendee=address,
                now=now,
            )
            part = MIMEText(calendar.decode(), "calendar", "utf-8")
            part.set_param("method", "CANCEL" if invite == "cancel" else "REQUEST")
            part.add_header("Content-Disposition", "attachment", filename="invite.ics")
            message.attach(part)
    return message


def booked_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="request")


def confirmed_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="request")


def rescheduled_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="request")


def cancelled_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="cancel")


def reminder_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite=None)


def staff_new_booking_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="request")


def staff_cancelled_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite="cancel")


def waitlist_offer_email(notification: Notification, *, address: str, now: dt.datetime):
    # No invitation: the time is not theirs until they accept it.
    return _compose(notification, address=address, now=now, invite=None)


def agenda_email(notification: Notification, *, address: str, now: dt.datetime):
    return _compose(notification, address=address, now=now, invite=None)


EMAILS: dict[str, Callable[..., EmailMultiAlternatives]] = {
    Kind.AGENDA: agenda_email,
    Kind.BOOKED: booked_email,
    Kind.CONFIRMED: confirmed_email,
    Kind.RESCHEDULED: rescheduled_email,
    Kind.CANCELLED: cancelled_email,
    Kind.REMINDER: reminder_email,
    Kind.STAFF_NEW_BOOKING: staff_new_booking_email,
    Kind.STAFF_CANCELLED: staff_cancelled_email,
    Kind.WAITLIST_OFFER: waitlist_offer_email,
}


def email_address(notification: Notification) -> str:
    """The recipient's address as it is now; PermanentFailure when there is none usable."""
    address = (notification.addressee.email or "").strip()
    if not address:
        raise PermanentFailure(errors.NO_EMAIL)
    try:
        validate_email(address)
    except ValidationError:
        raise PermanentFailure(errors.INVALID_ADDRESS) from None
    return address


def _smtp_reason(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"SMTP {code} {text}".strip()


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Drop a session that failed, so the next message starts a fresh one."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        connection.connection = None


def email_send(
    notification: Notification, *, address: str, connection: BaseEmailBackend, now: dt.datetime
) -> None:
    """Send one message; raises TemporaryFailure or PermanentFailure (never anything else)."""
    message = EMAILS[notification.kind](notification, address=address, now=now)
    try:
        try:
            # Opening once and keeping it open lets a batch share one SMTP session.
            connection.open()
            connection.send_messages([message])
        except Exception:
            _close_quietly(connection)
            raise
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        if 500 <= code < 600:
            raise PermanentFailure(_smtp_reason(code, text)) from None
        raise TemporaryFailure(_smtp_reason(code, text)) from None
    except smtplib.SMTPDataError as error:
        # The server refused this message's content for good (5xx) or for now (4xx).
        failure = PermanentFailure if 500 <= error.smtp_code < 600 else TemporaryFailure
        raise failure(_smtp_reason(error.smtp_code, error.smtp_error)) from None
    except smtplib.SMTPResponseException as error:
        # Sender, authentication or greeting refused: the server or our set-up, not this
        # recipient, so it is worth retrying until an operator fixes it.
        raise TemporaryFailure(_smtp_reason(error.smtp_code, error.smtp_error)) from None
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from None
    except ValueError as error:
        # Django refuses addresses it cannot encode before talking to the server.
        raise PermanentFailure(f"{errors.INVALID_ADDRESS} {error}") from None
