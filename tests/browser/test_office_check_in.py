"""Check-in at the counter in Chromium on a tablet: the owner types the customer's code in the
calendar's box and the appointment starts; the camera button shows only where the browser can
read QR codes. axe-core and the CSP console listener check both pages."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.ui import LOCALES, UI
from tests.helpers import TUESDAY, at, make_appointment
from yuyue.bookings.models import Status

TABLET = {"viewport": {"width": 1180, "height": 820}, "has_touch": True, "device_scale_factor": 1}


@pytest.fixture
def desk(browser, live_server, lang, request, owner, business):
    client = Client()
    client.force_login(owner)
    context = browser.new_context(**TABLET, locale=LOCALES[lang])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
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


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_the_owner_checks_a_customer_in_by_typing_the_code(desk, lang, service, stylist, customer):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    arriving = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "08:30")
    )
    page = desk.page

    desk.goto("/manage/salon/")
    desk.expect_language()
    box = page.locator(".checkin-box")
    expect(box).to_contain_text("核销")
    box.locator("input[name=code]").fill(arriving.checkin_code)
    box.locator("button[type=submit]").click()

    expect(page.locator(".notice")).to_contain_text("已核销：张小美")
    expect(page.locator(".checkin-result")).to_contain_text("进行中")
    arriving.refresh_from_db()
    assert arriving.status == Status.IN_PROGRESS
    # Headless Chromium has no BarcodeDetector: the camera button stays hidden, typing works.
    if page.evaluate("'BarcodeDetector' in window"):
        expect(page.locator("[data-scan]")).to_be_visible()
    else:
        expect(page.locator("[data-scan-unavailable]")).to_be_visible()
    desk.audit("check-in")

    # The same code again says it is already checked in, with the appointment shown.
    page.locator("#checkin-code").fill(arriving.checkin_code)
    page.locator(".checkin button[type=submit]").click()
    expect(page.locator(".alert")).to_contain_text("此预约已核销")
    desk.audit("check-in-refused", expected_status=409)
