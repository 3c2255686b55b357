"""Errors every service may raise, and the one table from their codes to HTTP statuses.

Each error carries a stable code; `http_status` is what the API, the customer pages and the
seed routes answer for it.
"""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# A message is text, or lazily translated text (gettext_lazy) rendered in the request's language.
Message: TypeAlias = "str | StrPromise"


class DomainError(Exception):
    code = "error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message: "Message | None" = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    """Input that names a field with a problem (HTTP 422); nothing was written."""

    code = "validation_error"
    default_message = _("Some fields are not valid.")

    def __init__(
        self, fields: Mapping[str, Sequence["Message"]], message: "Message | None" = None
    ) -> None:
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        super().__init__(message)

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "InvalidInput":
        if hasattr(error, "error_dict"):
            return cls(error.message_dict)
        return cls({"__all__": error.messages})


class NotAllowed(DomainError):
    """The actor has no right to do this (HTTP 403, or 404 where existence is secret)."""

    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Duplicate(DomainError):
    """Something with this unique name already exists (HTTP 409); `fields` names it."""

    code = "duplicate"
    default_message = _("This already exists.")

    def __init__(
        self, fields: Mapping[str, Sequence["Message"]], message: "Message | None" = None
    ) -> None:
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        super().__init__(message)


class RateLimited(DomainError):
    """Too many requests of one kind (HTTP 429); `wait` is the whole seconds until the next."""

    code = "throttled"
    default_message = _("Too many requests; please wait and try again.")

    def __init__(self, wait: int, message: "Message | None" = None) -> None:
        self.wait = max(1, int(wait))
        super().__init__(message)


# The one table from an error code to its HTTP status. A domain error whose code is not here
# is a conflict with the current state (invalid_transition, cutoff_passed, slot_unavailable, a
# reused idempotency key, and any refusal the services add later): 409, never a 500.
STATUS_OF_CODE = {
    "malformed_request": 400,
    "invalid_credentials": 401,
    "invalid_code": 401,
    "not_authenticated": 401,
    "csrf_failed": 403,
    NotAllowed.code: 403,
    # yuyue.catalog.errors: a business the platform operator suspended; sign-up not open.
    "business_suspended": 403,
    "signup_closed": 403,
    "not_found": 404,
    # yuyue.bookings.errors: a check-in code that names no appointment of the business.
    "checkin_code_unknown": 404,
    "method_not_allowed": 405,
    Duplicate.code: 409,
    "payload_too_large": 413,
    InvalidInput.code: 422,
    "throttled": 429,
    "internal_error": 500,
    "unavailable": 503,
    # WeChat (yuyue.wechat.errors): no mini program here, a bad code, WeChat's limits, WeChat down.
    "wechat_not_configured": 404,
    "wechat_code_invalid": 422,
    "wechat_busy": 429,
    "wechat_unavailable": 503,
    # Booking rules (yuyue.bookings.errors): the business's limits on a customer's bookings,
    # a conflict with the customer's state, not a lack of rights (docs/booking.md#booking-rules).
    "booking_limit": 409,
    "no_show_rule": 409,
    # Payments (yuyue.payments.errors): not set up here, WeChat Pay down.
    "payments_not_configured": 404,
    "payment_unavailable": 503,
}


def http_status(error: "DomainError | str") -> int:
    """The HTTP status of an error (or of an error code)."""
    code = error if isinstance(error, str) else error.code
    return STATUS_OF_CODE.get(code, 409)
