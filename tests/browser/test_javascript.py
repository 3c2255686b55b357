"""What app.js adds: choosing a day, a staff member or another week swaps the picker in place
(no page load, the address bar follows, Back goes back to the previous choice), and a form
sends once however often it is tapped."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.helpers import at
from yuyue.bookings.models import Appointment


def test_tapping_a_day_swaps_the_picker_in_place(ui, service, stylist, second_stylist):
    page = ui.page
    ui.goto(f"/b/salon/book/{service.id}/")
    selected = page.locator("a.day.selected")
    times = page.locator("a.time")
    # Today (Tuesday) from 10:00: 09:00 is within the hour's notice.
    expect(selected).to_have_attribute("href", re.compile("date=2026-12-01"))
    expect(times).to_have_count(7)
    expect(times.first).to_have_text("10:00")

    loads = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    page.evaluate("window.__marker = 1")

    # A day: fetched, swapped in, the URL updated, the focus on the chosen day.
    with page.expect_request(lambda r: r.resource_type == "fetch") as fetched:
        page.locator('a.day[href*="date=2026-12-03"]').click()
    assert fetched.value.headers.get("x-requested-with") == "fetch"
    expect(page).to_have_url(re.compile(r"start=2026-12-01&date=2026-12-03$"))
    expect(selected).to_have_attribute("href", re.compile("date=2026-12-03"))
    expect(selected).to_have_attribute("aria-current", "date")
    expect(times).to_have_count(8)  # Thursday from 09:00
    expect(times.first).to_have_text("09:00")
    expect(selected).to_be_focused()
    assert page.evaluate("window.__marker") == 1
    assert loads == []
    ui.audit("picker-swapped")

    # A staff member: the day chosen stays chosen.
    tony = page.locator("a.chip", has_text="Tony")
    tony.click()
    expect(page).to_have_url(re.compile(rf"staff={stylist.id}&start=2026-12-01&date=2026-12-03$"))
    expect(selected).to_have_attribute("href", re.compile("date=2026-12-03"))
    expect(tony).to_have_attribute("aria-current", "true")
    expect(page.locator("a.chip").first).not_to_have_attribute("aria-current", "true")

    # The next week.
    page.locator(".week-nav a").last.click()
    expect(page).to_have_url(re.compile(rf"staff={stylist.id}&start=2026-12-08$"))
    expect(page.locator("ul.days li").first).to_contain_text("8")
    assert page.evaluate("window.__marker") == 1
    assert loads == []

    # Back, twice: the same page, the earlier pickers.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"staff={stylist.id}&start=2026-12-01&date=2026-12-03$"))
    expect(page.locator(".week-nav a")).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(re.compile(r"date=2026-12-03$"))
    expect(selected).to_have_attribute("href", re.compile("date=2026-12-03"))
    expect(page.locator("a.chip").first).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.__marker") == 1
    assert loads == []

    # A time is a real page: the marker goes with the old page (so the checks above mean it).
    times.first.click()
    expect(page).to_have_url(re.compile(r"/confirm/\?staff=any&start=2026-12-03T09%3A00"))
    assert page.evaluate("window.__marker") is None
    assert len(loads) == 1
    ui.shot("confirm")


def test_book_now_sends_once(ui, service, stylist, customer):
    page = ui.page
    ui.goto(f"/b/salon/book/{service.id}/?start=2026-12-03&date=2026-12-03")
    page.locator("a.time", has_text="14:00").click()
    ui.log_in_here("customer")
    expect(page.locator("#id_notes")).to_be_visible()
    # The fields show before app.js (deferred) has run; on a busy machine, long before.
    page.wait_for_load_state("load")

    # Hold the booking request, as a slow network would: the page stays, its form sent.
    held = []
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.route(
        re.compile(r"/confirm/$"),
        lambda route: held.append(route) if route.request.method == "POST" else route.fallback(),
    )
    # Tap, then submit again while the request is on its way; all in the page, as Playwright's
    # own actions (and evaluations) wait for the held navigation.
    with page.expect_request(lambda request: request.method == "POST") as first:
        state = page.evaluate(
            """async () => {
                const form = document.querySelector("main form");
                const button = form.querySelector("button[type=submit]");
                button.click();
                await new Promise((resolve) => setTimeout(resolve, 0));
                const after = {sent: form.dataset.sent, disabled: button.disabled};
                form.requestSubmit();  // a second submit, as the Enter key in a field sends
                await new Promise((resolve) => setTimeout(resolve, 0));
                return after;
            }"""
        )
    assert state == {"sent": "1", "disabled": True}
    assert "start=2026-12-03T14%3A00" in first.value.post_data
    # One round trip to the driver: its answer comes after the route it announced before.
    page.context.cookies()
    assert len(held) == 1
    held[0].fallback()

    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    # (Without app.js the browser sends the second submit too: two POSTs.)
    assert len(posts) == 1
    booked = Appointment.objects.get(customer=customer)
    assert booked.start == at(dt.date(2026, 12, 3), "14:00")

    ui.shot("done")


def test_language_switch_after_a_swap_keeps_the_choice(ui, service, stylist):
    page = ui.page
    ui.goto(f"/b/salon/book/{service.id}/")
    page.locator('a.day[href*="date=2026-12-03"]').click()
    expect(page).to_have_url(re.compile(r"date=2026-12-03$"))
    expect(page.locator("a.day.selected")).to_have_attribute("href", re.compile("2026-12-03"))
    assert "2026-12-03" in page.locator("header input[name=next]").get_attribute("value")
    assert "2026-12-03" in page.locator('header a[href^="/login"]').get_attribute("href")
    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "date=2026-12-03" in page.url
