"""Refusals any page may raise, answered once for the customer pages and the back office."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from yuyue.catalog.errors import BusinessSuspended
from yuyue.lib.errors import http_status
from yuyue.lib.middleware import error_response, wants_json
from yuyue.webkit.pages import page


class SuspendedBusinesses:
    """A page about a business the platform operator suspended (catalog.selectors.require_open
    raised): a page that says it is closed, or the API's error shape for JSON clients."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if not isinstance(error, BusinessSuspended):
            return None
        status = http_status(error)
        if wants_json(request):
            return error_response(
                request, status=status, code=error.code, title="", message=str(error.message)
            )
        context = {
            "title": _("Closed for now"),
            "message": str(error.message),
            "back_url": "",
            # Not the suspended business's name in the header: it is not open here.
            "business": None,
        }
        return page(request, "web/problem.html", context, status=status)
