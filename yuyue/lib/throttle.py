"""Rate limits and login-failure counters, kept in Django's cache.

The cache is shared by every process in every mode: Redis when REDIS_URL is set, else a table
in the database (yuyue.lib.dbcache). Counters are atomic (`cache.add`, then `cache.incr`), so
several processes counting at once never lose a request. A window starts at its first count
and lasts the rate's period.

Logins count failures, not attempts, per (username, address) and per address: an attacker on
another address cannot lock the real user out, and one address is stopped by its limit.
Rates come from settings.API_THROTTLE_RATES on every request. This module imports no app.
"""

import hashlib
import json
import math
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import HttpRequest, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from ninja.throttling import BaseThrottle

from yuyue.lib.phones import e164_or_none

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_RATE = re.compile(r"^(\d+)/(\d*)(s|sec|m|min|h|hour|d|day)$")
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_PREFIX = "yuyue-throttle"


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/15m" → (10 requests, 900 seconds)."""
    match = _RATE.match(rate.strip())
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"A throttle rate looks like 10/m or 5/15m, got {rate!r}")
    return int(match[1]), int(match[2] or 1) * _SECONDS[match[3]]


def rate_of(scope: str) -> tuple[int, int]:
    return parse_rate(settings.API_THROTTLE_RATES[scope])


def check_rates() -> None:
    """Refuse to start with a rate nobody can read."""
    for rate in settings.API_THROTTLE_RATES.values():
        parse_rate(rate)


def client_ip(request: HttpRequest) -> str:
    """The caller's address: the connection's, or the one NUM_PROXIES trusted proxies saw."""
    remote = request.META.get("REMOTE_ADDR") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NINJA_NUM_PROXIES
    if not proxies or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else remote


def counter_key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode("utf-8", "replace")).hexdigest()[:32]
    return f"{_PREFIX}:{scope}:{digest}"


def hit(key: str, period: int) -> tuple[int, float]:
    """Count one more in `key`'s window: (the count now, when the window started)."""
    now = time.time()
    if cache.add(key, 1, period):
        cache.set(f"{key}:t", now, period)
        return 1, now
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add and incr: this count opens the next one.
        cache.add(key, 1, period)
        cache.set(f"{key}:t", now, period)
        return 1, now
    return count, cache.get(f"{key}:t", now)


def peek(key: str) -> tuple[int, float]:
    """The count in `key`'s window and when it started, without counting."""
    now = time.time()
    values = cache.get_many([key, f"{key}:t"])
    return int(values.get(key, 0)), float(values.get(f"{key}:t", now))


def wait_of(started: float, period: int) -> int:
    """Whole seconds until a window that started at `started` ends (at least 1)."""
    return max(1, math.ceil(started + period - time.time()))


# Request rates (ninja throttles, also usable outside ninja) -----------------------------------


class SettingsRateThrottle(BaseThrottle):
    """At most settings.API_THROTTLE_RATES[scope] requests per identity and window."""

    scope = ""

    def __init__(self) -> None:
        # One instance serves every request of an operation; what one request learns (how
        # long to wait) must not leak into another thread's.
        self._local = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        ident = self.ident(request)
        if ident is None:
            return True
        limit, period = rate_of(self.scope)
        count, started = hit(counter_key(self.scope, ident), period)
        if count > limit:
            self._local.wait = float(wait_of(started, period))
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class PerIp(SettingsRateThrottle):
    def ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class PerUsername(SettingsRateThrottle):
    """Counts registrations of one username from wherever they come."""

    def ident(self, request: HttpRequest) -> str | None:
        return username_in(request)


class LoginPerIp(PerIp):
    scope = "login_ip"


class RegisterPerIp(PerIp):
    scope = "register_ip"


class RegisterPerUsername(PerUsername):
    scope = "register_username"


class BookingPerUser(SettingsRateThrottle):
    scope = "booking_user"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False) and user.pk:
            return f"user:{user.pk}"
        return client_ip(request)


class LoginFailureGate(SettingsRateThrottle):
    """Refuses a login while this address has too many failures, for this username or at all.

    Every attempt counts here; the authentication backend gives a success's count back.
    """

    field = "username"

    def allow_request(self, request: HttpRequest) -> bool:
        wait = login_attempt(request, username_in(request, self.field))
        self._local.wait = None if wait is None else float(wait)
        return wait is None


class CodeFailureGate(LoginFailureGate):
    """The same counts for a texted code: the phone stands where the username does."""

    field = "phone"


def login_throttles() -> list[SettingsRateThrottle]:
    return [LoginPerIp(), LoginFailureGate()]


def code_login_throttles() -> list[SettingsRateThrottle]:
    """For routes that sign in (or reset a password) with a texted code."""
    return [LoginPerIp(), CodeFailureGate()]


def register_throttles() -> list[SettingsRateThrottle]:
    return [RegisterPerIp(), RegisterPerUsername()]


def retry_after(throttles: list[SettingsRateThrottle], request: HttpRequest) -> int | None:
    """For views outside ninja: None when allowed, else whole seconds to wait."""
    waits = [t.wait() or 1.0 for t in throttles if not t.allow_request(request)]
    return None if not waits else max(1, int(max(waits) + 0.999))


def username_in(request: HttpRequest, field: str = "username") -> str | None:
    """The username (or phone: `field`) a login or registration names, from a JSON body or a
    form, in its key's form (normal_username).

    Whatever the body holds, this never fails: a body nobody can read names nobody, and the
    endpoint itself then answers it.
    """
    value = None
    try:
        if request.content_type in FORM_TYPES:
            value = request.POST.get(field)
        else:
            data = json.loads(request.body)
            value = data.get(field) if isinstance(data, dict) else None
    except (
        ValueError,
        RecursionError,
        MultiPartParserError,
        RawPostDataException,
        RequestDataTooBig,
    ):
        value = None
    return normal_username(value)


def normal_username(value: object) -> str | None:
    """The key of a login name: every spelling the login lookup could match shares it.

    The lookup matches a phone number however it is written, and a username by `iexact`,
    which PostgreSQL runs as UPPER(a) = UPPER(b): "vıctim" (dotless ı) matches "victim" there,
    while casefold() alone keeps them apart. Upper-casing first folds every pair UPPER joins,
    and casefold() then also joins those that lower() does (the unique constraint's reading).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    phone = e164_or_none(value)
    if phone is not None:
        return phone
    return value.strip().upper().casefold()[:200]


# Texted codes -------------------------------------------------------------------------------


def code_request(*, ip: str, to: str) -> int | None:
    """Count one request for a code or reset link to `to` (a phone, an email address); None when
    it may be sent, else the seconds to wait.

    The address's cap first (every request counts), then one a minute and ten a day per phone.
    Nothing here asks whether an account has the phone, so a refusal tells nobody that either.
    """
    for scope, ident in (("sms_ip", ip), ("sms_resend_phone", to), ("sms_phone_day", to)):
        limit, period = rate_of(scope)
        count, started = hit(counter_key(scope, ident), period)
        if count > limit:
            return wait_of(started, period)
    return None


# Guesses at a short code --------------------------------------------------------------------


def guess_attempt(scope: str, ident: str) -> int | None:
    """Count one guess (a check-in code typed at the counter) by `ident`; None when it may go
    ahead, else the seconds to wait. Counted before the code is looked up, so concurrent
    guesses cannot slip past the limit; a right guess gives its count back (guess_succeeded),
    so only wrong ones stay."""
    limit, period = rate_of(scope)
    count, started = hit(counter_key(scope, ident), period)
    return wait_of(started, period) if count > limit else None


def guess_succeeded(scope: str, ident: str) -> None:
    key = counter_key(scope, ident)
    try:
        if cache.get(key, 0) > 0:
            cache.decr(key)
    except ValueError:
        pass  # the window ended meanwhile


# Login failures ------------------------------------------------------------------------------


def _login_keys(request: HttpRequest, username: object) -> list[tuple[str, str]]:
    ip = client_ip(request)
    keys = [("login_failures_ip", counter_key("login_failures_ip", ip))]
    name = normal_username(username)
    if name is not None:
        ident = f"{name}\n{ip}"
        keys.insert(0, ("login_failures_user_ip", counter_key("login_failures_user_ip", ident)))
    return keys


def login_attempt(request: HttpRequest, username: object) -> int | None:
    """Count one login attempt from this address; None when it may go ahead, else the seconds
    to wait. Counted before the password is checked, so that concurrent guesses cannot slip
    past the limit; a success gives its count back (login_succeeded), so only failures stay.
    """
    waits = []
    for scope, key in _login_keys(request, username):
        limit, period = rate_of(scope)
        count, started = hit(key, period)
        if count > limit:
            waits.append(wait_of(started, period))
    return max(waits) if waits else None


def login_succeeded(request: HttpRequest, username: object) -> None:
    """The right password: this address's failures for this username are forgotten, and the
    attempt no longer counts against the address."""
    keys = _login_keys(request, username)
    if len(keys) == 2:
        cache.delete_many([keys[0][1], f"{keys[0][1]}:t"])
    try:
        if cache.get(keys[-1][1], 0) > 0:
            cache.decr(keys[-1][1])
    except ValueError:
        pass  # the window ended meanwhile
