"""Refusals of the accounts services beyond the shared ones (yuyue.lib.errors)."""

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError


class InvalidCode(DomainError):
    """A texted code that is wrong, used, expired or dead (HTTP 401): the same answer in each
    case and whoever has the phone."""

    code = "invalid_code"
    default_message = _("The code is wrong or has expired. Ask for a new one.")
