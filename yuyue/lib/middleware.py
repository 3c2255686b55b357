"""Answers every route owes whatever app serves it: bodies over the limit, personal responses
kept out of caches. (The database outage answer is the handler500 in yuyue.web.views.errors,
and the API's own handler.) This module imports no app; the JSON it writes is the API's one
error shape, {"error": {"code", "message", "details"}}."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

Handler = Callable[[HttpRequest], HttpResponse]
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
DATABASE_RETRY_AFTER_SECONDS = 5


def wants_json(request: HttpRequest) -> bool:
    """API paths, and clients that ask for JSON rather than a page."""
    if request.path.startswith("/api/"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def stated_language(request: HttpRequest) -> str:
    """The language the request states — the language cookie (the 中文 / English switch), else
    the first supported language of Accept-Language — or "" when it states none.

    Not the language a page is shown in: without either, pages fall back to Chinese, and a
    person who said nothing must not be pinned to it (their messages follow the business).
    """
    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")]
    header = request.headers.get("Accept-Language", "")[:500]
    candidates += [code for code, _quality in parse_accept_lang_header(header) if code != "*"]
    for code in candidates:
        if not code:
            continue
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return ""


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    message: str,
    template: str = "web/problem.html",
) -> HttpResponse:
    """The one error shape for JSON clients, the site's problem page for browsers."""
    if wants_json(request):
        return JsonResponse(
            {"error": {"code": code, "message": str(message), "details": None}}, status=status
        )
    context = {"title": title, "message": message, "back_url": ""}
    return render(request, template, context, status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is down or restarting; the client should retry."""
    response = error_response(
        request,
        status=503,
        code="service_unavailable",
        title=_("Back in a moment"),
        message=_("The service is briefly unavailable; please try again in a few seconds."),
        # A page that reads nothing from the database, which is what is down.
        template="503.html",
    )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def body_limit(get_response: Handler) -> Handler:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413, before anything reads it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return error_response(
                request,
                status=413,
                code="payload_too_large",
                title=_("Too much data"),
                message=_("The request is larger than %(n)d bytes; send less.") % {"n": limit},
            )
        return get_response(request)

    return middleware


def _is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    if request.headers.get("Authorization") or request.method not in _SAFE_METHODS:
        return True
    if response.cookies or "cookie" in response.get("Vary", "").lower():
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def personal_no_store(get_response: Handler) -> Handler:
    """`Cache-Control: private, no-store` on every response that depends on who asks: with a
    token or a logged-in session, any answer to a write, anything that varies on the cookie.
    Public pages and the public catalog stay cacheable; static files never pass here."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if _is_personal(request, response):
            response.headers.pop("Cache-Control", None)
            response.headers.pop("Expires", None)
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
