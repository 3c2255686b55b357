"""Small helpers every customer page uses: the default business, safe redirects, rendering."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_by_slug


def default_business() -> Business | None:
    return business_by_slug(settings.YUYUE_DEFAULT_BUSINESS)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the `next` the page carried, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = dict(context or {})
    if "business" not in context:
        context["business"] = default_business()
    return render(request, f"web/{template}", context, status=status)


def problem(
    request: HttpRequest, title: str, message: str, status: int, back_url: str = ""
) -> HttpResponse:
    """A page that says what went wrong and where to go on, with the matching status."""
    context = {"title": title, "message": message, "back_url": back_url}
    return page(request, "problem.html", context, status=status)


def no_time_chosen(request: HttpRequest, back_url: str) -> HttpResponse:
    """A confirm link or form without a usable time (edited, truncated, out of range)."""
    return problem(
        request,
        _("Choose a time"),
        _("That link does not name a time to book. Please choose one from the list."),
        status=400,
        back_url=back_url,
    )
