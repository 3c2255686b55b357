"""The authorization matrix, generated: every route of the URL configuration that takes an id,
slug or token — API, customer pages, back office — tried by everyone who must not reach it.

Intruders: nobody (anonymous), another customer, the owner and a staff member of another
business (rights there are no rights here), and staff of this business without the owner role.
Each must be refused (401/403/404, or a redirect to a login or an index page; an appointment is
404, its existence is not theirs to know), see no field of the victim's data, and change nothing
in the database. An API refusal has the one error shape, and is the same whether the row it
names exists or not.

Routes are discovered, not listed: a new route (a /manage/ back-office page, /api/v1/auth/
wechat…) joins the matrix by itself. Its parameters are filled by name (fill()); an unknown
parameter name fails the suite until someone says what it stands for (fill()). Routes without an id
must be named in NO_ID with the reason they are safe; exceptions to "refused" must be named
in OPEN_TO_ANY_ACCOUNT or STAFF_MAY. The API's public operations are the ones its OpenAPI
document marks as not needing a token; they are run too, and must leak nothing.
"""

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.helpers import NOW, WEDNESDAY, at, client_for, error_of, join_business, make_user
from tests.waitlist.support import waitlist_offer_for
from yuyue.accounts.models import ApiToken
from yuyue.bookings.services import appointment_create
from yuyue.cards.models import CardPurchase
from yuyue.cards.services import card_product_create, card_sell
from yuyue.catalog.models import Membership
from yuyue.catalog.services import business_create, invitation_create
from yuyue.notifications.models import Notification
from yuyue.payments.models import Order
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

SECRET_NOTE = "门禁密码 4321"
OVERRIDE_NOTE = "年假-私事"
_PARAM = re.compile(r"(?<!\?P)<(?:(\w+):)?(\w+)>")
# A back-office list or add form: scoped to the caller's businesses by BusinessScopedAdmin
# (tests/catalog/test_admin_scoping.py), so it needs no row of its own here.
_ADMIN_WRITES = re.compile(r"/(change|delete|password)/$")
_ADMIN_LIST = re.compile(r"^admin/(\w+/\w+/(add/)?|\^\(\?P<app_label>[\w|]+\)/\$)$")
INTRUDERS = [
    "anonymous",
    "other_customer",
    "other_business_owner",
    "other_business_staff",
    "staff_not_owner",
]
# Those with no role at the victim's business: nothing of it beyond the public may show.
OUTSIDERS = ["other_customer", "other_business_owner", "other_business_staff"]
WRITE_METHODS = {"post", "put", "patch", "delete"}

# Routes that take no id, slug or token: why each is safe for anyone to call.
NO_ID = {
    "": "the default business's public page",
    "register": "creates an account",
    "login": "logs in (throttled)",
    "login/code": "texts a code / logs in with it (capped, throttled, five tries a code)",
    "password/reset": "resets the password of the phone's account with its texted code",
    "password/reset/email": "mails a reset link to the address given, if an account has it",
    "password/reset/email/sent": "a confirmation page",
    "password/reset/done": "a confirmation page",
    "logout": "ends the caller's own session",
    "language": "sets the caller's own language",
    "privacy": "the public privacy policy",
    "me/data/": "the caller's own data (login required)",
    "me/cards/": "the caller's own member cards (login required)",
    "me/data/data.json": "the caller's own data (login required)",
    "me/data/appointments.csv": "the caller's own appointments (login required)",
    "me/delete/": "deletes the caller's own account (login and its password or a code)",
    "appointments": "the caller's own appointments (login required)",
    "appointment": "the seed's booking form, for the caller only",
    "admin/": "the back office's index, scoped to the caller's businesses",
    "admin/login/": "logs in (throttled)",
    "admin/logout/": "ends the caller's own session",
    "admin/password_change/": "the caller's own password",
    "admin/password_change/done/": "a confirmation page",
    "admin/autocomplete/": "scoped by each admin's queryset",
    "admin/jsi18n/": "the admin's translations",
    "api/v1/": "the API's root",
    "api/v1/openapi.json": "the public API document",
    "api/v1/docs": "the public API documentation",
    "^api/": "the API's 404",
    "api/v1/auth/register": "creates an account",
    "api/v1/auth/login": "logs in (throttled)",
    "api/v1/auth/sms/send": "texts a code to the phone given (capped per phone and address)",
    "api/v1/auth/sms/verify": "logs in with a texted code (throttled, five tries a code)",
    "api/v1/auth/password/reset": "resets the password of the phone's account with its code",
    "api/v1/auth/logout": "ends the caller's own token",
    "api/v1/auth/password": "the caller's own password",
    "api/v1/me": "the caller's own account",
    "api/v1/me/businesses": "the caller's own memberships",
    "api/v1/me/data": "the caller's own data",
    "api/v1/me/delete": "deletes the caller's own account (its password or a code)",
    "api/v1/businesses": "lists nothing private; creating a business makes the caller its owner",
    "api/v1/appointments": "the caller's own appointments",
    "api/v1/me/cards": "the caller's own member cards",
    "api/v1/waitlist": "the caller's own waitlist entries",
    "waitlist/": "the caller's own waitlist (login required)",
    "api/v1/invitations/accept": "the token in the body is the right; tested in "
    "test_joining_a_business_takes_an_accepted_invitation",
    "admin/(?P<url>.*)$": "the back office's 404 for any other URL",
    "api/v1/auth/wechat": "logs in with a WeChat code (throttled per address)",
    "api/v1/auth/wechat/phone": "binds a phone number to the caller's own account",
    "api/v1/me/wechat/subscriptions": "the caller's own message subscriptions",
    "favicon.ico": "a static icon",
    "manage/": "lists the caller's own businesses (login required)",
    "manage/platform/": "the platform operator's page: superusers only, 404 for anyone else "
    "(test_nobody_but_the_operator_reaches_the_operator_page)",
    "signup/": "opens a business for a new account or the caller's own, as YUYUE_SIGNUP allows",
    "signup/slug": "proposes a free slug from a name; slugs are public",
    "api/v1/payments/wechat/notify": "WeChat Pay's notifications: public by design, only a "
    "notification signed by WeChat Pay about one of our orders changes anything; tested in "
    "tests/payments/test_wechat_pay.py and test_notify_bad_input.py",
}
# Routes whose id is itself the right to use them (a secret link), tested where they live.
CAPABILITIES = {
    "invitations/<str:token>/": "test_joining_a_business_takes_an_accepted_invitation",
    "manage/feed/<str:key>.ics": "test_the_feed_shows_one_staff_members_appointments_only",
    "password/reset/<uidb64>/<token>/": "test_a_password_is_reset_by_an_emailed_link",
}
# API routes naming an appointment: to anyone but its customer and its business, it does not
# exist (404, never 403).
_APPOINTMENT_API = re.compile(r"^api/v1/appointments/<id>")
# Path parameters that name a row, and a value of the same kind that names none.
MADE_UP = {
    "id": "x" * 16,
    "service_id": 999999,
    "staff_id": 999999,
    "location_id": 999999,
    "invitation_id": 999999,
    "customer_id": 999999,
    "card_id": "x" * 16,
    "purchase_id": "x" * 16,
    "entry_id": "x" * 16,
    "offer_id": "x" * 16,
}
# Back-office pages only owners may open; staff run the rest of the day from /manage/.
_OWNER_ONLY_MANAGE = re.compile(
    r"^manage/(<slug:slug>/(dashboard|settings|setup|payments|cards/products)/|<slug:slug>/cards/$|platform/)"
)
# Customer pages anyone may see, whatever the id (the business and its services are public).
PUBLIC_PAGES = {
    "b/<slug:slug>/",
    "b/<slug:slug>/book/<int:service_id>/",
    "b/<slug:slug>/book/<int:service_id>/confirm/",
    # Joining the waitlist: any account may, at any business (docs/waitlist.md).
    "b/<slug:slug>/waitlist/<int:service_id>/",
    # The member cards a business sells, and buying one: any account may (docs/cards.md).
    "b/<slug:slug>/cards/",
    "b/<slug:slug>/cards/<int:product_id>/buy/",
    # The photos of services and staff, shown on those pages (named by 128 random bits).
    "photos/<str:name>",
}
# Operations any logged-in account may use on someone else's business: booking (a series too:
# for customers where the business allows it, tested in tests/api/test_series.py).
OPEN_TO_ANY_ACCOUNT = {
    ("post", "api/v1/businesses/<slug>/appointments"),
    ("post", "api/v1/businesses/<slug>/series/check"),
    ("post", "api/v1/businesses/<slug>/series"),
    # Joining the waitlist is booking's sibling (docs/waitlist.md).
    ("post", "api/v1/businesses/<slug>/waitlist"),
    # Buying a member card on sale, online (docs/cards.md#money).
    ("post", "api/v1/businesses/<slug>/card-products/<product_id>/buy"),
}
# What staff of the business may do without being owners (see bookings.permissions).
STAFF_MAY = {
    ("get", "api/v1/businesses/<slug>/services/<service_id>"),
    ("get", "api/v1/businesses/<slug>/staff/<staff_id>"),
    ("get", "api/v1/businesses/<slug>/staff/<staff_id>/hours"),
    ("get", "api/v1/businesses/<slug>/staff/<staff_id>/overrides"),
    ("get", "api/v1/businesses/<slug>/appointments"),
    ("get", "api/v1/businesses/<slug>/waitlist"),
    ("get", "api/v1/businesses/<slug>/customers"),
    ("get", "api/v1/businesses/<slug>/customers/<customer_id>"),
    ("patch", "api/v1/businesses/<slug>/customers/<customer_id>"),
    ("post", "api/v1/businesses/<slug>/appointments"),
    ("post", "api/v1/businesses/<slug>/series/check"),
    ("post", "api/v1/businesses/<slug>/series"),
    ("get", "api/v1/appointments/<id>"),
    ("get", "api/v1/cards/<card_id>"),
    ("post", "api/v1/appointments/<id>/cancel"),
    ("post", "api/v1/appointments/<id>/reschedule"),
    ("post", "api/v1/appointments/<id>/confirm"),
    ("post", "api/v1/appointments/<id>/start"),
    ("post", "api/v1/appointments/<id>/complete"),
    ("post", "api/v1/appointments/<id>/no-show"),
    ("post", "api/v1/businesses/<slug>/check-in"),
    ("get", "appointments/<str:public_id>/"),
    ("get", "appointments/<str:public_id>/done/"),
    ("get", "appointments/<str:public_id>/calendar.ics"),
    ("get", "appointments/<str:public_id>/cancel/"),
    ("post", "appointments/<str:public_id>/cancel/"),
    ("get", "appointments/<str:public_id>/reschedule/"),
    ("get", "appointments/<str:public_id>/reschedule/confirm/"),
    ("post", "appointments/<str:public_id>/reschedule/confirm/"),
}
# Bodies that pass validation, so that a refusal is the permission check, not a 422.
BODIES = {
    "api/v1/businesses/<slug>/card-products/<product_id>/buy": {"method": "wechat_native"},
    "api/v1/businesses/<slug>": {"name": "taken over"},
    "api/v1/businesses/<slug>/locations": {"name": "fake"},
    "api/v1/businesses/<slug>/locations/<location_id>": {"name": "fake"},
    "api/v1/businesses/<slug>/services": {"name": "x", "duration_minutes": 5, "price": "0"},
    "api/v1/businesses/<slug>/services/<service_id>": {"price": "0.01"},
    "api/v1/businesses/<slug>/staff": {"name": "mole"},
    "api/v1/businesses/<slug>/staff/<staff_id>": {"name": "mole"},
    "api/v1/businesses/<slug>/staff/<staff_id>/hours": {"mon": [["00:00", "24:00"]]},
    "api/v1/businesses/<slug>/staff/<staff_id>/overrides": {"date": "2026-12-03", "closed": True},
    "api/v1/businesses/<slug>/invitations": {"role": "owner"},
    "api/v1/businesses/<slug>/appointments": {"service_id": "{service_id}", "start": "x"},
    "api/v1/businesses/<slug>/series/check": {"service_id": "{service_id}", "start": "x"},
    "api/v1/businesses/<slug>/series": {"service_id": "{service_id}", "starts": ["x"]},
    "api/v1/appointments/<id>/reschedule": {"start": "2026-12-02T14:00:00"},
    "api/v1/appointments/<id>/cancel": {"reason": "x"},
    "api/v1/businesses/<slug>/customers/<customer_id>": {"name": "taken over"},
    "api/v1/appointments/<id>/pay": {"method": "wechat_native"},
    "api/v1/businesses/<slug>/check-in": {"code": "000000"},
    "api/v1/businesses/<slug>/waitlist": {
        "service_id": "{service_id}",
        "date_from": "2026-12-02",
        "date_to": "2026-12-02",
        "time_from": "09:00",
        "time_to": "12:00",
    },
}


# Discovery -------------------------------------------------------------------------------------


def walk(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def all_routes() -> list[str]:
    return sorted({route for route, _pattern in walk(get_resolver().url_patterns)})


def params_of(route: str) -> list[str]:
    return [name for _converter, name in _PARAM.findall(route)]


def openapi_operations(document: dict) -> dict[str, dict[str, dict]]:
    """Django route ("api/v1/businesses/<slug>") → method → OpenAPI operation."""
    operations: dict[str, dict[str, dict]] = {}
    for path, item in document["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/"))
        operations[route] = item
    return operations


@pytest.fixture(scope="module")
def document(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def cases(document: dict) -> list[tuple[str, str]]:
    """(method, route) for every route taking a parameter, in every method it answers."""
    operations = openapi_operations(document)
    found = []
    for route in all_routes():
        if not params_of(route) or route in CAPABILITIES or route in NO_ID:
            continue
        if route.startswith("api/"):
            found += [(method, route) for method in operations.get(route, {})]
        elif route.startswith("admin/") and not _ADMIN_WRITES.search(route):
            found.append(("get", route))  # history, redirects: pages that only show
        else:
            found += [("get", route), ("post", route)]
    return found


# The victim and the intruders -----------------------------------------------------------------


@pytest.fixture
def victim(business, owner, service, stylist, customer, location):
    appointment = appointment_create(
        service=service, customer=customer, start=at(WEDNESDAY, "10:00"), notes=SECRET_NOTE
    )
    override = staff_override_set(
        actor=owner, staff=stylist, date=WEDNESDAY.replace(day=24), closed=True, note=OVERRIDE_NOTE
    )
    invitation = invitation_create(business=business, actor=owner, role="staff").invitation
    product = card_product_create(
        business=business,
        actor=owner,
        kind="package",
        name="十次卡",
        price=Decimal("500.00"),
        uses=10,
        services=[service],
    )
    card = card_sell(product=product, customer=appointment.client, actor=owner, channel="cash")
    entry, offer = waitlist_offer_for(
        customer, service, stylist, make_user("freer", phone="+8613100131009")
    )
    # A card the customer is buying online (made here as the buy route makes it; no WeChat Pay).
    purchase = CardPurchase.objects.create(
        business=business,
        product=product,
        customer=appointment.client,
        buyer=customer,
        order=Order.objects.create(
            business=business,
            purpose="card",
            out_trade_no="YSvictim0001",
            method="wechat_native",
            amount=product.price,
            expires_at=NOW + dt.timedelta(minutes=15),
        ),
        created_at=NOW,
    )
    return {
        "card": card,
        "card_product": product,
        "purchase": purchase,
        "entry": entry,
        "offer": offer,
        "business": business,
        "appointment": appointment,
        "override": override,
        "invitation": invitation,
        "notification": Notification.objects.filter(appointment=appointment).earliest("id"),
        "customer": customer,
        "service": service,
        "staff": stylist,
        "location": location,
    }


@pytest.fixture
def intruders(stranger, staff_user, db) -> dict[str, tuple[object, Client, Client]]:
    """Name → (user, API client with a token, browser with a session)."""
    elsewhere_owner = make_user("elsewhere-owner", phone="+8613100131000")
    elsewhere = business_create(owner=elsewhere_owner, slug="elsewhere", name="别家")
    other_staff = make_user("elsewhere-staff", phone="+8613100131001")
    join_business(business=elsewhere, user=other_staff, role=Membership.Role.STAFF)
    people = {
        "anonymous": None,
        "other_customer": stranger,
        "other_business_owner": elsewhere_owner,
        "other_business_staff": other_staff,
        "staff_not_owner": staff_user,
    }
    result = {}
    for name, user in people.items():
        browser = Client(raise_request_exception=False)
        if user is not None:
            browser.force_login(user)
        api = client_for(user) if user is not None else Client()
        result[name] = (user, api, browser)
    return result


def admin_object(model_label: str, victim: dict):
    """The victim's row for an admin route of `app/model`."""
    model = apps.get_model(*model_label.split("/"))
    by_model = {
        "business": victim["business"],
        "appointment": victim["appointment"],
        "dateoverride": victim["override"],
        "invitation": victim["invitation"],
        "user": victim["customer"],
        "service": victim["service"],
        "staffmember": victim["staff"],
        "location": victim["location"],
    }
    row = by_model.get(model._meta.model_name)
    if row is not None:
        return row
    rows = model.objects.all()
    for field in ("business", "staff__business", "appointment__business"):
        try:
            return rows.filter(**{field: victim["business"]}).order_by("pk").first()
        except Exception:
            continue
    return rows.order_by("pk").first()


def fill(route: str, victim: dict, *, made_up: bool = False) -> str | None:
    """The route's URL for the victim's rows, or None when there is no row to aim at; with
    `made_up`, an API route's row ids are replaced by ids that name nothing."""
    model_label = None
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if match:
        model_label = f"{match[1]}/{match[2]}"
    values = {
        "slug": victim["business"].slug,
        "id": victim["appointment"].public_id,
        "public_id": victim["appointment"].public_id,
        "service_id": victim["service"].id,
        "staff_id": victim["staff"].id,
        "location_id": victim["location"].id,
        "invitation_id": victim["invitation"].id,
        "date": "2026-12-24",
        "name": "confirm",
        "card_id": victim["card"].public_id,
        "purchase_id": victim["purchase"].public_id,
        "product_id": victim["card_product"].id,
        # The business's record of the victim's customer.
        "customer_id": victim["appointment"].client_id,
        "notification_id": victim["notification"].id,
        "entry_id": victim["entry"].public_id,
        "offer_id": victim["offer"].public_id,
        "content_type_id": ContentType.objects.get_for_model(victim["appointment"]).id,
    }
    if made_up:
        values.update(MADE_UP)
    if model_label is not None:
        row = admin_object(model_label, victim)
        if row is None:
            return None
        values["object_id"] = row.pk
        values["id"] = row.pk
    elif route.startswith("admin/r/"):
        values["object_id"] = victim["appointment"].pk
    url = route.lstrip("^")
    for converter, name in _PARAM.findall(route):
        if name not in values:
            raise AssertionError(f"{route}: no value for <{name}>; add one to `values` in fill()")
        token = f"<{converter}:{name}>" if converter else f"<{name}>"
        url = url.replace(token, str(values[name]))
    return "/" + url


def snapshot() -> list:
    """Every row an intruder might change (tokens' last use and sessions aside)."""
    models = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("yuyue.") and model is not ApiToken
    ]
    return [list(model.objects.order_by("pk").values()) for model in [*models, LogEntry]]


def secrets_of(victim: dict) -> list[str]:
    customer = victim["customer"]
    return [
        SECRET_NOTE,
        OVERRIDE_NOTE,
        customer.phone,
        customer.email,
        victim["appointment"].public_id,
        victim["card"].public_id,
        victim["purchase"].public_id,
    ]


def accounts_shown(response, victim: dict) -> list[str]:
    """The usernames of the victim's people that a JSON answer names: staff accounts are
    shown to the business's own members only (StaffOut.username)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return []
    people = {victim["customer"].username, victim["staff"].user.username}
    found = []

    def walk_json(value) -> None:
        if isinstance(value, dict):
            if value.get("username") in people:
                found.append(value["username"])
            for item in value.values():
                walk_json(item)
        elif isinstance(value, list):
            for item in value:
                walk_json(item)

    walk_json(response.json())
    return found


def error_shape_problem(response) -> str | None:
    try:
        error_of(response)
    except (AssertionError, ValueError) as problem:
        return f"not the error shape: {problem}"
    return None


def public_get_answers(method: str, route: str, document: dict) -> bool:
    """A public read that needs nothing but its path must answer anyone with 200."""
    operation = openapi_operations(document)[route][method]
    return method == "get" and not any(
        parameter.get("required") and parameter["in"] != "path"
        for parameter in operation.get("parameters", [])
    )


def body_for(route: str, victim: dict) -> dict:
    body = dict(BODIES.get(route, {}))
    return {
        key: victim["service"].id if value == "{service_id}" else value
        for key, value in body.items()
    }


def call(client: Client, method: str, url: str, body: dict | None, *, as_json: bool):
    if method == "get":
        return client.get(url)
    if as_json:
        return getattr(client, method)(url, body or {}, content_type="application/json")
    return getattr(client, method)(url, body or {})


# The rows ----------------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix_or_named_as_safe(document):
    unexplained = [
        route
        for route in all_routes()
        if not params_of(route) and route not in NO_ID and not _ADMIN_LIST.match(route)
    ]

    assert unexplained == [], "routes without an id must be named in NO_ID, with why"
    assert cases(document), "the matrix found no routes at all"


def expected_refusal(method: str, route: str, intruder: str, document: dict) -> str | None:
    """None when this intruder may legitimately use the route; else what refusal looks like."""
    if route.startswith("api/"):
        operation = openapi_operations(document)[route][method]
        if {} in (operation.get("security") or [{}]):
            return None  # public: run, but only for leaks
        if intruder == "anonymous":
            return "401"
        if (method, route) in OPEN_TO_ANY_ACCOUNT:
            return None
        if intruder == "staff_not_owner" and (method, route) in STAFF_MAY:
            return None
        if _APPOINTMENT_API.match(route):
            return "404"
        return "403/404"
    if route in PUBLIC_PAGES:
        return None
    if route.startswith("admin/") and intruder == "staff_not_owner" and method == "get":
        # Staff look at their business in the back office; only owners change it.
        return None if not route.endswith("/delete/") else "refused"
    if intruder == "staff_not_owner" and (method, route) in STAFF_MAY:
        return None
    if (
        intruder == "staff_not_owner"
        and route.startswith("manage/")
        and not _OWNER_ONLY_MANAGE.match(route)
    ):
        return None  # their own business's day: checked for leaks and 500s only
    return "refused"


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_no_intruder_reaches_anything_of_the_victim(document, victim, intruders, intruder):
    _user, api, browser = intruders[intruder]
    problems = []
    checked = 0
    for method, route in cases(document):
        url = fill(route, victim)
        if url is None:
            continue
        refusal = expected_refusal(method, route, intruder, document)
        is_api = route.startswith("api/")
        # An API read refused must not mark, count or create anything either. (Pages' reads
        # are not snapshotted: the back office has ~90 of them and it would triple the run.)
        before = snapshot() if refusal and (is_api or method in WRITE_METHODS) else None
        response = call(
            api if is_api else browser,
            method,
            url,
            body_for(route, victim) if is_api else None,
            as_json=is_api,
        )
        checked += 1
        text = response.content.decode("utf-8", "replace")
        # A page repeats its own address (the language form's `next`): what the intruder put
        # in the URL is theirs already. An API answer repeats nothing.
        leaked = [
            secret
            for secret in secrets_of(victim)
            if secret and secret in text and (is_api or secret not in url)
        ]
        leaked += accounts_shown(response, victim)
        if leaked and intruder != "staff_not_owner":
            problems.append(f"{method.upper()} {url}: shows {leaked}")
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {url}: {response.status_code}")
        if refusal is None:
            if (
                is_api
                and public_get_answers(method, route, document)
                and response.status_code != 200
            ):
                problems.append(f"GET {url}: {response.status_code}, public, expected 200")
            continue
        status = response.status_code
        if is_api and (shape := error_shape_problem(response)):
            problems.append(f"{method.upper()} {url}: {shape}")
        if refusal == "401" and status != 401:
            problems.append(f"{method.upper()} {url}: {status}, expected 401")
        elif refusal == "404" and status != 404:
            problems.append(f"{method.upper()} {url}: {status}, expected 404")
        elif refusal == "403/404" and status not in {403, 404}:
            problems.append(f"{method.upper()} {url}: {status}, expected 403 or 404")
        elif refusal == "refused" and status not in {302, 400, 401, 403, 404, 405}:
            problems.append(f"{method.upper()} {url}: {status}, expected a refusal")
        if status == 302 and refusal == "refused":
            location = response["Location"]
            if not re.match(r"^/(admin/(login/.*|\w+/\w+/(\d+/change/)?)?|login\?.*)?$", location):
                problems.append(f"{method.upper()} {url}: redirected to {location}")
        if before is not None and snapshot() != before:
            problems.append(f"{method.upper()} {url}: changed the database")

    assert checked > 50
    assert problems == []


@pytest.mark.parametrize("intruder", OUTSIDERS)
def test_an_api_refusal_does_not_reveal_whether_the_row_exists(
    document, victim, intruders, intruder
):
    _user, api, _browser = intruders[intruder]
    problems = []
    compared = 0
    for method, route in cases(document):
        if not route.startswith("api/") or not set(params_of(route)) & set(MADE_UP):
            continue
        if expected_refusal(method, route, intruder, document) is None:
            continue
        body = body_for(route, victim)
        real = call(api, method, fill(route, victim), body, as_json=True)
        made_up = call(api, method, fill(route, victim, made_up=True), body, as_json=True)
        compared += 1
        if (real.status_code, real.content) != (made_up.status_code, made_up.content):
            problems.append(
                f"{method.upper()} {route}: {real.status_code} {real.content[:80]!r} for the row, "
                f"{made_up.status_code} {made_up.content[:80]!r} for none"
            )

    assert compared > 20
    assert problems == []
