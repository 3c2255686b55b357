"""The shared cast and fixtures: one business with an owner, a staff member, a customer and a
stranger who must see nothing; every test on a clock that starts at a known moment.

No test reads the real date: `shop_clock` starts each test at tests.helpers.NOW (Tuesday
1 December 2026, 08:00 in Shanghai) and lets it run, for the test and every thread it starts
(live servers included); `frozen_now` stops it there; processes a test starts get the same
clock through `tests.helpers.clock_env()`. `make test-clock` proves it: the suite passes with
the machine's clock 400 days ahead and 30 days behind. A test that must see the real clock
says so with `@pytest.mark.real_clock`.
"""

import contextlib
import json
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError, connection
from hypothesis import HealthCheck, settings

from tests.browser.axe import ARTIFACTS, clear_page_reports, write_axe_summary
from tests.helpers import NOW, WEBHOOK_SECRET, join_business, make_staff, make_user, owner_of
from yuyue.accounts.models import User
from yuyue.catalog.models import Membership
from yuyue.catalog.services import (
    business_create,
    location_create,
    service_create,
)

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


def pytest_sessionstart(session):
    # The process that starts the run (not an xdist worker) clears the last run's axe reports,
    # so the summary below counts this run's pages only.
    if not hasattr(session.config, "workerinput"):
        clear_page_reports()


def pytest_terminal_summary(terminalreporter):
    """One line on what axe-core found across the browser tests, whichever workers ran them."""
    if hasattr(terminalreporter.config, "workerinput"):
        return
    summary = write_axe_summary()
    if summary is None:
        return
    impacts = ", ".join(f"{k}: {v}" for k, v in summary["violations_by_impact"].items())
    terminalreporter.write_line(
        f"axe-core: {summary['pages_checked']} page×language checks; violations by impact: "
        f"{impacts}; details in {ARTIFACTS}/axe-*.json"
    )
    for rule, count in summary["rules"].items():
        terminalreporter.write_line(f"  {rule}: on {count} page(s)")


def pytest_configure(config):
    from django.conf import settings as django_settings

    config.addinivalue_line(
        "markers", "real_clock: runs on the machine's clock, not on one started at NOW"
    )
    # Whitenoise warns at start-up when the collected-static folder is missing.
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


# The modules whose tests wait longest on real processes, in order: they go first, so that on
# a parallel run they overlap with the rest instead of leaving one worker running alone at the
# end (xdist hands each worker its share in collection order). Modules stay whole.
LONG_FIRST = (
    "tests/notifications/test_workers_as_real_processes.py",
    "tests/lib/test_make_run_prints_logins_last_and_stops_cleanly.py",
    "tests/security/test_throttles_hold_across_server_processes.py",
    "tests/wechat/test_access_token_is_cached_and_shared.py",
    "tests/scheduling/test_engine_properties.py",
)


def pytest_collection_modifyitems(config, items):
    rank = {path: index for index, path in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache(django_db_setup, django_db_blocker):
    # Throttles count in the shared cache (a table of the test database, or Redis), which
    # outlives a test's transaction: every test starts at zero.
    def clear() -> None:
        # A run of tests that need no database makes none, so there is no table to clear
        # (and none of its tests can count in it).
        with django_db_blocker.unblock(), contextlib.suppress(DatabaseError):
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs collectstatic; tests render admin pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Argon2 is deliberately slow; the cast's passwords need no protection.
    # tests/accounts/test_users.py checks the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def shop_clock(request):
    """The clock starts at NOW and keeps running, for the test and every thread it starts, so
    that whatever the real date, "today" is the same Tuesday (see this module's docstring)."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(NOW, tick=True):
        yield NOW


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def owner(db) -> User:
    return make_user("owner", email="owner@example.com")


@pytest.fixture
def business(owner):
    return business_create(owner=owner, slug="salon", name="悦己美发沙龙")


@pytest.fixture
def location(business):
    return location_create(
        business=business,
        actor=owner_of(business),
        name="静安店",
        address="上海市静安区南京西路 1 号",
    )


@pytest.fixture
def service(business):
    return service_create(
        business=business,
        actor=owner_of(business),
        name="洗剪吹",
        duration_minutes=60,
        price=Decimal("88.00"),
        min_notice_minutes=60,
        max_days_ahead=30,
        cancel_cutoff_minutes=120,
        reschedule_cutoff_minutes=120,
    )


@pytest.fixture
def staff_user(business) -> User:
    user = make_user("staff", phone="+8613900139000")
    join_business(
        business=business, actor=owner_of(business), user=user, role=Membership.Role.STAFF
    )
    return user


@pytest.fixture
def stylist(business, service, location, staff_user):
    return make_staff(service=service, location=location, user=staff_user)


@pytest.fixture
def customer(db) -> User:
    return make_user("customer", phone="+8613700137000", email="customer@example.com")


@pytest.fixture
def stranger(db) -> User:
    """Another customer, who must never see or touch the cast's appointments."""
    return make_user("stranger", phone="+8613600136000")


@pytest.fixture
def other_owner(db):
    """The owner of another business: staff rights there give no rights here."""
    user = make_user("other-owner", phone="+8613500135000")
    business_create(owner=user, slug="elsewhere", name="别家诊所")
    return user


# A webhook receiver for text messages (notifications, sign-in codes) ---------------------------


class Webhook:
    """A tiny HTTP receiver: records each POST and answers with the next queued status."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.hang = 0.0

    def next_status(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200


@pytest.fixture
def webhook(settings):
    hook = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with hook.lock:
                hook.requests.append(
                    {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
                )
            if hook.hang:
                threading.Event().wait(hook.hang)
            status = hook.next_status()
            answer = json.dumps({"id": f"gw-{len(hook.requests)}"}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.NOTIFY_SMS_PROVIDER = "webhook"
    settings.NOTIFY_WEBHOOK_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    settings.NOTIFY_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.NOTIFY_WEBHOOK_TIMEOUT = 1
    settings.YUYUE_PUBLIC_URL = "https://book.example.com"
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
