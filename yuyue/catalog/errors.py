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
