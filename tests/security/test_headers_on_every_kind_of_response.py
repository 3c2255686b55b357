"""Security headers on every kind of response — a page, JSON, the back office, a static file,
a 404, a 413, a 500 — and production's HTTPS settings, with `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from config import urls
from tests.helpers import client_for
from yuyue.web.views.errors import server_error

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-a-long-random-production-secret-value-0123456789"


def assert_hardened(response) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    assert "default-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def kinds(business, customer, settings):
    settings.DEBUG = False
    # Answered before any view runs, so before the middleware that sets the headers, unless
    # the stack is ordered for it.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_large = "x" * 1001
    browser = Client(raise_request_exception=False)
    browser.force_login(customer)
    admin = Client()
    admin.force_login(business.memberships.get().user)
    return {
        "page": lambda: Client().get("/b/salon/"),
        "personal page": lambda: browser.get("/appointments"),
        "json": lambda: Client().get("/api/v1/businesses/salon"),
        "personal json": lambda: client_for(customer).get("/api/v1/me"),
        "json error": lambda: Client().get("/api/v1/businesses/nowhere"),
        "admin": lambda: admin.get("/admin/"),
        "admin login": lambda: Client().get("/admin/login/"),
        "404 page": lambda: Client().get("/no/such/page/"),
        "json too large": lambda: Client().post(
            "/api/v1/auth/login", {"username": too_large}, content_type="application/json"
        ),
        "page too large": lambda: Client().post("/login", {"username": too_large}),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "page",
        "personal page",
        "json",
        "personal json",
        "json error",
        "admin",
        "admin login",
        "404 page",
        "json too large",
        "page too large",
    ],
)
def test_every_kind_of_response_is_hardened(kinds, kind):
    response = kinds[kind]()

    assert response.status_code < 500
    assert_hardened(response)


@pytest.mark.parametrize("kind", ["personal page", "personal json", "admin"])
def test_personal_responses_are_not_stored(kinds, kind):
    value = kinds[kind]().get("Cache-Control", "")

    assert "no-store" in value and "private" in value


def test_the_server_error_page_is_the_site_s_own(db):
    # handler500 renders it for an uncaught error; the middleware adds the headers above.
    assert urls.handler500 == "yuyue.web.views.errors.server_error"
    response = server_error(RequestFactory().get("/anything"))

    assert response.status_code == 500
    assert "<h1>" in response.content.decode()


def production(command: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(
        YUYUE_ENV="production",
        SECRET_KEY=GOOD_KEY,
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
        **env,
    )
    return subprocess.run(
        command,
        cwd=env["YUYUE_DATA_DIR"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_turns_on_https_only(tmp_path):
    flags = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = production([sys.executable, "-c", flags], YUYUE_DATA_DIR=str(tmp_path))

    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"]


def test_production_passes_the_deploy_check(tmp_path):
    result = production(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        YUYUE_DATA_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
