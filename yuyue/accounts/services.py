"""Writes to accounts: registration, passwords, API tokens and texted sign-in codes."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, password_validation, user_logged_in
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yuyue.accounts.errors import InvalidCode
from yuyue.accounts.models import ApiToken, Consent, PhoneCode, PrivacyPolicy, User
from yuyue.accounts.phone import normalize_phone
from yuyue.lib.audit import audit
from yuyue.lib.errors import Duplicate, InvalidInput, NotAllowed, RateLimited
from yuyue.lib.throttle import code_request

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
    privacy_consent: bool = False,
) -> User:
    """A new customer account; the phone number is stored in E.164 form, the display name as
    written (optional: the username stands in for it). `privacy_consent`: the person agreed to
    the privacy policy in force as they registered (recorded with the account).

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
    if privacy_consent:
        consent_record(actor=user, occasion=Consent.Occasion.REGISTRATION)
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


# Phone codes ---------------------------------------------------------------------------------
# A six-digit code texted to a phone proves the phone, nothing more: the first sign-in by code
# makes an account whose verified phone it is; an older account that merely carries the number
# (typed at registration, never proved) is not handed over and keeps its password sign-in.

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=5)
CODE_MAX_TRIES = 5
_CODE_SALT = "yuyue.accounts.PhoneCode"
_NO_VERIFIED_ACCOUNT = _lazy(
    "No account has proved this phone yet; sign in with a code to make one."
)


@dataclass(frozen=True)
class IssuedCode:
    """A new code and its row: the only moment the code exists outside the text message."""

    code: str
    row: PhoneCode


def hash_code(*, phone: str, purpose: str, code: str) -> str:
    # Keyed with SECRET_KEY: a million codes are quick to try against a plain hash, so a copy
    # of the table alone must not give them away.
    return salted_hmac(_CODE_SALT, f"{phone}\n{purpose}\n{code}", algorithm="sha256").hexdigest()


def _phone_of(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except ValidationError as error:
        raise InvalidInput({"phone": error.messages}) from None


def _purpose_of(purpose: str) -> str:
    if purpose not in PhoneCode.Purpose.values:
        raise InvalidInput({"purpose": [_("Choose login or reset.")]})
    return purpose


@transaction.atomic
def phone_code_issue(
    *, phone: str, purpose: str, ip: str, now: dt.datetime | None = None
) -> IssuedCode:
    """A new code for `phone`, within the limits (yuyue.lib.throttle.code_request); earlier
    live codes for the same phone and purpose die. Raises InvalidInput or RateLimited.

    Whether an account has the phone changes nothing here: the same answer either way.
    """
    phone, purpose = _phone_of(phone), _purpose_of(purpose)
    wait = code_request(ip=ip, to=phone)
    if wait is not None:
        raise RateLimited(
            wait, _("Please wait %(n)d seconds before asking for another code.") % {"n": wait}
        )
    now = now or timezone.now()
    # Yesterday's codes are of no use to anyone: each request clears its phone's.
    PhoneCode.objects.filter(phone=phone, created_at__lt=now - dt.timedelta(days=1)).delete()
    PhoneCode.objects.filter(
        phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=hash_code(phone=phone, purpose=purpose, code=code),
        created_at=now,
        expires_at=now + CODE_TTL,
        ip=ip[:64],
    )
    audit("phone_code.issued", phone=mask_phone(phone), purpose=purpose)
    return IssuedCode(code=code, row=row)


def mask_phone(phone: str) -> str:
    """For logs: enough to help a person on the phone, not a directory."""
    return f"{phone[:-8]}****{phone[-4:]}" if len(phone) > 8 else "****"


def _code_consume(*, phone: str, purpose: str, code: str, now: dt.datetime) -> bool:
    """Use up the newest live code if `code` is it; a wrong guess counts a try (the fifth kills
    it). Runs inside the caller's transaction, which must commit a wrong try."""
    row = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return False
    if row.tries >= CODE_MAX_TRIES:
        return False
    given = (code or "").strip()
    if not constant_time_compare(
        row.code_hash, hash_code(phone=phone, purpose=purpose, code=given)
    ):
        PhoneCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
        return False
    PhoneCode.objects.filter(pk=row.pk).update(used_at=now)
    return True


def verified_account(*, phone: str) -> User | None:
    """The active account whose verified phone this is (at most one: a constraint)."""
    return User.objects.filter(phone=phone, phone_verified=True, is_active=True).first()


def user_for_verified_phone(*, phone: str, language: str | None = None) -> User:
    """The active account whose verified phone this is, made now if there is none.

    Two first sign-ins at once both try to insert; the constraint lets one in and the other
    takes the winner's account.
    """
    phone = _phone_of(phone)
    for _attempt in range(3):
        user = verified_account(phone=phone)
        if user is not None:
            return user
        user = User(username=_free_username(), phone=phone, phone_verified=True)
        if language in dict(User._meta.get_field("language").choices):
            user.language = language
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save(force_insert=True)
        except IntegrityError:
            continue
        audit("account.created_by_phone", actor=user, phone=mask_phone(phone))
        return user
    raise RuntimeError("no account for a verified phone after three attempts")


def _free_username() -> str:
    # Random, so that it tells nothing about the phone; the person may never see it.
    while True:
        name = f"u{secrets.token_hex(5)}"
        if not User.objects.filter(username__iexact=name).exists():
            return name


def phone_code_verify(
    *,
    phone: str,
    code: str,
    purpose: str = PhoneCode.Purpose.LOGIN,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> User:
    """The account a right code signs in to: the one whose verified phone it is, else a new
    one (purpose login). Raises InvalidInput for a malformed phone, else InvalidCode for a
    wrong, used, expired or dead code, the same whoever has the phone. The caller tells whoever
    must learn that the phone is proved (yuyue.notifications.codes.phone_proved).
    """
    phone, purpose = _phone_of(phone), _purpose_of(purpose)
    now = now or timezone.now()
    with transaction.atomic():
        used = _code_consume(phone=phone, purpose=purpose, code=code, now=now)
    if not used:
        audit("phone_code.wrong", actor="-", phone=mask_phone(phone), purpose=purpose)
        raise InvalidCode()
    if purpose == PhoneCode.Purpose.RESET:
        user = verified_account(phone=phone)
        if user is None:
            raise InvalidInput({"phone": [_NO_VERIFIED_ACCOUNT]})
        return user
    return user_for_verified_phone(phone=phone, language=language)


def password_reset_by_code(*, phone: str, code: str, new_password: str) -> User:
    """A new password for the account whose verified phone it is; its API tokens die.

    A wrong code stays counted; a password refused after the right code gives the code back,
    so a weak password does not cost the person their code.
    """
    phone = _phone_of(phone)
    _check_password(new_password, User(phone=phone), field="new_password")
    refusal: InvalidInput | None = None
    user: User | None = None
    with transaction.atomic():
        used = _code_consume(
            phone=phone, purpose=PhoneCode.Purpose.RESET, code=code, now=timezone.now()
        )
        if used:
            user = verified_account(phone=phone)
            try:
                if user is None:
                    raise InvalidInput({"phone": [_NO_VERIFIED_ACCOUNT]})
                _check_password(new_password, user, field="new_password")
            except InvalidInput as error:
                refusal = error
                transaction.set_rollback(True)
            else:
                user_set_password(user=user, password=new_password)
    if not used:
        audit("phone_code.wrong", actor="-", phone=mask_phone(phone), purpose="reset")
        raise InvalidCode()
    if refusal is not None or user is None:
        raise refusal or InvalidInput({"phone": [_NO_VERIFIED_ACCOUNT]})
    audit("password.reset_by_code", actor=user)
    return user


MAX_POLICY_LENGTH = 100_000


@transaction.atomic
def privacy_policy_publish(
    *, actor: User, body_zh: str, body_en: str, effective_at: dt.datetime | None = None
) -> PrivacyPolicy:
    """A new version of the privacy policy (the platform operator's); in force from
    `effective_at` (now by default). Earlier versions stay as they were, for their consents."""
    if not (actor.is_active and actor.is_superuser):
        raise NotAllowed()
    errors: dict[str, list[str]] = {}
    for field, text in (("body_zh", body_zh), ("body_en", body_en)):
        if not text.strip():
            errors[field] = [_("Write the policy.")]
        elif len(text) > MAX_POLICY_LENGTH or "\x00" in text:
            errors[field] = [_("At most %(n)d characters.") % {"n": MAX_POLICY_LENGTH}]
    if errors:
        raise InvalidInput(errors)
    # Locked so two publications at once do not take the same number.
    latest = PrivacyPolicy.objects.select_for_update().order_by("-version").first()
    return PrivacyPolicy.objects.create(
        version=(latest.version if latest else 0) + 1,
        body_zh=body_zh.strip(),
        body_en=body_en.strip(),
        effective_at=effective_at or timezone.now(),
    )


@transaction.atomic
def consent_record(*, actor: User, occasion: str, now: dt.datetime | None = None) -> Consent | None:
    """Record that `actor` agreed to the privacy policy in force, on `occasion`.

    Once per version and occasion: recording again returns the first record. None when no
    policy is in force (the operator removed them all), which there is then nothing to agree to.
    """
    if occasion not in Consent.Occasion.values:
        raise InvalidInput({"occasion": [_("Unknown occasion.")]})
    now = now or timezone.now()
    policy = PrivacyPolicy.in_force(now)
    if policy is None or actor.pk is None:
        return None
    consent, _created = Consent.objects.get_or_create(
        user=actor, policy=policy, occasion=occasion, defaults={"accepted_at": now}
    )
    return consent


def consent_record_at_booking(*, actor: User, now: dt.datetime) -> None:
    """At a person's own booking: their consent to the policy in force, unless already given
    at a booking (so once per version: the first booking after a new version records it).

    One statement on the booking's hot path: INSERT … SELECT the version in force, doing
    nothing when the row exists (the unique constraint), so two first bookings at once
    record it once and neither fails.
    """
    q = connection.ops.quote_name
    consent, policy = Consent._meta.db_table, PrivacyPolicy._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    # "WHERE true" before ON CONFLICT keeps SQLite from reading ON as a join's.
    sql = (
        f"INSERT INTO {q(consent)} ({q('user_id')}, {q('policy_id')}, {q('occasion')}, "
        f"{q('accepted_at')}) SELECT %s, p.{q('id')}, %s, %s FROM (SELECT {q('id')} FROM "
        f"{q(policy)} WHERE {q('effective_at')} <= %s ORDER BY {q('version')} DESC LIMIT 1) "
        f"AS p WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [actor.pk, Consent.Occasion.BOOKING.value, at, at])
