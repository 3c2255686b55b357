"""Refresh the README's pictures (docs/web-*.png, docs/back-office-*.png, docs/signup.png,
docs/platform.png) from a running demo.

    yuyue demo && yuyue serve          # or make run
    python tools/screenshots.py [http://127.0.0.1:8000] [--back-office-only] [--out DIR]

A phone (375 px, 2× pixels) in Chinese logs in as the demo customer, opens 洗剪吹,
books the first free time and looks at its appointments. Then a tablet (1180×820) logged in
as the demo owner takes the back office: the day calendar, the dashboard, the explainer, a
staff member's settings (on a 1280×800 desktop), the booking form for a walk-in, the share page
and its poster. Last it opens a new business at /signup/ (docs/signup.png) and pictures its
set-up checklist (docs/back-office-checklist.png); with YUYUE_OPERATOR=username:password (a
superuser) also the operator's page (docs/platform.png). Needs the test extra (playwright) and
Debian's chromium; it books one appointment and opens one business in that database, so
sign-up must be open.
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


TABLET = {"viewport": {"width": 1180, "height": 820}, "has_touch": True, "locale": "zh-CN"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}


def back_office(browser, base: str, out: Path, suffix: str = "", shapes=(TABLET, DESKTOP)) -> None:
    """The owner's pages of the demo salon: most on `shapes[0]`, the staff page on `shapes[1]`."""
    tablet, desktop = shapes
    context = browser.new_context(**tablet)
    page = context.new_page()
    page.goto(f"{base}/login?next=/manage/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "yuyue-owner-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/manage/*/**")
    office = base + "/manage/" + page.url.split("/manage/")[1].split("/")[0]
    page.wait_for_load_state("load")
    page.screenshot(path=out / f"back-office-calendar{suffix}.png", full_page=True)
    # The explainer asked about the start of the first appointment ahead.
    day = page.locator(".cal-col[data-day]").first.get_attribute("data-day")
    for _ in range(7):
        ahead = page.locator(".block.status-confirmed, .block.status-pending")
        if ahead.count():
            break
        page.locator(".cal-nav a").nth(2).click()
        page.wait_for_url("**date=*")
        page.wait_for_function(f"!document.querySelector('[data-day=\"{day}\"]')")
        day = page.locator(".cal-col[data-day]").first.get_attribute("data-day")
    block = ahead.first
    column = block.locator("xpath=ancestor::section[@data-staff]")
    asked = {
        "staff": column.get_attribute("data-staff"),
        "date": column.get_attribute("data-day"),
        "time": block.locator(".block-time").inner_text()[:5],
    }
    page.goto(f"{office}/why/?" + "&".join(f"{k}={v}" for k, v in asked.items()))
    page.screenshot(path=out / f"back-office-explainer{suffix}.png")
    page.goto(f"{office}/dashboard/")
    page.screenshot(path=out / f"back-office-dashboard{suffix}.png", full_page=True)
    page.goto(f"{office}/book/?q=刘洋")
    page.locator("a.card-link").first.click()
    page.wait_for_load_state("load")
    page.screenshot(path=out / f"back-office-walk-in{suffix}.png")
    wide = browser.new_context(**desktop, storage_state=context.storage_state())
    staff_page = wide.new_page()
    staff_page.goto(f"{office}/settings/")
    staff_page.locator("a", has_text="陈助理").first.click()
    staff_page.wait_for_load_state("load")
    staff_page.screenshot(path=out / f"back-office-staff{suffix}.png")
    wide.close()
    context.close()


def main(base: str, *, customer_pages: bool = True, out: Path = DOCS) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        back_office(browser, base, out)
        share(browser, base)
        if not customer_pages:
            browser.close()
            return
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
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main(
        (args[0] if args else "http://127.0.0.1:8000").rstrip("/"),
        customer_pages="--back-office-only" not in sys.argv,
    )
