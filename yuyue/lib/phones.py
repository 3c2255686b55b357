"""The one default region for reading phone numbers, and a quiet E.164 reading for code that
must not fail (throttle keys). yuyue.accounts.phone gives people the errors."""

import phonenumbers

DEFAULT_REGION = "CN"


def e164_or_none(text: object) -> str | None:
    """The number in E.164 form when `text` is a valid phone number, else None."""
    if not isinstance(text, str) or not 0 < len(text.strip()) <= 32:
        return None
    try:
        number = phonenumbers.parse(text.strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
