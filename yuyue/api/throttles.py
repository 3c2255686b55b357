"""Rate limits on logins, registrations and bookings, counted in Django's cache.

Rates come from settings.API_THROTTLE_RATES and are read on every request, so a deployment
(or a test) can change them without re-importing anything. The cache is Redis when REDIS_URL
is set, so every app process counts against the same limit.
"""

import hashlib
import json
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from ninja.throttling import BaseThrottle

from yuyue.accounts.models import User

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_RATE = re.compile(r"^(\d+)/(\d*)(s|sec|m|min|h|hour|d|day)$")
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/15m" → (10 requests, 900 seconds)."""
    match = _RATE.match(rate.strip())
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"A throttle rate looks like 10/m or 5/15m, got {rate!r}")
    return int(match[1]), int(match[2] or 1) * _SECONDS[match[3]]


class SettingsRateThrottle(BaseThrottle):
    """A sliding-window limit of settings.API_THROTTLE_RATES[scope] requests per identity."""

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
        count, period = parse_rate(settings.API_THROTTLE_RATES[self.scope])
        digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
        key = f"yuyue-throttle:{self.scope}:{digest}"
        now = time.time()
        history = [moment for moment in cache.get(key, []) if moment > now - period]
        if len(history) >= count:
            self._local.wait = history[-1] + period - now
            return False
        cache.set(key, [now, *history], period)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class _PerIp(SettingsRateThrottle):
    def ident(self, request: HttpRequest) -> str | None:
        return self.get_ident(request)


class _PerUsername(SettingsRateThrottle):
    """Counts attempts on one username from wherever they come (a distributed guesser)."""

    def ident(self, request: HttpRequest) -> str | None:
        return username_in(request)


def username_in(request: HttpRequest) -> str | None:
    """The username a login or registration names, from a JSON body or a form.

    Whatever the body holds, this never fails: a body nobody can read names nobody, and the
    endpoint itself then answers it.
    """
    value = None
    try:
        if request.content_type in FORM_TYPES:
            value = request.POST.get("username")
        else:
            data = json.loads(request.body)
            value = data.get("username") if isinstance(data, dict) else None
    except (ValueError, MultiPartParserError, RawPostDataException):
        value = None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().casefold()[:200]


class LoginPerIp(_PerIp):
    scope = "login_ip"


class LoginPerUsername(_PerUsername):
    scope = "login_username"


class RegisterPerIp(_PerIp):
    scope = "register_ip"


class RegisterPerUsername(_PerUsername):
    scope = "register_username"


class BookingPerUser(SettingsRateThrottle):
    scope = "booking_user"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            return f"user:{user.pk}"
        return self.get_ident(request)


def login_throttles() -> list[SettingsRateThrottle]:
    return [LoginPerIp(), LoginPerUsername()]


def register_throttles() -> list[SettingsRateThrottle]:
    return [RegisterPerIp(), RegisterPerUsername()]


def retry_after(throttles: list[SettingsRateThrottle], request: HttpRequest) -> int | None:
    """For views outside ninja: None when allowed, else whole seconds to wait."""
    waits = [t.wait() or 1.0 for t in throttles if not t.allow_request(request)]
    return None if not waits else max(1, int(max(waits) + 0.999))


def check_rates() -> None:
    """Refuse to start with a rate nobody can read."""
    for rate in settings.API_THROTTLE_RATES.values():
        parse_rate(rate)
