"""Reads about accounts."""

import datetime as dt

from django.utils import timezone
from django.utils.crypto import constant_time_compare

from yuyue.accounts.models import ApiToken, PrivacyPolicy
from yuyue.accounts.services import (
    KEY_PREFIX,
    hash_key,
    password_fingerprint,
    token_revoke,
    token_touch,
)

# Writing last_used_at on every request would turn each read into a write; once a few
# minutes is precise enough to tell a live token from an abandoned one.
TOUCH_EVERY = dt.timedelta(minutes=5)
MAX_KEY_LENGTH = 200


def token_authenticate(key: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token for a bearer key (with its user), or None.

    A token is dead when it expired, its user was deactivated, or the user's password changed
    since it was issued; a dead token found here is deleted.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > MAX_KEY_LENGTH:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        return None
    user = token.user
    alive = (
        token.expires_at > now
        and user.is_active
        and constant_time_compare(token.password_fingerprint, password_fingerprint(user))
    )
    if not alive:
        token_revoke(token=token)
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token_touch(token=token, now=now)
    return token


def current_privacy_policy(*, now: dt.datetime | None = None) -> PrivacyPolicy | None:
    """The privacy policy in force: the highest version whose time has come."""
    return PrivacyPolicy.in_force(now or timezone.now())
