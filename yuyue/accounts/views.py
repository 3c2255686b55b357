"""The back office's login page, guarded like every other login route."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from yuyue.lib.throttle import login_attempt


def _safe(request: HttpRequest, target: str) -> bool:
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@never_cache
def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """Django's admin login, refused while the address has too many failed logins, and with
    an unsafe `next` replaced by the back office's home (Django would send people to a 404)."""
    for source in ("GET", "POST"):
        values = getattr(request, source)
        target = values.get(REDIRECT_FIELD_NAME)
        if target is not None and not _safe(request, target):
            values = values.copy()
            values[REDIRECT_FIELD_NAME] = reverse("admin:index")
            setattr(request, source, values)
    if request.method == "POST":
        wait = login_attempt(request, request.POST.get("username"))
        if wait is not None:
            context = {**admin.site.each_context(request), "wait": wait}
            response = render(request, "accounts/admin_throttled.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
    return admin.site.login(request, extra_context)
