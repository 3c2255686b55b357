"""Phone numbers: parsed with Google's libphonenumber, China as the default region, stored E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CN"


def normalize_phone(raw: str) -> str:
    """Return the number in E.164 form, or raise ValidationError naming the problem."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > 32:
        raise ValidationError(_("The phone number is too long."), code="max_length")
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Enter a valid phone number."), code="invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)
