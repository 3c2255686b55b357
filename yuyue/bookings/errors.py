"""Domain errors of the booking services. Each carries a stable code the API maps to HTTP."""

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError, InvalidInput, NotAllowed
from yuyue.scheduling.engine import Slot

if TYPE_CHECKING:
    from yuyue.bookings.models import Appointment

__all__ = [
    "BookingError",
    "BookingLimitReached",
    "CheckInCodeUnknown",
    "CheckInRefused",
    "CutoffPassed",
    "IdempotencyKeyReused",
    "InvalidInput",
    "InvalidTransition",
    "NoShowRule",
    "NotAllowed",
    "SeriesConflict",
    "SlotUnavailable",
]


class BookingError(DomainError):
    code = "booking_error"
    default_message = _("The booking could not be changed.")


class InvalidTransition(BookingError):
    """The appointment's status does not allow this action (HTTP 409)."""

    code = "invalid_transition"
    default_message = _("This appointment cannot be changed that way in its current status.")


class CutoffPassed(BookingError):
    """A customer tried to cancel or reschedule after the service's cut-off (HTTP 409)."""

    code = "cutoff_passed"
    default_message = _("It is too late to change this appointment online; please call us.")


class IdempotencyKeyReused(BookingError):
    """The idempotency key was already used for a different booking (HTTP 409)."""

    code = "duplicate"
    default_message = _("This idempotency key was already used for a different booking.")


class SlotUnavailable(BookingError):
    """The requested time cannot be booked; carries the nearest free starts (HTTP 409)."""

    code = "slot_unavailable"
    default_message = _("That time is no longer available.")

    def __init__(
        self,
        alternatives: Sequence[Slot] = (),
        message: str | None = None,
        zone: dt.tzinfo | None = None,
    ) -> None:
        self.alternatives = list(alternatives)
        # The zone the alternatives were looked for in: where the client should see them.
        self.zone = zone
        super().__init__(message)


class CheckInCodeUnknown(BookingError):
    """No appointment of this business can be checked in with this code (HTTP 404)."""

    code = "checkin_code_unknown"
    default_message = _("No appointment has this check-in code. Check the digits and try again.")


class CheckInRefused(BookingError):
    """The code names an appointment that cannot be checked in now (HTTP 409): too early or
    too late, awaiting payment, not confirmed, already started, finished or cancelled. Carries
    the appointment, which staff of its business may see."""

    code = "checkin_refused"
    default_message = _("This appointment cannot be checked in now.")

    def __init__(self, message: str, *, appointment: "Appointment") -> None:
        self.appointment = appointment
        super().__init__(message)


class BookingLimitReached(BookingError):
    """The customer holds as many future bookings as the business allows (HTTP 409)."""

    code = "booking_limit"
    default_message = _("You already have as many upcoming bookings as this business allows.")


class NoShowRule(BookingError):
    """The business refuses online bookings after too many no-shows (HTTP 409)."""

    code = "no_show_rule"
    default_message = _(
        "After missed appointments, this business takes your bookings by phone only."
    )


class SeriesConflict(BookingError):
    """Some occurrences of a series cannot be booked as asked; nothing was booked (HTTP 409).
    Carries, per refused start, its nearest free alternatives."""

    code = "series_conflict"
    default_message = _("Some dates of the series are not free; nothing was booked.")

    def __init__(
        self, conflicts: Sequence[tuple[dt.datetime, Sequence[Slot]]], zone: dt.tzinfo
    ) -> None:
        self.conflicts = [(start, list(found)) for start, found in conflicts]
        self.zone = zone
        super().__init__()
