"""The audit log: logins, refusals and appointment changes, one line each on the
"yuyue.audit" logger, with the time in UTC, the actor and the client's address.

Passwords, tokens and secrets never reach it: fields with such names are dropped whatever the
caller passes. The request being served is remembered per thread (and per task) by
`audit_context`, so services can log without being handed the request.
"""

import contextlib
import contextvars
import datetime as dt
import enum
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

from yuyue.lib.throttle import client_ip

logger = logging.getLogger("yuyue.audit")
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "yuyue_audit_request", default=None
)
_SECRET_WORDS = ("password", "token", "secret", "key")
REFUSALS = {401, 403, 429}


def _actor_of(request: HttpRequest | None) -> str:
    user = getattr(request, "user", None) if request is not None else None
    # The API's user is set by its bearer authentication; the session's by the middleware.
    if user is not None and getattr(user, "is_authenticated", False):
        return f"{user.username}#{user.pk}"
    return "-"


def audit(event: str, *, actor: Any = None, **fields: Any) -> None:
    """Log one audit event; `actor` is a user, a name, or None for whoever is logged in."""
    request = _request.get()
    if actor is None:
        who = _actor_of(request)
    elif hasattr(actor, "pk"):
        who = f"{actor.username}#{actor.pk}"
    else:
        who = str(actor)
    # An enum member (a status) is logged as its value, as the database stores it:
    # to_status='confirmed' beside from_status='confirmed', not Status.CONFIRMED.
    safe = {
        name: value.value if isinstance(value, enum.Enum) else value
        for name, value in fields.items()
        if not any(word in name.lower() for word in _SECRET_WORDS)
    }
    record = {
        "event": event,
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "actor": who,
        "address": client_ip(request) if request is not None else "-",
        **safe,
    }
    details = " ".join(f"{name}={value!r}" for name, value in safe.items())
    logger.info(
        "%s actor=%s address=%s time=%s %s",
        event,
        record["actor"],
        record["address"],
        record["time"],
        details,
        extra={"audit": record},
    )


@contextlib.contextmanager
def audit_muted() -> Iterator[None]:
    """No audit lines on the console while the block runs: for a command that writes many
    rows of sample data in one go (`yuyue demo`), whose own summary says what it made."""
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


def audit_context(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Remembers the request for audit lines, and logs every refused request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            response = get_response(request)
            if response.status_code in REFUSALS:
                audit(
                    "access.refused",
                    status=response.status_code,
                    method=request.method,
                    path=request.path,
                )
            return response
        finally:
            _request.reset(token)

    return middleware
