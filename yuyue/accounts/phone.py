"""Phone numbers: parsed with Google's libphonenumber, China as the default region, stored E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yuyue.lib.phones import DEFAULT_REGION


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


def phone_region(value: str, default: str = DEFAULT_REGION) -> str:
    """The country of a stored number ("+862162881234" → "CN"), else `default`."""
    try:
        number = phonenumbers.parse(value or "", default)
    except phonenumbers.NumberParseException:
        return default
    return phonenumbers.region_code_for_number(number) or default


def phone_display(value: str, *, home_region: str = DEFAULT_REGION) -> tuple[str, str]:
    """(what to show, what to dial) for a stored number: national format for numbers of
    `home_region` ("021 6288 1234"), international for others ("+1 212-555-0100"), the
    E.164 form to dial. A number that does not parse is shown and dialled as written."""
    text = (value or "").strip()
    try:
        number = phonenumbers.parse(text, home_region)
    except phonenumbers.NumberParseException:
        return text, text
    if not phonenumbers.is_possible_number(number):
        return text, text
    home = phonenumbers.region_code_for_number(number) == home_region
    shown = phonenumbers.format_number(
        number,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )
    return shown, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
