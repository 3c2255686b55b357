"""Real-browser tests: Debian's Chromium, driven by Playwright's sync API, against live_server.

Every test gets a fresh browser context shaped like a phone (375×812, touch) speaking one
language, on the server's clock (tests.helpers.NOW, a Tuesday, 08:00 in Shanghai, running on),
full-page screenshots in artifacts/, and `ui.audit(...)`: axe-core on the page (fails on a
serious or critical violation; every violation goes to artifacts/axe-<page>-<lang>.json) and
no console error so far (a CSP violation is one).

Without Chromium the tests skip, except under CI=true, where they fail: CI must never pass
without having run them.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.axe import ARTIFACTS, write_axe_summary
from tests.helpers import WORKWEEK, owner_of
from yuyue.scheduling.services import staff_hours_set, staff_member_create

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine's network is closed: no update checks, no sync, no background fetches.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# The page language (Django's code) → the browser's locale, which sends Accept-Language.
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
HTML_LANG = {"zh-hans": "zh-Hans", "en": "en"}
FAILING_IMPACTS = {"serious", "critical"}


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
    member = staff_member_create(
        business=business,
        actor=owner_of(business),
        name="Lily 老师",
        services=[service],
        location=location,
    )
    staff_hours_set(staff=member, actor=owner_of(member), hours=WORKWEEK)
    return member


class UI:
    """One test's phone: its page, screenshots, and the checks every page of the flow gets."""

    def __init__(self, page, base_url: str, lang: str, name: str):
        self.page = page
        self.base_url = base_url
        self.lang = lang
        self.name = name
        self.steps = 0
        # (message, the URL it came from)
        self.console_errors: list[tuple[str, str]] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append((f"{error}", page.url)))

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.console_errors.append((message.text, where))

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def log_in_here(self, username: str) -> None:
        """Log in with the confirm page's inline form (it comes back to the same page)."""
        self.page.fill("#login_username", username)
        self.page.fill("#login_password", "correct horse battery")
        self.page.locator("form:has(#login_username) button[type=submit]").click()

    def shot(self, step: str) -> Path:
        self.steps += 1
        path = ARTIFACTS / f"{self.name}-{self.steps:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def expect_language(self) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator("html")).to_have_attribute("lang", HTML_LANG[self.lang])

    def audit(self, page_name: str, *, expected_status: int | None = None) -> None:
        """Screenshot, axe-core and the console for the page now shown.

        `expected_status`: Chromium logs a page answered with an error status as a console
        error ("Failed to load resource: … 409"); a page meant to answer so passes.
        """
        self.page.wait_for_load_state("load")
        self.shot(page_name)
        self.check_axe(page_name)
        self.check_console(expected_status=expected_status)

    def page_language(self) -> str:
        """The language the page is in (after a switch it may not be the browser's)."""
        shown = self.page.locator("html").get_attribute("lang")
        return {value: key for key, value in HTML_LANG.items()}.get(shown, shown)

    def check_axe(self, page_name: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        language = self.page_language()
        results = Axe().run(self.page)
        violations = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "helpUrl": violation["helpUrl"],
                "nodes": [
                    {
                        "target": node["target"],
                        "html": node["html"],
                        "failureSummary": node.get("failureSummary", ""),
                    }
                    for node in violation["nodes"]
                ],
            }
            for violation in results.response["violations"]
        ]
        key = f"{page_name}-{language}"
        report = {
            "page": page_name,
            "language": language,
            "url": self.page.url,
            "test": self.name,
            "axe_version": results.response.get("testEngine", {}).get("version"),
            "violations": violations,
            # What axe could not decide alone (e.g. contrast over a background it cannot see).
            "needs_review": [
                {"id": item["id"], "impact": item["impact"], "help": item["help"]}
                for item in results.response.get("incomplete", [])
            ],
        }
        (ARTIFACTS / f"axe-{key}.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        serious = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if serious:
            lines = [f"axe found serious/critical violations on {key} ({self.page.url}):"]
            for violation in serious:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(
                    f"    {', '.join(map(str, node['target']))}: {node['html']}"
                    for node in violation["nodes"]
                )
            message = "\n".join(lines)
            print(message)
            pytest.fail(message, pytrace=False)

    def check_console(self, *, expected_status: int | None = None) -> None:
        expected = f"the server responded with a status of {expected_status} "
        errors = [
            f"{text} ({where})"
            for text, where in self.console_errors
            if not (expected_status and expected in text and where == self.page.url)
        ]
        self.console_errors.clear()
        assert not errors, f"console errors on {self.page.url}: {errors}"


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
