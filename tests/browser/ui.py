"""A browser test's phone (`UI`): its page, screenshots, and the checks every page of a flow
gets (axe-core, the console, the page's language); the ui fixture in conftest.py makes one."""

import json
from pathlib import Path

import pytest

from tests.browser.axe import ARTIFACTS

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


DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}
TABLET_PORTRAIT = {
    "viewport": {"width": 820, "height": 1180},
    "has_touch": True,
    "device_scale_factor": 1,
}


def office_ui(browser, base_url: str, user, lang: str, shape: dict, name: str) -> UI:
    """A back-office browser of `shape` (DESKTOP, TABLET_PORTRAIT) logged in as `user`, which
    logs a CSP violation as a console error; close it with `ui.page.context.close()`."""
    import re

    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(**shape, locale=LOCALES[lang])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    context.set_default_timeout(10_000)
    return UI(context.new_page(), base_url, lang, re.sub(r"[^\w.-]+", "-", name).strip("-"))
