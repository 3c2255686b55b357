"""The customer pages' own answer for a time they cannot read, and how their times name their
zone; rendering is yuyue.webkit.pages'."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from yuyue.lib.localtime import shared_zone
from yuyue.webkit.pages import problem


def times_context(*times: tuple[dt.datetime, str]) -> dict:
    """`zone_note` ("China Standard Time (UTC+08:00)") for a page whose times, (moment, zone
    name), all share one zone and offset: the page names it once (web/_zone_note.html) and its
    labels leave it out (`with_zone` False) and stay on one line (`when_class`); where they
    differ, every time names its own."""
    zone = shared_zone(times)
    # A time without its zone is short enough to keep on one line (class "when").
    return {
        "with_zone": zone is None,
        "zone_note": zone or "",
        "when_class": "" if zone is None else "when",
    }


def no_time_chosen(request: HttpRequest, back_url: str) -> HttpResponse:
    """A confirm link or form without a usable time (edited, truncated, out of range)."""
    return problem(
        request,
        _("Choose a time"),
        _("That link does not name a time to book. Please choose one from the list."),
        status=400,
        back_url=back_url,
    )
