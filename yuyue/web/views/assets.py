"""Files browsers fetch from fixed addresses, outside /static/."""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = "web/favicon.ico"


@cache
def _favicon_bytes() -> bytes:
    found = finders.find(FAVICON)
    if not isinstance(found, str):
        raise FileNotFoundError(FAVICON)
    return Path(found).read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and other clients ask for whatever the pages link."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
