"""Bad input over every operation of the OpenAPI document: each body field and each path or
query parameter gets oversize, nested, NUL, huge-number, year 1 / 9999, unknown-zone and
injection values, and invalid UTF-8 bodies. Every answer is a 4xx in the one error shape (or
a success where the value happens to be acceptable) — never a 5xx.
(Forms of the customer pages: tests/web/test_bad_input.py.)"""

import json
import re

import pytest
from django.test import Client

from tests.api.conftest import client_for

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
        "date": "2026-12-24",
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
