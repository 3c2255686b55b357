"""The back office in Chromium on a tablet: the owner confirms a pending appointment from the
calendar and moves between days without a page load, books a walk-in by phone number, edits a
staff member's hours and sees the customer's picker change, asks why a time is not free and
opens the dashboard. axe-core and the CSP console listener check every page."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import ARTIFACTS
from tests.browser.ui import LOCALES, UI
from tests.helpers import TUESDAY, WEDNESDAY, at, make_appointment
from yuyue.bookings.models import Appointment

TABLET = {"viewport": {"width": 1180, "height": 820}, "has_touch": True, "device_scale_factor": 1}


@pytest.fixture
def desk(browser, live_server, lang, request, owner, business):
    """A tablet logged in as the salon's owner."""
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


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_owner_confirms_a_pending_appointment_from_the_calendar(
    desk, lang, service, stylist, second_stylist, customer
):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    waiting = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "10:00"),
        status="pending",
    )
    make_appointment(
        service=service, staff=second_stylist, customer=customer, start=at(TUESDAY, "14:00")
    )
    page = desk.page

    desk.goto("/manage/salon/")
    desk.expect_language()
    expect(page.locator(".block.status-pending")).to_contain_text("张小美")
    desk.audit("calendar")
    page.locator(".pending-item button.primary").click()

    expect(page.locator(".block.status-confirmed").first).to_be_visible()
    expect(page.locator(".pending")).to_have_count(0)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    desk.audit("calendar-confirmed")

    # The next day swaps in place: the page itself stays (no load), the address follows.
    page.evaluate("window.stayed = true")
    page.locator(".cal-nav a").nth(2).click()
    expect(page).to_have_url(re.compile(f"date={WEDNESDAY.isoformat()}"))
    expect(page.locator("h1")).to_contain_text("2")
    assert page.evaluate("window.stayed") is True
    desk.check_console()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_owner_books_a_walk_in_by_phone_number(desk, lang, service, stylist):
    page = desk.page
    with time_machine.travel(at(TUESDAY, "10:00"), tick=True):
        desk.goto("/manage/salon/book/")
        page.fill("#q", "139 1234 5678")
        page.locator("form[role=search] button").click()
        expect(page.locator("#phone")).to_have_value("139 1234 5678")
        page.fill("#name", "路人甲")
        page.locator("form:has(#name) button").click()
        expect(page.locator(".current")).to_contain_text("路人甲")
        page.select_option("#service", str(service.id))
        page.select_option("#staff", str(stylist.id))
        page.locator("form[method=get] button").last.click()
        expect(page.locator("a.time").first).to_be_visible()
        desk.audit("walk-in")
        page.locator("button[name=walk_in]").click()
        expect(page.locator("h1 .status-in_progress")).to_be_visible()
        desk.audit("walk-in-started")

    walk_in = Appointment.objects.get(client__phone="+8613912345678")
    assert walk_in.status == "in_progress" and walk_in.channel == "backoffice"
    assert walk_in.customer is None


def test_the_owner_edits_hours_and_the_customers_picker_changes(desk, service, stylist):
    page = desk.page
    desk.goto(f"/manage/salon/settings/staff/{stylist.id}/")
    page.fill("#id_hours-wed", "14:00-16:00")
    desk.audit("staff-hours")
    page.locator("form.panel button.primary").click()
    expect(page.locator(".notice")).to_be_visible()

    desk.goto(f"/b/salon/book/{service.id}/?staff={stylist.id}&date={WEDNESDAY.isoformat()}")
    expect(page.locator("a.time")).to_have_text(["14:00", "15:00"])
    desk.shot("customer-picker-after")


def test_the_owner_asks_why_a_time_is_not_free_and_opens_the_dashboard(
    desk, service, stylist, customer
):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    for hhmm, status in (("09:00", "completed"), ("11:00", "no_show"), ("13:00", "cancelled")):
        make_appointment(
            service=service,
            staff=stylist,
            customer=customer,
            start=at(TUESDAY - dt.timedelta(days=1), hhmm),
            status=status,
        )
    page = desk.page

    desk.goto(
        f"/manage/salon/why/?staff={stylist.id}&service={service.id}"
        f"&date={WEDNESDAY.isoformat()}&time=10:30"
    )
    expect(page.locator(".reasons")).to_contain_text("张小美")
    desk.audit("explainer")

    week_ago = (TUESDAY - dt.timedelta(days=6)).isoformat()
    desk.goto(f"/manage/salon/dashboard/?from={week_ago}&to={WEDNESDAY.isoformat()}")
    expect(page.locator("svg.chart")).to_have_count(4)
    expect(page.locator('[data-figure="completed-value"]')).to_have_text("¥88")
    desk.audit("dashboard")
    assert (ARTIFACTS / f"{desk.name}-02-dashboard.png").exists()
