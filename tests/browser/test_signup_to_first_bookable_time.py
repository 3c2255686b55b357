"""A new owner on a phone, from the site's root to the first time a customer could book: open
the business, then its set-up checklist (shop, services from a template, "this is me" with
hours copied to every day) until the checklist is gone and the booking page lists times; in
Chinese and in English, with axe-core on every new page. The clicks, page loads and seconds
it took are printed (and kept in artifacts/)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.axe import ARTIFACTS
from yuyue.catalog.models import Business, Membership
from yuyue.scheduling.models import StaffMember

NAME = {"zh-hans": "悦己美发沙龙", "en": "Bloom Hair Studio"}
SLUG = {"zh-hans": "yueji-meifa-shalong", "en": "bloom-hair-studio"}
OPEN = {"zh-hans": "开店", "en": "Open your business"}
CHECKLIST = {"zh-hans": "完成开店设置", "en": "Set up your business"}
LIMIT_SECONDS = 180


@pytest.fixture(autouse=True)
def _no_default_business(settings):
    # A fresh site: the root lists businesses (none yet) and offers to open one.
    settings.YUYUE_DEFAULT_BUSINESS = ""


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_new_business_reaches_its_first_bookable_time(ui, lang, db):
    page = ui.page
    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()

    started = time.monotonic()

    # The root of a fresh site: nothing to book yet, and the way to open a business.
    ui.goto("/")
    ui.expect_language()
    click(page.get_by_role("link", name=OPEN[lang]))

    # Opening the business: the account, then the business; its link is proposed from the name.
    expect(page).to_have_url(re.compile(r"/signup/$"))
    ui.audit("signup")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "Salon owner since 2009")
    page.fill("#id_phone", "139 2000 0001")
    page.fill("#id_name", NAME[lang])
    expect(page.locator("#id_slug")).to_have_value(SLUG[lang])
    expect(page.locator("[data-slug-preview]")).to_have_text(SLUG[lang])
    click(page.locator("form.signup button[type=submit]"))

    # The back office, with its checklist.
    expect(page).to_have_url(re.compile(rf"/manage/{SLUG[lang]}/$"))
    expect(page.locator("#setup-heading")).to_contain_text(CHECKLIST[lang])
    business = Business.objects.get(slug=SLUG[lang])
    assert Membership.objects.get(business=business).user.username == "boss"
    ui.audit("checklist")

    # 1. The shop.
    click(page.locator('[data-step="shop"] a'))
    page.fill("#id_name", "静安店" if lang == "zh-hans" else "Jing'an")
    page.fill("#id_address", "上海市静安区南京西路 1 号")
    page.fill("#id_phone", "021 6288 0000")
    click(page.locator("main form button.primary"))
    expect(page.locator('[data-step="shop"]')).to_have_class(re.compile("is-done"))

    # 2. Services from the hair salon template, as they are.
    click(page.locator('[data-step="services"] a'))
    click(page.locator(".setup-industries a").first)
    ui.audit("template-services")
    click(page.locator("form.setup-services button.primary"))
    expect(page.locator('[data-step="services"]')).to_have_class(re.compile("is-done"))

    # 3 and 4. The owner as the first staff member, Monday's hours copied to every day.
    click(page.locator('[data-step="staff"] a'))
    expect(page.locator("#id_is_me")).to_be_checked()
    page.fill("#id_hours-mon", "09:00-18:00")
    click(page.locator('button[value="copy-mon"]'))
    expect(page.locator("#id_hours-sun")).to_have_value("09:00-18:00")
    ui.audit("staff-hours")
    click(page.locator("main form.panel button.primary"))

    # The checklist is gone: set up.
    expect(page).to_have_url(re.compile(rf"/manage/{SLUG[lang]}/$"))
    expect(page.locator("#setup-heading")).to_have_count(0)
    assert StaffMember.objects.get(business=business).user.username == "boss"

    # A customer's view: the booking page lists free times.
    ui.goto(f"/b/{SLUG[lang]}/")
    click(page.locator("a.card-link").first)
    expect(page.locator("a.time").first).to_be_visible()
    seconds = time.monotonic() - started

    times = page.locator("a.time").count()
    report = (
        f"sign-up → first bookable time ({lang}): {seconds:.1f} s, {clicks} clicks, "
        f"{len(loads)} page loads, {times} times listed"
    )
    print(report)
    (ARTIFACTS / f"signup-timing-{lang}.txt").write_text(report + "\n")
    assert times > 0
    assert seconds < LIMIT_SECONDS
