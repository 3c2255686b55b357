"""A newcomer books with a phone and a texted code alone, in Chinese and in English: the code is
read where the text went (the webhook stand-in on loopback), and "send again" counts down."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.codes import last_code
from tests.helpers import WEDNESDAY, at, confirm_url
from yuyue.bookings.models import Appointment

PHONE = "+8613917778117"
WORDS = {
    "zh-hans": {"get": "获取验证码", "sign_in": "登录", "again": r"\d+ 秒后可重新发送"},
    "en": {"get": "Get a code", "sign_in": "Sign in", "again": r"Send again in \d+ s"},
}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_newcomer_books_with_a_phone_and_a_code(ui, webhook, service, stylist, lang):
    page, words = ui.page, WORDS[lang]
    ui.goto(confirm_url(service, staff="any", start="2026-12-02T10:00+08:00"))
    ui.expect_language()
    ui.audit("confirm-with-phone")

    page.fill("#phone_phone", "139 1777 8117")
    page.get_by_role("button", name=words["get"]).click()

    expect(page.locator("#id_code")).to_be_visible()
    again = page.locator("button[name=action][value=send]")
    expect(again).to_be_disabled()
    expect(again).to_have_text(re.compile(words["again"]))
    ui.audit("code-step")
    page.fill("#id_code", last_code(webhook, PHONE))
    page.get_by_role("button", name=words["sign_in"], exact=True).click()

    expect(page.locator("#id_notes")).to_be_visible()
    page.locator("main form:has(#id_notes) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    ui.audit("done")
    booked = Appointment.objects.get()
    assert booked.start == at(WEDNESDAY, "10:00")
    assert (booked.customer.phone, booked.customer.phone_verified) == (PHONE, True)
    assert booked.customer.language == lang
