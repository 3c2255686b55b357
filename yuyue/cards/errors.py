"""Domain errors of member cards; none is in lib.errors' table, so each answers 409."""

from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError


class CardUnusable(DomainError):
    """The card cannot pay for this (expired, refunded, not for this service, not enough left)."""

    code = "card_unusable"
    default_message = _("This card cannot pay for this booking.")


class CardBusy(DomainError):
    """The card has uses or credit held by bookings, which must be used or released first."""

    code = "card_busy"
    default_message = _("Bookings still hold part of this card; cancel or finish them first.")
