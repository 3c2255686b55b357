"""The seed's four routes, kept for its clients and made safe.

`POST /register`, `POST /login`, `POST /appointment` and `GET /appointments` take the seed's
form fields. Asked for JSON (`Accept: application/json`) they answer as the seed did —
`{"status": "success"}` or `{"status": "failed"}` (now with the reason in `error`), and the list
as `[{"appointment_id", "service_name", "appointment_time", "status"}]`. In a browser, /register,
/login and /appointments hand over to the customer pages of yuyue.web; /appointment stays a
small booking form. They act for the default business only.

Who acts: the user of the session cookie that `/login` sets, or of a bearer token. A
`user_id` field naming anyone else is refused; it no longer chooses whom to act for.

CSRF: a form posted with the session cookie must carry the CSRF token (a cookie is sent by the
browser on its own, so without the token another site could post in the user's name). A
bearer token is never sent on its own, so token requests need none. `/register` and `/login`
create credentials rather than use them: JSON clients there are exempt (they have no form to
carry a token, and a cross-site page cannot make a browser keep the session cookie a
cross-site fetch returns, since the cookie is SameSite=Lax); browser forms are checked.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from yuyue.accounts.models import User
from yuyue.accounts.selectors import token_authenticate
from yuyue.accounts.services import token_issue, user_register
from yuyue.api.errors import error_body, error_details
from yuyue.bookings.models import Appointment, Channel, Status
from yuyue.bookings.selectors import appointments_of_customer
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Business, Service
from yuyue.catalog.selectors import business_by_slug, business_services, require_open
from yuyue.lib.errors import DomainError, InvalidInput, http_status
from yuyue.lib.middleware import wants_json
from yuyue.lib.throttle import BookingPerUser, login_throttles, register_throttles, retry_after
from yuyue.lib.times import parse_start
from yuyue.web.views import account, appointments

_booking_throttle = BookingPerUser()


class _Failed(Exception):
    """A seed request refused: the code, message and details of its error."""

    def __init__(self, code: str, message: str, details: dict | None = None, status: int = 0):
        self.code, self.message, self.details = code, message, details
        self.status = status or http_status(code)
        self.retry_after: int | None = None
        super().__init__(message)


def _json_failed(error: _Failed) -> JsonResponse:
    response = JsonResponse(
        {"status": "failed", **error_body(error.code, error.message, error.details)},
        status=error.status,
    )
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def _from_domain(error: DomainError) -> _Failed:
    return _Failed(error.code, str(error.message), error_details(error))


def _check_csrf(request: HttpRequest) -> None:
    middleware = CsrfViewMiddleware(lambda _request: HttpResponse())
    middleware.process_request(request)
    if middleware.process_view(request, None, (), {}) is not None:
        raise _Failed(
            "csrf_failed",
            _("The form expired or came from another site; reload the page and try again."),
        )


def _throttle(throttles: list, request: HttpRequest) -> None:
    wait = retry_after(throttles, request)
    if wait is not None:
        error = _Failed("throttled", _("Too many requests; please wait a moment and try again."))
        error.retry_after = wait
        raise error


def _acting_user(request: HttpRequest) -> User:
    """The bearer token's user, else the session's (whose POSTs must then pass CSRF)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, key = header.partition(" ")
        token = token_authenticate(key.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise _Failed("not_authenticated", _("Log in first."))
        return token.user
    if not request.user.is_authenticated:
        raise _Failed("not_authenticated", _("Log in first."))
    if request.method == "POST":
        _check_csrf(request)
    return request.user


def _refuse_other_user(request: HttpRequest, user: User) -> None:
    named = request.POST.get("user_id") if request.method == "POST" else None
    named = named if named is not None else request.GET.get("user_id")
    if named not in (None, "", str(user.pk)):
        raise _Failed("forbidden", _("You can only act for yourself."))


def _default_business() -> Business:
    business = business_by_slug(settings.YUYUE_DEFAULT_BUSINESS)
    if business is None:
        raise _Failed("not_found", _("This site has no business to book with yet."))
    require_open(business)
    return business


def _service(business: Business, raw: str) -> Service:
    service = None
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        service = business_services(business=business).filter(id=int(raw)).first()
    if service is None:
        raise InvalidInput({"service_id": [_("No such service at this business.")]})
    return service


def _posted(request: HttpRequest, name: str) -> str:
    """A form field; a NUL character (which PostgreSQL cannot even compare) is refused."""
    value = request.POST.get(name, "")
    if "\x00" in value:
        raise _Failed(
            InvalidInput.code,
            str(InvalidInput.default_message),
            {
                "fields": {
                    name: [_("This value has characters or a form that is not allowed here.")]
                }
            },
        )
    return value


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"seed/{template}", context, status=status)


# Views -----------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    """JSON only: browsers get the customer page (yuyue.web), which routes here for JSON."""
    try:
        _throttle(register_throttles(), request)
        user = user_register(
            username=_posted(request, "username"),
            password=_posted(request, "password"),
            phone=_posted(request, "phone"),
            privacy_consent=True,
        )
    except (_Failed, DomainError) as error:
        return _json_failed(error if isinstance(error, _Failed) else _from_domain(error))
    return JsonResponse(
        {"status": "success", "user_id": user.pk, "token": token_issue(user=user).key}
    )


@csrf_exempt
@require_http_methods(["POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """JSON only, as /register; the session it starts serves cookie-keeping clients."""
    try:
        _throttle(login_throttles(), request)
        user = authenticate(
            request,
            username=_posted(request, "username"),
            password=_posted(request, "password"),
        )
        if user is None:
            raise _Failed("invalid_credentials", _("Wrong username or password."))
    except _Failed as failed:
        return _json_failed(failed)
    # A new session key: a session id planted before login is worthless afterwards.
    login(request, user)
    get_token(request)  # sets the CSRF cookie a cookie-keeping client sends back
    return JsonResponse(
        {"status": "success", "user_id": user.pk, "token": token_issue(user=user).key}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def appointment_view(request: HttpRequest) -> HttpResponse:
    as_json = wants_json(request)
    try:
        user = _acting_user(request)
        _refuse_other_user(request, user)
        business = _default_business()
        if request.method == "GET":
            services = business_services(business=business)
            return _page(request, "appointment.html", {"services": services, "values": {}})
        _throttle([_booking_throttle], request)
        service = _service(business, _posted(request, "service_id").strip())
        zone = business.zone
        start = parse_start(
            _posted(request, "appointment_time"), zone=zone, field="appointment_time"
        )
        appointment = appointment_create(
            service=service,
            customer=user,
            start=start,
            channel=Channel.API if as_json else Channel.WEB,
        )
    except (_Failed, DomainError) as error:
        failed = error if isinstance(error, _Failed) else _from_domain(error)
        return _failed_page(request, as_json, failed)
    if as_json:
        return JsonResponse(
            {
                "status": "success",
                "appointment_id": appointment.public_id,
                "appointment_time": appointment.start.astimezone(zone).isoformat(),
            }
        )
    return HttpResponseRedirect(reverse("web:done", args=[appointment.public_id]))


def _failed_page(request: HttpRequest, as_json: bool, failed: _Failed) -> HttpResponse:
    if as_json:
        return _json_failed(failed)
    if failed.code == "not_authenticated":
        return redirect_to_login(request.path)
    business = business_by_slug(settings.YUYUE_DEFAULT_BUSINESS)
    services = business_services(business=business) if business is not None else []
    values = {key: request.POST.get(key, "") for key in ("service_id", "appointment_time")}
    context = {"error": failed, "services": services, "values": values}
    return _page(request, "appointment.html", context, status=failed.status)


def _listed(appointment: Appointment) -> dict[str, Any]:
    zone = appointment.zone
    return {
        "appointment_id": appointment.public_id,
        "service_name": appointment.service.name,
        "appointment_time": appointment.start.astimezone(zone).isoformat(),
        # The seed's statuses were the Chinese words; the label is that, in the request's
        # language, and status_code is the stable name.
        "status": str(Status(appointment.status).label),
        "status_code": appointment.status,
    }


@require_http_methods(["GET"])
def appointments_view(request: HttpRequest) -> HttpResponse:
    """JSON only: browsers get the customer page (yuyue.web), which routes here for JSON."""
    try:
        user = _acting_user(request)
        _refuse_other_user(request, user)
        business = _default_business()
    except _Failed as failed:
        return _json_failed(failed)
    rows = [
        _listed(appointment)
        for appointment in appointments_of_customer(customer=user).filter(business=business)
    ]
    return JsonResponse(rows, safe=False)


# The addresses the seed shares with the customer pages --------------------------------------


@csrf_exempt
def register_route(request: HttpRequest) -> HttpResponse:
    """/register: the seed's JSON answer for API clients, the customer page for browsers."""
    if wants_json(request):
        return register_view(request)
    return account.register_page(request)


@csrf_exempt
def login_route(request: HttpRequest) -> HttpResponse:
    """/login: the seed's JSON answer for API clients, the customer page for browsers."""
    if wants_json(request):
        return login_view(request)
    return account.login_page(request)


@csrf_exempt
def appointments_route(request: HttpRequest) -> HttpResponse:
    """/appointments: the seed's JSON list for API clients, the customer page for browsers."""
    if wants_json(request):
        return appointments_view(request)
    return appointments.appointment_list(request)
