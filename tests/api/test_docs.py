"""The OpenAPI document and interactive docs come from the app itself, with no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

CONTRACT = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/businesses/{slug}"),
    ("get", "/api/v1/businesses/{slug}/services"),
    ("get", "/api/v1/businesses/{slug}/staff"),
    ("get", "/api/v1/businesses/{slug}/availability"),
    ("post", "/api/v1/businesses/{slug}/appointments"),
    ("get", "/api/v1/appointments"),
    ("get", "/api/v1/appointments/{id}"),
    ("post", "/api/v1/appointments/{id}/cancel"),
    ("post", "/api/v1/appointments/{id}/reschedule"),
    ("get", "/api/v1/businesses/{slug}/appointments"),
    ("post", "/api/v1/appointments/{id}/confirm"),
    ("post", "/api/v1/appointments/{id}/start"),
    ("post", "/api/v1/appointments/{id}/complete"),
    ("post", "/api/v1/appointments/{id}/no-show"),
    ("post", "/api/v1/businesses"),
    ("post", "/api/v1/businesses/{slug}/services"),
    ("patch", "/api/v1/businesses/{slug}/services/{service_id}"),
    ("delete", "/api/v1/businesses/{slug}/services/{service_id}"),
    ("post", "/api/v1/businesses/{slug}/staff"),
    ("patch", "/api/v1/businesses/{slug}/staff/{staff_id}"),
    ("delete", "/api/v1/businesses/{slug}/staff/{staff_id}"),
    ("put", "/api/v1/businesses/{slug}/staff/{staff_id}/hours"),
    ("post", "/api/v1/businesses/{slug}/staff/{staff_id}/overrides"),
    ("post", "/api/v1/businesses/{slug}/staff/{staff_id}/members"),
    ("post", "/api/v1/businesses/{slug}/invitations"),
    ("post", "/api/v1/invitations/accept"),
}


def test_the_openapi_document_covers_the_whole_contract(anon):
    response = anon.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations >= CONTRACT
    assert document["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


def test_constraints_are_written_in_json_schema_words(anon):
    # A validator placed before a constraint makes pydantic leak "ge"/"le", which no client
    # or generator understands; "minimum"/"maximum" are what JSON Schema says.
    text = anon.get("/api/v1/openapi.json").content.decode()

    assert '"ge"' not in text and '"le"' not in text
    assert '"minimum"' in text


def test_every_operation_documents_its_errors_in_the_one_shape(anon):
    document = anon.get("/api/v1/openapi.json").json()

    for path, item in document["paths"].items():
        for method, operation in item.items():
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in errors, (method, path)
            if operation.get("security"):
                assert "401" in errors, (method, path)
            for response in errors.values():
                schema = response["content"]["application/json"]["schema"]["$ref"]
                assert schema.rsplit("/", 1)[-1] in {
                    "ErrorOut",
                    "ValidationErrorOut",
                    "ConflictOut",
                }


def test_the_docs_page_loads_nothing_from_outside(anon):
    response = anon.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs must work offline"
    assert '"validatorUrl": null' in html  # no badge fetched from swagger.io
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_swagger_script_itself_fetches_only_the_app_s_document(anon):
    init = finders.find("ninja/swagger-ui-init.js")
    with open(init, encoding="utf-8") as handle:
        code = handle.read()

    assert not re.search(r"https?://", code)
