"""Domain errors of the payments services; each code maps to HTTP in yuyue/lib/errors.py."""

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError


class PaymentsNotConfigured(DomainError):
    code = "payments_not_configured"
    default_message = _("Online payment is not set up on this server.")


class PaymentUnavailable(DomainError):
    code = "payment_unavailable"
    default_message = _("WeChat Pay cannot be reached just now; please try again shortly.")


class NothingToPay(DomainError):
    code = "nothing_to_pay"
    default_message = _("This appointment has nothing to pay online.")


class RefundChanged(DomainError):
    """What a cancellation would give back is no longer what the caller was shown (the
    cut-off passed meanwhile): nothing is cancelled, they read the new terms first (HTTP 409)."""

    code = "refund_changed"
    default_message = _(
        "What comes back if you cancel has changed since it was shown; nothing was cancelled. "
        "Read the new terms and confirm again."
    )


class NotifyRefused(Exception):
    """A notification from WeChat Pay (or someone pretending) that changes nothing."""

    def __init__(self, status: int, message: str, *, reason: str) -> None:
        self.status = status
        self.message = message
        self.reason = reason  # for the audit log
        super().__init__(message)
