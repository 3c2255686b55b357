"""How a delivery attempt can end badly: worth retrying, or not."""

import datetime as dt

from django.utils.translation import gettext, gettext_noop

# Reasons stored in the log. They are kept in English in the database and translated when the
# back office shows them, so one log reads right in every language.
NO_EMAIL = gettext_noop("No email on file.")
NO_PHONE = gettext_noop("No phone number on file.")
INVALID_ADDRESS = gettext_noop("The address is not valid.")
GAVE_UP = gettext_noop("Gave up after too many attempts.")
CAP_PHONE = gettext_noop("Hourly limit of text messages to this phone reached.")
CAP_BUSINESS = gettext_noop("Hourly limit of text messages for this business reached.")
NOT_CANCELLED = gettext_noop("Skipped: the appointment is not cancelled.")
CANCELLED = gettext_noop("Skipped: the appointment was cancelled.")
OVER = gettext_noop("Skipped: the appointment is over.")
STARTED = gettext_noop("Skipped: the appointment has already started.")
NOT_HOLDING = gettext_noop("Skipped: the appointment no longer holds its time.")
MOVED = gettext_noop("Skipped: the appointment moved.")
SUPERSEDED = gettext_noop("Skipped: a later reminder replaces it.")
OFFER_GONE = gettext_noop("Skipped: the waitlist offer was answered or has lapsed.")
PAST = gettext_noop("Skipped: its time had already passed.")
NO_RECIPIENT = gettext_noop("Skipped: the recipient's account is inactive.")
ERASED = gettext_noop("Skipped: the person's data was erased.")
WECHAT_OFF = gettext_noop("WeChat is not configured on this server.")
NO_WECHAT = gettext_noop("The recipient has no WeChat identity.")
NO_TEMPLATE = gettext_noop("No subscribe-message template is configured for this kind.")
NO_CONSENT = gettext_noop("Skipped: the customer has no mini-program subscription left.")
NO_SMS_TEMPLATE = gettext_noop(
    "Skipped: no Tencent SMS template is configured for this kind of message."
)
AGENDA_PAST = gettext_noop("Skipped: the day of this agenda has begun.")
AGENDA_EMPTY = gettext_noop("Skipped: no appointments that day.")
WECHAT_REFUSED = gettext_noop(
    "Skipped: WeChat says the customer has not accepted this message (43101)."
)

# The head of every "Skipped: …" reason, dropped where the status already says "Skipped".
_SKIPPED_HEAD = gettext_noop("Skipped:")


def reason_text(stored: str) -> str:
    """A stored reason in the reader's language, without a "Skipped:" head (the status beside
    it says so already): "Skipped: the appointment was cancelled." → "The appointment was
    cancelled." / "预约已取消。". A reason the catalogue does not know is shown as stored."""
    if not stored:
        return ""
    text = gettext(stored)
    for head in (gettext(_SKIPPED_HEAD), _SKIPPED_HEAD):
        if text.startswith(head):
            text = text[len(head) :].strip()
            return text[:1].upper() + text[1:]
    return text


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class TemporaryFailure(DeliveryError):
    """Try again later (connection refused, timeouts, SMTP 4xx, HTTP 5xx, caps)."""

    def __init__(self, reason: str, *, not_before: dt.datetime | None = None) -> None:
        self.not_before = not_before
        super().__init__(reason)


class Skipped(DeliveryError):
    """The message must not go, now or later (no consent left); recorded as skipped."""


class PermanentFailure(DeliveryError):
    """Retrying cannot help (SMTP 5xx for the recipient, an invalid or missing address)."""
