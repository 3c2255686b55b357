"""The JSON API v1: one NinjaAPI, one router per resource, one error shape."""

from django.urls import URLPattern, URLResolver, include, path
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from yuyue.api.errors import install_handlers, json_method_not_allowed
from yuyue.api.routers import (
    appointments,
    auth,
    availability,
    businesses,
    cards,
    customers,
    invitations,
    payments,
    series,
    services,
    staff,
    staff_actions,
    waitlist,
    wechat,
)
from yuyue.lib.throttle import check_rates

DESCRIPTION = """
Book appointments at Yuyue businesses: everything the customer mini program and the merchant
app need. Read this once; each operation below only adds what is particular to it.

**Authentication.** `POST /auth/register` or `POST /auth/login` returns a `token`; send it as
`Authorization: Bearer <token>`. Tokens last 30 days (configurable) and die at
`POST /auth/logout` and when the password changes. Operations with a lock need a token; the
public catalog (business, services, staff, availability) needs none, but the business's own
staff and owners see inactive services and staff when they send theirs.

**Ids.** Appointments have an opaque string `id`. Businesses are named by their `slug`;
services, staff members and locations by integer ids.

**Times.** ISO 8601 everywhere. Responses carry the offset of the business (or of the
location, where it has its own zone): `2026-12-01T09:00:00+08:00`. A time you send with an
offset is taken as given; without one it is wall-clock time in the business's (location's)
zone. Dates (`date_from`, `date_to`) are local dates in that zone, `date_to` inclusive.

**Money.** A decimal string with its `currency`: `"price": "128.00", "currency": "CNY"`.

**Lists.** `limit` (default 50, at most 200) and `offset`; the response has `count` (the
whole list), `limit`, `offset` and `items`.

**Language.** Send `Accept-Language: zh-Hans` (the default) or `en`; error messages and
`status_label` follow it.

**Errors.** Always `{"error": {"code": "...", "message": "...", "details": ...}}`:
400 `malformed_request` (the body is not JSON, or nested too deeply), 401 `not_authenticated` or
`invalid_credentials`, 403 `forbidden` (you know the thing exists but may not do this),
404 `not_found` (also for another customer's appointment), 409 `slot_unavailable`
(`details.alternatives`: up to 3 nearest free starts), `invalid_transition`, `cutoff_passed`,
`duplicate` or `invitation_unusable`, 413 `payload_too_large`, 422 `validation_error`
(`details.fields`: field → messages), 429 `throttled` and 503 `service_unavailable` (the
database is briefly away): wait `Retry-After` seconds and try again. The WeChat routes add 404
`wechat_not_configured` (no mini program on this server), 422 `wechat_code_invalid` (call
wx.login again), 429 `wechat_busy` (WeChat's own limit), 503 `wechat_unavailable`, and 409
`phone_bound_elsewhere`.

**Statuses.** `pending` → `confirmed` → `in_progress` → `completed`; `pending` or `confirmed`
→ `cancelled`; `confirmed` → `no_show`. A service paid online books as `awaiting_payment`
(its time held until `payment.pay_by`): paid, it goes on to `pending` or `confirmed`; unpaid,
it is `cancelled` (`payment.state` `expired`). Every appointment has `payment` (due, paid,
refunded, state, and what a cancellation by the caller would give back now:
`refund_if_cancelled_now`, `kept_if_cancelled_now` — show it before they confirm). A customer
may cancel a booking paid online up to its start; after `payment.full_refund_until` the
deposit is kept when the business keeps it.
A waitlist offer is `offered` until `offer_expires_at`: accepted, it goes on as a booking
would; declined or lapsed, it is `cancelled` and goes to the next waiter.

**Limits.** Failed logins are limited per (username, IP) and per IP, so another address never
locks you out; registrations per IP and per username; bookings per user.
"""


def build_api() -> NinjaAPI:
    check_rates()
    api = NinjaAPI(
        title="Yuyue API",
        version="1",
        description=DESCRIPTION.strip(),
        urls_namespace="api-v1",
        # validatorUrl None: Swagger UI would otherwise fetch a badge from swagger.io.
        docs=Swagger(
            settings={"persistAuthorization": True, "tryItOutEnabled": True, "validatorUrl": None}
        ),
    )
    install_handlers(api)
    for module in (
        auth,
        businesses,
        services,
        staff,
        invitations,
        availability,
        appointments,
        series,
        staff_actions,
        customers,
        payments,
        cards,
        waitlist,
        wechat,
    ):
        api.add_router("", module.router)
    return api


api = build_api()


def _wrap(patterns: list) -> list[URLPattern | URLResolver]:
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            callback = json_method_not_allowed(pattern.callback)
            callback.csrf_exempt = True  # type: ignore[attr-defined]
            pattern = URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
        wrapped.append(pattern)
    return wrapped


def urls() -> URLResolver:
    """The API's URLs, with a 405 in the API's error shape."""
    patterns, app_name, namespace = api.urls
    return path("api/v1/", include((_wrap(patterns), app_name), namespace=namespace))
