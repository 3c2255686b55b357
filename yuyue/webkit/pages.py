"""Rendering and reading requests, for the customer pages and the back office alike."""

import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_by_slug

# Ids beyond a 64-bit integer name nothing; some databases cannot even compare them.
MAX_ID = 2**63 - 1
# Public ids are URL-safe base64; anything else (a NUL, say, which PostgreSQL cannot even
# compare) names nothing.
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def default_business() -> Business | None:
    return business_by_slug(settings.YUYUE_DEFAULT_BUSINESS)


def page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    *,
    desk: Any = None,
) -> HttpResponse:
    """Render `template` ("web/book.html", "backoffice/day.html"). The header names a business:
    the back-office desk's, else the one the page is about, else the site's default."""
    context = {"desk": desk, **(context or {})}
    if "business" not in context:
        context["business"] = desk.business if desk is not None else default_business()
    return render(request, template, context, status=status)


def problem(
    request: HttpRequest,
    title: str,
    message: str,
    status: int,
    back_url: str = "",
    *,
    desk: Any = None,
    template: str = "web/problem.html",
) -> HttpResponse:
    """A page that says what went wrong and where to go on, with the matching status."""
    context = {"title": title, "message": message, "back_url": back_url}
    return page(request, template, context, status=status, desk=desk)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the `next` the page carried, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def with_query(path: str, **params: object) -> str:
    values = {key: str(value) for key, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(values)}" if values else path


def an_id(raw: str | None) -> int | None:
    """A positive database id from a query or form value, or None for anything else."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None
