"""The pages for refused requests, in the site's own look (and within its CSP)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from yuyue.web.pages import problem


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form without a valid CSRF token: usually one left open too long, or from elsewhere."""
    return problem(
        request,
        _("Please try again"),
        _("The form expired or came from another site; reload the page and try again."),
        status=403,
        back_url=request.path if request.method == "GET" else reverse("web:home"),
    )
