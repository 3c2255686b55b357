import pytest
from django.core.exceptions import ValidationError

from config import settings as project_settings
from yuyue.accounts.phone import normalize_phone


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("+1 212 555 0123", "+12125550123"),
    ],
)
def test_phone_numbers_default_to_china_and_are_stored_e164(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "not a phone", "1" * 40, "+86 138"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.django_db
def test_usernames_are_unique(customer):
    from django.db import IntegrityError, transaction

    from yuyue.accounts.models import User

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="customer", password="x" * 12)
