"""The header's language switch: it keeps the page, and the choice stays (a cookie) on every
page after, reloads and logging in included; a logged-in switch is kept on the account too."""

import re

import pytest
from playwright.sync_api import expect


def language_cookie(ui) -> str | None:
    cookies = {c["name"]: c["value"] for c in ui.page.context.cookies()}
    return cookies.get("django_language")


def test_language_switch_persists_across_pages(ui, service, stylist, customer):
    page = ui.page
    h1 = page.get_by_role("heading", level=1)

    # A Chinese browser gets Chinese pages.
    ui.goto("/login")
    ui.expect_language()
    expect(h1).to_have_text("登录")
    ui.audit("login")
    ui.goto("/register")
    expect(h1).to_have_text("注册")
    ui.audit("register")
    assert language_cookie(ui) is None

    # Switch to English on the register page: the same page, now in English.
    page.locator("header button[name=language][value=en]").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(h1).to_have_text("Register")
    expect(page.locator("header button[name=language]")).to_have_text("中文")
    assert language_cookie(ui) == "en"
    ui.audit("register")

    # Other pages, a reload, the business page: English all along.
    ui.goto("/login")
    expect(h1).to_have_text("Log in")
    ui.audit("login")
    ui.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#services-heading")).to_have_text("Services")
    page.get_by_role("link", name=re.compile("洗剪吹")).click()
    expect(page.locator("a.chip").first).to_have_text("Anyone available")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Logging in keeps it.
    page.locator('header a[href^="/login"]').click()
    page.fill("#id_username", "customer")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/b/salon/book/{service.id}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('header a[href="/appointments"]')).to_have_text("My appointments")
    ui.shot("logged-in-en")

    # A switch while logged in goes on the account too (for its messages), and stays.
    customer.refresh_from_db()
    assert customer.language == ""  # none stated; the logged-out switch left it
    page.locator("header button[name=language][value=zh-hans]").click()
    expect(page).to_have_url(re.compile(rf"/b/salon/book/{service.id}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert language_cookie(ui) == "zh-hans"
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert language_cookie(ui) == "en"
    customer.refresh_from_db()
    assert customer.language == "en"
    page.locator('header a[href="/appointments"]').click()
    expect(h1).to_have_text("My appointments")
    ui.shot("appointments-en")


@pytest.mark.parametrize("lang", ["en"])
def test_english_browser_switches_to_chinese(ui, lang, service, stylist):
    page = ui.page
    ui.goto("/")
    ui.expect_language()
    expect(page.locator("#services-heading")).to_have_text("Services")
    page.locator("header button[name=language][value=zh-hans]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("link", name=re.compile("洗剪吹")).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert language_cookie(ui) == "zh-hans"
    ui.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    ui.shot("login-zh")
