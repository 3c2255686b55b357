"""Writes to accounts: registration, passwords and API tokens."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, password_validation, user_logged_in
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import ApiToken, User
from yuyue.accounts.phone import normalize_phone
from yuyue.lib.errors import Duplicate, InvalidInput

# A recognisable prefix lets secret scanners spot a leaked key.
KEY_PREFIX = "yuyue_"
SHOWN_PREFIX_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its key: the only moment the key exists outside the client."""

    key: str
    token: ApiToken


def hash_key(key: str) -> str:
    # The key carries 256 random bits, so a fast hash is enough: nobody can guess a preimage.
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()


def _check_password(password: str, user: User, field: str = "password") -> None:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput({field: [_("At most %(n)d characters.") % {"n": MAX_PASSWORD_LENGTH}]})
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise InvalidInput({field: error.messages}) from None


@transaction.atomic
def user_register(
    *,
    username: str,
    password: str,
    phone: str,
    email: str = "",
    display_name: str = "",
    language: str | None = None,
) -> User:
    """A new customer account; the phone number is stored in E.164 form, the display name as
    written (optional: the username stands in for it).

    Always a new account: a phone typed here proves nothing, so it links no business's
    customer record and takes over no other account (customers/services.py says what does).
    """
    errors: dict[str, list[str]] = {}
    user = User(username=username, email=email.strip(), display_name=" ".join(display_name.split()))
    if language in dict(User._meta.get_field("language").choices):
        user.language = language
    try:
        user.phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if user.email:
        try:
            validate_email(user.email)
        except ValidationError as error:
            errors["email"] = error.messages
    try:
        user.full_clean(
            exclude=["password", "phone", "email"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _check_password(password, user)
    except InvalidInput as error:
        errors.update(error.fields)
    if errors:
        raise InvalidInput(errors)
    if User.objects.filter(username__iexact=username).exists():
        raise Duplicate({"username": [_("This username is taken.")]})
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        # Another registration took the name between the check and the insert.
        raise Duplicate({"username": [_("This username is taken.")]}) from None
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, current_password: str | None = None) -> None:
    """Change a password; every API token of the user dies with the old one.

    With `current_password` (a user changing their own), it must be right.
    """
    if current_password is not None and not user.check_password(current_password):
        raise InvalidInput({"current_password": [_("The current password is wrong.")]})
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """The language of the user's pages and messages: one of settings.LANGUAGES."""
    if language not in dict(User._meta.get_field("language").choices):
        raise InvalidInput({"language": [_("Choose Chinese or English.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def token_issue(*, user: User, now: dt.datetime | None = None) -> IssuedToken:
    """A new API token for `user`, valid for API_TOKEN_TTL_DAYS; expired ones are cleared."""
    now = now or timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        prefix=key[:SHOWN_PREFIX_LENGTH],
        password_fingerprint=password_fingerprint(user),
        expires_at=now + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return IssuedToken(key=key, token=token)


def token_login(*, request: HttpRequest | None, username: str, password: str) -> IssuedToken | None:
    """Check the credentials and issue a token, or None when they are wrong."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        return None
    # Records last_login, as a session login does.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token_issue(user=user)


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def token_touch(*, token: ApiToken, now: dt.datetime) -> None:
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
