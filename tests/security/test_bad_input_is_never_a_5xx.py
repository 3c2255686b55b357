"""Bad input over every operation of the OpenAPI document: each body field and each path or
query parameter gets oversize, nested, NUL, huge-number, year 1 / 9999, unknown-zone and
injection values, and invalid UTF-8 bodies. Every answer is a 4xx in the one error shape (or
a success where the value happens to be acceptable) — never a 5xx.

Then every form of the back office and of the customer pages, found by opening each of their
URLs: each field of each form is posted with NUL and other bad values, the rest of the form as
the page filled it in. Never a 5xx, and no NUL reaches the database (PostgreSQL cannot store
one; SQLite would, so there the tables are searched).
(More on the customer pages' forms: tests/web/test_bad_input.py.)"""

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from tests.helpers import client_for
from yuyue.backoffice import urls as backoffice_urls
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.views.booking import customer_token
from yuyue.notifications.models import Notification
from yuyue.scheduling.services import calendar_feed_issue
from yuyue.web import urls as web_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

BAD_VALUES = [
    "x" * 100_000,
    "\x00",
    "a\x00b",
    10**40,
    -(10**40),
    1.5e308,
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01",
    "9999-12-31",
    "localtime",
    "Mars/Olympus",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    {"$gt": ""},
    [[[[[[[[[[[]]]]]]]]]]],
    None,
    True,
]
BAD_PATH_VALUES = ["%00", "9" * 40, "-1", "%27%20OR%201=1", "%3Cscript%3E", "..%2F.."]
BAD_BODIES = [
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a": "\xff\xfe\xfd"}',
    b"\xc3\x28",
    b'{"name": "\\u0000"}',
    b"null",
    b"[]",
    b'"just a string"',
    b"{" * 3,
]


@pytest.fixture(scope="module")
def document(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/v1/openapi.json").json()


def resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def body_fields(operation: dict, document: dict) -> list[str]:
    content = (operation.get("requestBody") or {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return []
    return list(resolve(schema, document).get("properties", {}))


def check(response, where: str, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    elif response.status_code >= 400 and response.status_code != 405:
        try:
            error = json.loads(response.content)["error"]
            assert {"code", "message", "details"} <= set(error)
        except (ValueError, KeyError, TypeError, AssertionError):
            problems.append(f"{where}: {response.status_code} without the error shape")


def test_every_operation_answers_bad_input_with_a_4xx(document, owner, booked, stylist, service):
    client = client_for(owner)
    values = {
        "slug": "salon",
        "id": booked.public_id,
        "service_id": service.id,
        "staff_id": stylist.id,
        "location_id": 1,
        "invitation_id": 1,
        "customer_id": booked.client_id,
        "date": "2026-12-24",
        "card_id": "no-such-card",
        "product_id": 999999,
        "purchase_id": "no-such-purchase",
        # The owner's rows are not the waitlist's: these name nothing (404 is the answer).
        "entry_id": booked.public_id,
        "offer_id": booked.public_id,
    }
    problems: list[str] = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
            send = getattr(client, method)
            for field in body_fields(operation, document):
                for value in BAD_VALUES:
                    response = send(url, {field: value}, content_type="application/json")
                    check(
                        response, f"{method.upper()} {path} {field}={str(value)[:20]!r}", problems
                    )
            if method in {"post", "put", "patch"}:
                for raw in BAD_BODIES:
                    response = send(url, raw, content_type="application/json")
                    check(response, f"{method.upper()} {path} body {raw[:12]!r}", problems)
            for name in re.findall(r"\{(\w+)\}", path):
                for bad in BAD_PATH_VALUES:
                    bad_url = path.replace("{" + name + "}", bad)
                    bad_url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), bad_url)
                    check(send(bad_url), f"{method.upper()} {bad_url}", problems)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                for bad in ["%00", "9" * 40, "0001-01-01", "9999-12-31", "localtime", "%27"]:
                    response = send(f"{url}?{parameter['name']}={bad}")
                    check(response, f"{method.upper()} {path}?{parameter['name']}={bad}", problems)

    assert problems == []


NUL_VALUES = ["\x00", "a\x00b"]
OTHER_BAD_VALUES = ["x" * 100_000, "9" * 40, "0001-01-01", "' OR 1=1 --"]


class PostForms(HTMLParser):
    """The POST forms of a page: where each goes and what it would send as the page is."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        given = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = None
            if given.get("method", "get").lower() == "post":
                self._fields = {}
                self.forms.append((given.get("action", ""), self._fields))
            return
        if self._fields is None or not given.get("name"):
            return
        name = given["name"]
        if tag == "input" and given.get("type") in ("checkbox", "radio"):
            if "checked" in given:
                self._fields[name] = given.get("value", "on")
        elif tag in ("input", "button"):
            self._fields[name] = given.get("value", "")
        elif tag == "textarea":
            self._fields[name] = ""
        elif tag == "select":
            self._select = name
            self._fields.setdefault(name, "")
        elif tag == "option" and self._select and ("selected" in given or not self._fields[name]):
            self._fields[self._select] = given.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


def pages_of(urlpatterns: list, namespace: str, values: dict, queries: dict) -> list[str]:
    """Every URL of a front end that can be named with the cast's values."""
    found = []
    for pattern in urlpatterns:
        names = list(pattern.pattern.converters)
        if any(name not in values for name in names):
            continue
        url = reverse(f"{namespace}:{pattern.name}", kwargs={n: values[n] for n in names})
        query = queries.get(pattern.name)
        found.append(url if query is None else f"{url}?{query}")
    return found


def forms_of(client: Client, urls: list[str]) -> list[tuple[str, dict[str, str]]]:
    seen, forms = set(), []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PostForms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = action or url
            fields.pop("csrfmiddlewaretoken", None)
            if (target, tuple(sorted(fields))) not in seen:
                seen.add((target, tuple(sorted(fields))))
                forms.append((target, fields))
    return forms


def stored_nul() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("yuyue."):
            continue
        texts = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        # Searched here, not in SQL: SQLite's LIKE ends a pattern at a NUL.
        found += [
            f"{model.__name__}.{name}"
            for name in texts
            if any(
                "\x00" in (value or "")
                for value in model._default_manager.values_list(name, flat=True)
            )
        ]
    return found


def sweep(client: Client, forms: list[tuple[str, dict[str, str]]]) -> tuple[list, list]:
    """The 5xx answers, and the text columns where a NUL was stored (searched on SQLite).

    NUL first, across every form, while each appointment is still in the state its page showed
    (a refusal for another reason, cancelled already, would hide what NUL does), and searched
    for before other values overwrite what it may have written."""
    problems, stored = [], []
    for values in (NUL_VALUES, OTHER_BAD_VALUES):
        for target, fields in forms:
            for name in fields:
                for value in values:
                    response = client.post(target, {**fields, name: value})
                    if response.status_code >= 500:
                        problems.append(f"POST {target} {name}={value[:20]!r}: 500")
        if values is NUL_VALUES and connection.vendor == "sqlite":
            stored = stored_nul()
    return problems, stored


@pytest.fixture
def cast_values(owner, business, booked, stylist, service, customer) -> dict:
    notification = Notification.objects.filter(appointment=booked).first()
    return {
        "slug": business.slug,
        "public_id": booked.public_id,
        "staff_id": stylist.id,
        "customer_id": booked.client_id,
        "service_id": service.id,
        "location_id": stylist.location_id,
        "notification_id": notification.id if notification else 1,
        "key": calendar_feed_issue(staff=stylist, actor=owner),
        "name": "confirm",
    }


def test_every_back_office_form_answers_bad_input_without_a_5xx(
    owner, business, booked, cast_values
):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    later = (booked.start + dt.timedelta(days=1)).astimezone(booked.zone).isoformat()
    token = customer_token(Desk(business=business, user=owner, role="owner"), booked.customer)
    queries = {
        "book": f"customer={token}",
        "reschedule-confirm": f"start={later[:16]}%2B08:00",
        "setup-services": "industry=hair",
    }
    urls = pages_of(backoffice_urls.urlpatterns, "backoffice", cast_values, queries)
    # The booking page without a customer chosen offers to create one.
    urls.append(reverse("backoffice:book", args=[business.slug]))
    forms = forms_of(client, urls)
    assert len(forms) >= 15, forms  # the sweep found the forms: it can fail

    problems, stored = sweep(client, forms)

    assert problems == []
    assert stored == []


def test_every_customer_page_form_answers_bad_input_without_a_5xx(customer, booked, cast_values):
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    later = (booked.start + dt.timedelta(days=1)).astimezone(booked.zone).isoformat()
    start = f"start={later[:16]}%2B08:00"
    queries = {"book-confirm": start, "reschedule-confirm": start}
    forms = forms_of(client, pages_of(web_urls.urlpatterns, "web", cast_values, queries))
    anonymous = Client(raise_request_exception=False)
    forms += forms_of(
        anonymous, [reverse("web:register"), reverse("web:login"), reverse("web:signup")]
    )
    assert len(forms) >= 5, forms

    problems, stored = sweep(client, forms)

    assert problems == []
    assert stored == []
