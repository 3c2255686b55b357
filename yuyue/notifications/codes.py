"""Texting a sign-in code: made by yuyue.accounts (phone_code_issue), sent here, at once.

Codes go out synchronously through the text provider, not through the outbox: a person is
waiting with the page open and the code dies in five minutes, so a text the dispatcher retries
later is worth nothing; the outbox's rows also belong to an appointment, which a code has not;
and the person must learn now when the gateway is down (503), not wait for a text that never
comes. In production the console provider sends no codes (it would only log them).

The provider sees kind "code" with one value, `code` (plus the whole `text` for gateways that
send plain text), so a vendor's approved template maps onto it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.models import PhoneCode, User
from yuyue.accounts.services import (
    CODE_TTL,
    mask_phone,
    password_reset_by_code,
    phone_code_issue,
    phone_code_verify,
)
from yuyue.customers.services import customer_link_verified_phone
from yuyue.lib.audit import audit
from yuyue.lib.errors import DomainError
from yuyue.notifications.errors import DeliveryError
from yuyue.notifications.providers import text_provider

KIND = "code"


class CodeNotSent(DomainError):
    """The text provider could not take the code now (HTTP 503); asking again may work."""

    code = "unavailable"
    default_message = _("The text message could not be sent just now; please try again shortly.")


def code_text(*, code: str) -> str:
    """The message, in the active language."""
    minutes = int(CODE_TTL.total_seconds() // 60)
    text = render_to_string(f"notifications/sms/{KIND}.txt", {"code": code, "minutes": minutes})
    return " ".join(text.split())


def phone_code_send(*, phone: str, purpose: str, ip: str) -> str:
    """Make a code for `phone` and text it now, in the active language; returns the phone in
    E.164 form.

    Raises InvalidInput (the phone), RateLimited (too soon, too many) or CodeNotSent. Whether an
    account has the phone changes nothing: every phone that asks within the limits gets a code.
    """
    if settings.PRODUCTION and settings.NOTIFY_SMS_PROVIDER == "console":
        # The console only logs: in production a code there reaches nobody but whoever reads
        # the logs, who could then sign in as anyone. Say plainly that no text goes out.
        audit("phone_code.not_sent", phone=mask_phone(phone), reason="console provider")
        raise CodeNotSent()
    issued = phone_code_issue(phone=phone, purpose=purpose, ip=ip)
    language = translation.get_language() or "zh-hans"
    message_id = f"<code-{issued.row.pk}@yuyue.codes>"
    params = {
        "code": issued.code,
        # Tencent's approved code templates read "{1} is your code, valid {2} minutes".
        "minutes": str(int(CODE_TTL.total_seconds() // 60)),
        "language": language,
        "text": code_text(code=issued.code),
    }
    try:
        provider_id = text_provider().send(
            to=issued.row.phone, template=KIND, params=params, message_id=message_id
        )
    except DeliveryError as error:
        audit(
            "phone_code.not_sent",
            phone=mask_phone(issued.row.phone),
            purpose=issued.row.purpose,
            reason=str(error)[:300],
        )
        raise CodeNotSent() from None
    audit(
        "phone_code.sent",
        phone=mask_phone(issued.row.phone),
        purpose=issued.row.purpose,
        provider_id=provider_id,
    )
    return issued.row.phone


def phone_code_sign_in(*, phone: str, code: str, language: str | None = None) -> User:
    """The account a right login code signs in to (made on first use); see phone_code_verify.
    Every sign-in by code, on every route, passes here."""
    user = phone_code_verify(
        phone=phone, code=code, purpose=PhoneCode.Purpose.LOGIN, language=language
    )
    phone_proved(user=user)
    return user


def phone_code_reset_password(*, phone: str, code: str, new_password: str) -> User:
    """A new password by a reset code; see password_reset_by_code."""
    user = password_reset_by_code(phone=phone, code=code, new_password=new_password)
    phone_proved(user=user)
    return user


def phone_proved(*, user: User) -> None:
    """The one place that learns a person has just proved their phone with a code: the
    businesses' customer records of this phone link to the account (and their appointments
    with them)."""
    customer_link_verified_phone(user=user, phone=user.phone)
