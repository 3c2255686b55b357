"""Password rules whose messages need our own catalogue."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message that is translated.

    Django 5.2 changed the placeholders of this message and its Chinese catalogue still has
    the old ones, so customers would read the only English sentence of a registration.
    """

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short; use at least %(n)d character.",
            "This password is too short; use at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}
