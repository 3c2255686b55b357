"""What back-office pages read from a request, and the refusal page; rendering is
yuyue.webkit.pages'."""

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from yuyue.backoffice.desk import Desk
from yuyue.webkit.pages import MAX_ID, problem

# Dates a calendar may show: wide enough for any real business, narrow enough that no
# arithmetic on them overflows.
EARLIEST_DAY, LATEST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def refused(request: HttpRequest, desk: Desk, message: str) -> HttpResponse:
    return problem(
        request,
        _("Not allowed"),
        message,
        status=403,
        desk=desk,
        template="backoffice/problem.html",
    )


# Room for a form's other fields beside its photo.
FORM_ALLOWANCE = 1024 * 1024


def upload_too_large(request: HttpRequest, desk: Desk) -> HttpResponse | None:
    """A 413 page, before anything of the body is read, when a form with a photo is larger
    than any photo we accept could make it (Django would otherwise spool it all to disk)."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    size = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size <= limit + FORM_ALLOWANCE:
        return None
    return problem(
        request,
        _("The upload is too large"),
        _("A photo may be at most %(size)s. Choose a smaller one and try again.")
        % {"size": filesizeformat(limit)},
        status=413,
        desk=desk,
        template="backoffice/problem.html",
    )


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
