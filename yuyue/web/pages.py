"""The customer pages' own answer for a time they cannot read; rendering is yuyue.webkit.pages'."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from yuyue.webkit.pages import problem


def no_time_chosen(request: HttpRequest, back_url: str) -> HttpResponse:
    """A confirm link or form without a usable time (edited, truncated, out of range)."""
    return problem(
        request,
        _("Choose a time"),
        _("That link does not name a time to book. Please choose one from the list."),
        status=400,
        back_url=back_url,
    )
