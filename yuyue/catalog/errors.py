"""Refusals of the catalog's services."""

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError


class InvitationUnusable(DomainError):
    """Unknown, expired, revoked or already accepted: one answer for all, so that a guessed
    token learns nothing (HTTP 409)."""

    code = "invitation_unusable"
    default_message = _(
        "This invitation cannot be used: it is unknown, expired, withdrawn or already accepted."
    )


class BusinessSuspended(DomainError):
    """The platform operator has suspended this business: its pages and API refuse (HTTP 403),
    nothing of it is deleted."""

    code = "business_suspended"
    default_message = _(
        "This business is closed on this site for now: it takes no bookings. "
        "Please contact the business directly."
    )


class SignupClosed(DomainError):
    """Nobody may open a business here now (YUYUE_SIGNUP=closed), or not without a valid
    sign-up invitation (YUYUE_SIGNUP=invite): HTTP 403."""

    code = "signup_closed"
    default_message = _("Opening a business on this site is closed.")
