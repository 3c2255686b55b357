"""Rendering helpers every back-office page uses."""

import datetime as dt
import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yuyue.backoffice.desk import Desk

# Ids beyond a 64-bit integer name nothing; some databases cannot even compare them.
MAX_ID = 2**63 - 1
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Dates a calendar may show: wide enough for any real business, narrow enough that no
# arithmetic on them overflows.
EARLIEST_DAY, LATEST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def page(
    request: HttpRequest,
    desk: Desk | None,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = dict(context or {})
    context["desk"] = desk
    context["business"] = None if desk is None else desk.business
    return render(request, f"backoffice/{template}", context, status=status)


def problem(
    request: HttpRequest, desk: Desk | None, title: str, message: str, status: int
) -> HttpResponse:
    return page(request, desk, "problem.html", {"title": title, "message": message}, status)


def refused(request: HttpRequest, desk: Desk, message: str) -> HttpResponse:
    return problem(request, desk, _("Not allowed"), message, status=403)


def an_id(raw: str | None) -> int | None:
    """A positive database id from a query value, or None for anything else."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def a_day(raw: str | None) -> dt.date | None:
    if not raw or not raw.isascii():
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def id_or_404(raw: int) -> int:
    if not 0 < raw <= MAX_ID:
        raise Http404
    return raw
