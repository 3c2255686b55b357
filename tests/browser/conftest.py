"""Real-browser tests: Debian's Chromium, driven by Playwright's sync API, against live_server.

Every test gets a fresh browser context shaped like a phone (375×812, touch) speaking one
language, on the server's clock (tests.helpers.NOW, a Tuesday, 08:00 in Shanghai, running on),
full-page screenshots in artifacts/, and `ui.audit(...)`: axe-core on the page (fails on a
serious or critical violation; every violation goes to artifacts/axe-<page>-<lang>.json) and
no console error so far (a CSP violation is one).

Without Chromium the tests skip, except under CI=true, where they fail: CI must never pass
without having run them.
"""

import os
import re
import shutil

import pytest
from django.utils import timezone

from tests.browser.axe import ARTIFACTS, write_axe_summary
from tests.browser.ui import LOCALES, PHONE, UI
from tests.helpers import make_staff

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: no update checks, no sync, no background fetches.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests.

    Package-scoped, not session-scoped, on purpose: Playwright's sync API keeps an asyncio loop
    running in the test thread for as long as it is started, and with it Django's ORM refuses
    to run (SynchronousOnlyOperation) and asyncio.run() fails. Stopping Playwright after the
    last browser test keeps that away from every other test of the suite.
    """
    executable = shutil.which("chromium")
    if executable is None:
        message = "Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Playwright's loop runs in this thread while tests use the ORM here (fixtures, checks
    # of the database): Django would take that for async code calling sync code and refuse.
    # The ORM calls are plain synchronous calls between browser steps, so it is safe; the
    # setting is restored when Playwright stops.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
        write_axe_summary()


@pytest.fixture(autouse=True)
def _web_settings(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "salon"


@pytest.fixture
def lang() -> str:
    """The page language; tests parametrize it to run in both."""
    return "zh-hans"


@pytest.fixture
def javascript() -> bool:
    return True


@pytest.fixture
def second_stylist(business, service, location):
    """A second stylist with the same hours, so that "anyone" has a choice to make."""
    return make_staff(service=service, location=location, name="Lily 老师")


@pytest.fixture
def ui(browser, live_server, lang, javascript, request):
    context = browser.new_context(**PHONE, locale=LOCALES[lang], java_script_enabled=javascript)
    # The page's clock is the server's (tests/conftest.py's shop_clock), not the machine's.
    context.clock.install(time=timezone.now())
    # A blocked resource or script shows in the console as "Refused to …"; say it once more,
    # with the directive, in case a future Chromium words it otherwise.
    if javascript:
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
        )
    context.set_default_timeout(10_000)
    page = context.new_page()
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    interface = UI(page, live_server.url, lang, name)
    yield interface
    try:
        interface.check_console()
    finally:
        context.close()
