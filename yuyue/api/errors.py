"""Every failure of the API in one shape: {"error": {"code", "message", "details"}}.

Domain errors from the services map to HTTP here and nowhere else; endpoints just let them
rise. Messages are translated into the request's language (LocaleMiddleware chose it).
"""

import datetime as dt
import logging
import math
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from yuyue.bookings.errors import CheckInRefused, SeriesConflict, SlotUnavailable
from yuyue.lib.errors import DomainError, Duplicate, InvalidInput, NotAllowed, http_status
from yuyue.lib.middleware import database_unavailable
from yuyue.scheduling.engine import Slot

logger = logging.getLogger("yuyue.api")


class ApiError(Exception):
    """An error an endpoint raises itself, with its status, code and message."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        super().__init__(message)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details}}


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> HttpResponse:
    response = JsonResponse(error_body(code, message, details), status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def slot_out(slot: Slot, zone: dt.tzinfo) -> dict[str, Any]:
    return {
        "start": slot.start.astimezone(zone),
        "end": slot.end.astimezone(zone),
        "staff_ids": list(slot.staff_ids),
        "remaining": slot.remaining,
    }


# Domain errors ------------------------------------------------------------------------------


def error_details(error: DomainError) -> dict[str, Any] | None:
    """What a client needs beyond the message: the fields at fault, or the alternatives."""
    if isinstance(error, InvalidInput | Duplicate):
        return {"fields": error.fields}
    if isinstance(error, SlotUnavailable):
        return {"alternatives": alternatives_of(error, error.zone or dt.UTC)}
    if isinstance(error, CheckInRefused):
        # Only the business's staff get this far (appointment_check_in checks first).
        return {"appointment_id": error.appointment.public_id, "status": error.appointment.status}
    if isinstance(error, SeriesConflict):
        return {
            "conflicts": [
                {
                    "start": start.astimezone(error.zone).isoformat(),
                    "alternatives": slots_json(found, error.zone),
                }
                for start, found in error.conflicts
            ]
        }
    return None


def _domain(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_response(http_status(error), error.code, str(error.message), error_details(error))


def alternatives_of(error: SlotUnavailable, zone: dt.tzinfo) -> list[dict[str, Any]]:
    """The nearest free starts of a refusal, as JSON, with the offset of `zone`."""
    return slots_json(error.alternatives, zone)


def slots_json(slots: Sequence[Slot], zone: dt.tzinfo) -> list[dict[str, Any]]:
    """Slots as JSON, with the offset of `zone`."""
    return [
        {
            key: value.isoformat() if isinstance(value, dt.datetime) else value
            for key, value in slot_out(slot, zone).items()
        }
        for slot in slots
    ]


# Request validation ----------------------------------------------------------------------------


def _field_name(location: tuple) -> str:
    source, *rest = location or ("body",)
    if source == "body" and rest and rest[0] == "payload":
        rest = rest[1:]
    if not rest:
        return "body" if source == "body" else str(source)
    return str(rest[0])


def _message(problem: dict[str, Any]) -> str:
    kind = problem.get("type", "")
    ctx = problem.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"string_too_short", "too_short"}:
        return _("At least %(n)s characters.") % {
            "n": ctx.get("min_length", ctx.get("min_items", 1))
        }
    if kind in {"string_too_long", "too_long"}:
        return _("At most %(n)s characters.") % {
            "n": ctx.get("max_length", ctx.get("max_items", ""))
        }
    if kind == "string_pattern_mismatch":
        return _("This value has characters or a form that is not allowed here.")
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return _("Must be at least %(n)s.") % {"n": bound}
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return _("Must be at most %(n)s.") % {"n": bound}
    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind == "string_type":
        return _("Enter text.")
    if kind in {"list_type", "tuple_type"}:
        return _("Give a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Give an object.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("This value is not valid.")


def validation_fields(problems: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for problem in problems:
        messages = fields.setdefault(_field_name(tuple(problem.get("loc", ()))), [])
        message = _message(problem)
        if message not in messages:
            messages.append(message)
    return fields


def _validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return error_response(
        422,
        InvalidInput.code,
        str(InvalidInput.default_message),
        {"fields": validation_fields(error.errors)},
    )


# Framework errors ------------------------------------------------------------------------------


def _http(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error, Throttled):
        response = error_response(
            429, "throttled", _("Too many requests; please wait a moment and try again.")
        )
        # Ninja overwrites this with its own estimate when it has one; never leave it out.
        response["Retry-After"] = str(max(1, math.ceil(error.wait or 1)))
        return response
    if isinstance(error, AuthenticationError):
        return error_response(
            401, "not_authenticated", _("Log in first: send Authorization: Bearer <token>.")
        )
    if error.status_code == 400:
        return error_response(400, "malformed_request", _("The request body is not valid JSON."))
    if error.status_code == 403:
        return error_response(403, NotAllowed.code, str(NotAllowed.default_message))
    if error.status_code == 404:
        return _not_found(request, error)
    return error_response(error.status_code, "error", str(error))


def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return error_response(error.status, error.code, error.message, error.details)


def _not_found(request: HttpRequest, error: Exception | None = None) -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))


def _unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    # Every input must have a deliberate answer; reaching this is a bug to fix, so it is
    # logged with its traceback, while the client still gets the one error shape.
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return error_response(500, "internal_error", _("Something went wrong on our side."))


def _too_deep(request: HttpRequest, error: RecursionError) -> HttpResponse:
    # json.loads gives up on deeply nested bodies with RecursionError, not ValueError.
    return error_response(400, "malformed_request", _("The request body is nested too deeply."))


def _too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "payload_too_large", _("The request body is too large."))


def _outage(request: HttpRequest, error: Exception) -> HttpResponse:
    return database_unavailable(request)


# Each error and its answer. Typed loosely: ninja's annotation wants handlers that also take the
# class itself, which it never passes.
HANDLERS: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
    (RecursionError, _too_deep),
    (RequestDataTooBig, _too_large),
    (OperationalError, _outage),
    (InterfaceError, _outage),
    (DomainError, _domain),
    (ValidationError, _validation),
    (HttpError, _http),
    (ApiError, _api_error),
    (Http404, _not_found),
    (Exception, _unexpected),
]


def install_handlers(api: NinjaAPI) -> None:
    for error_class, handler in HANDLERS:
        api.add_exception_handler(error_class, handler)


# Outside the operations ------------------------------------------------------------------------


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any URL under /api/ that names no endpoint."""
    return _not_found(request)


not_found_view.csrf_exempt = True  # type: ignore[attr-defined]


def json_method_not_allowed(view: Callable) -> Callable:
    """Ninja answers an unsupported method with a plain-text 405; give it the error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(
                405,
                "method_not_allowed",
                _("This method is not allowed here; allowed: %(methods)s.") % {"methods": allowed},
            )
            response["Allow"] = allowed
        return response

    return wrapper
