"""The pages for refused requests, in the site's own look (and within its CSP)."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yuyue.lib.middleware import database_unavailable, error_response, wants_json
from yuyue.webkit.pages import problem


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form without a valid CSRF token: usually one left open too long, or from elsewhere."""
    return problem(
        request,
        _("Please try again"),
        _("The form expired or came from another site; reload the page and try again."),
        status=403,
        back_url=request.path if request.method == "GET" else reverse("web:home"),
    )


def is_outage(error: BaseException | None) -> bool:
    """The database cannot be reached (down, restarting, locked), as opposed to a bug."""
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ if isinstance(error, DatabaseError) else None
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is 503 with Retry-After; anything else is our bug (500),
    answered in the error shape to JSON clients and with the site's page to browsers."""
    error = sys.exc_info()[1]
    if is_outage(error):
        return database_unavailable(request)
    if wants_json(request):
        return error_response(
            request,
            status=500,
            code="internal_error",
            title=_("Something went wrong"),
            message=_("Something went wrong on our side."),
        )
    # The plain template: the page must render even when the database is what failed.
    return render(request, "500.html", status=500)
