"""The checks every page gets must be able to fail: axe-core finds an unnamed button, and the
console listener hears a script the CSP blocks."""

import pytest
from axe_playwright_python.sync_playwright import Axe


def test_axe_and_csp_checks_catch_problems(ui, service, stylist):
    page = ui.page
    ui.goto("/")
    ui.check_console()

    with page.expect_console_message(lambda m: m.text.startswith("CSP violation: script-src")):
        page.evaluate(
            """() => {
                document.querySelector("main").append(document.createElement("button"));
                const script = document.createElement("script");
                script.textContent = "window.__injected = 1";
                document.body.append(script);
            }"""
        )
    found = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    assert found.get("button-name") == "critical"

    assert page.evaluate("window.__injected") is None
    with pytest.raises(AssertionError, match="inline script"):
        ui.check_console()
