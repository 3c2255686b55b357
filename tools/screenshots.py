"""Refresh the README's pictures of the customer pages (docs/web-*.png) and of the share page
and its poster (docs/back-office-share*.png) from a running demo.

    yuyue demo && yuyue serve          # or make run
    python tools/screenshots.py [http://127.0.0.1:8000]

A phone (375 px, 2× pixels) in Chinese logs in as the demo customer, opens 洗剪吹,
books the first free time and looks at its appointments. Then it opens a new business at
/signup/ (docs/signup.png) and pictures its set-up checklist (docs/back-office-checklist.png);
with YUYUE_OPERATOR=username:password (a superuser) also the operator's page
(docs/platform.png). Needs the test extra (playwright) and Debian's chromium; it books one
appointment and opens one business in that database, so sign-up must be open.
"""

import os
import shutil
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parents[1] / "docs"
PHONE = {
    "viewport": {"width": 375, "height": 760},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}


def main(base: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{base}/login")
        page.fill("#id_username", "customer")
        page.fill("#id_password", "yuyue-customer-demo")
        page.locator("main form button[type=submit]").click()
        page.goto(f"{base}/")
        # The service two shops offer, so the picture shows the shop choice.
        page.locator("a.card-link", has_text="洗剪吹").click()
        page.wait_for_load_state("load")
        page.screenshot(path=DOCS / "web-choose-time.png")
        page.locator("a.time").first.click()
        page.locator("main form button.primary").click()
        page.wait_for_load_state("load")
        page.screenshot(path=DOCS / "web-booked.png")
        page.goto(f"{base}/appointments")
        page.screenshot(path=DOCS / "web-my-appointments.png")
        share(browser, base)
        owner_pictures(browser, base)
        browser.close()


def owner_pictures(browser, base: str) -> None:
    """Opening a business, its checklist, and the operator's page, on a tablet."""
    tablet = {**PHONE, "viewport": {"width": 820, "height": 1000}, "is_mobile": False}
    page = browser.new_context(**tablet).new_page()
    page.goto(f"{base}/signup/")
    stamp = int(time.time()) % 100000
    page.fill("#id_username", f"owner{stamp}")
    page.fill("#id_password", "Screenshots of a new salon")
    page.fill("#id_display_name", "王老板")
    page.fill("#id_phone", f"139{stamp:08d}")
    page.fill("#id_name", "花间美甲工作室")
    page.locator("[data-slug-preview]", has_text="huajian").wait_for()
    page.screenshot(path=DOCS / "signup.png", full_page=True)
    page.locator("form.signup button[type=submit]").click()
    page.locator("#setup-heading").wait_for()
    page.locator('[data-step="shop"] a').click()
    page.fill("#id_name", "静安店")
    page.fill("#id_address", "上海市静安区南京西路 1 号")
    page.locator("main form button.primary").click()
    page.locator("#setup-heading").wait_for()
    page.locator("#setup-heading").scroll_into_view_if_needed()
    page.screenshot(path=DOCS / "back-office-checklist.png")
    operator = os.environ.get("YUYUE_OPERATOR", "")
    if ":" in operator:
        username, password = operator.split(":", 1)
        page = browser.new_context(**tablet).new_page()
        page.goto(f"{base}/login?next=/manage/platform/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main form button[type=submit]").click()
        page.locator("table.platform-businesses").wait_for()
        page.screenshot(path=DOCS / "platform.png", full_page=True)


def share(browser, base: str) -> None:
    """The owner's share page on a tablet, and the A5 poster."""
    page = browser.new_context(
        viewport={"width": 1024, "height": 900}, device_scale_factor=1, locale="zh-CN"
    ).new_page()
    page.goto(f"{base}/login")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "yuyue-owner-demo")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/manage/demo/share/")
    page.screenshot(path=DOCS / "back-office-share.png")
    page.goto(f"{base}/manage/demo/share/poster/?size=a5")
    page.screenshot(path=DOCS / "back-office-share-poster.png", full_page=True)


if __name__ == "__main__":
    main((sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/"))
