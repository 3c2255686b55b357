"""Everything works without JavaScript: links and forms only, from the business page to done."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import FRIDAY, at
from yuyue.bookings.models import Appointment, Status


@pytest.fixture
def javascript() -> bool:
    return False


def test_booking_without_javascript(ui, service, stylist, customer):
    page = ui.page
    documents = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else 0)

    ui.goto("/b/salon/")
    ui.shot("business")
    page.get_by_role("link", name=re.compile("洗剪吹")).click()
    expect(page).to_have_url(re.compile(rf"/b/salon/book/{service.id}/$"))
    ui.shot("picker")

    # Tapping a day is a plain page load that selects it.
    page.locator(f'a.day[href*="date={FRIDAY}"]').click()
    expect(page).to_have_url(re.compile(f"date={FRIDAY}"))
    expect(page.locator("a.day.selected")).to_have_attribute("href", re.compile(f"date={FRIDAY}"))
    assert any(f"date={FRIDAY}" in url for url in documents)
    ui.shot("picker-friday")
    page.locator("a.time", has_text="11:00").click()

    # Log in on the confirm page, come back to it, book.
    ui.shot("confirm-logged-out")
    page.fill("#login_username", "customer")
    page.fill("#login_password", "correct horse battery")
    page.locator("form:has(#login_username) button[type=submit]").click()
    expect(page.locator("#id_notes")).to_be_visible()
    page.fill("#id_notes", "no JS")
    ui.shot("confirm-logged-in")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    booked = Appointment.objects.get(customer=customer)
    assert (booked.start, booked.status, booked.notes) == (
        at(FRIDAY, "11:00"),
        Status.CONFIRMED,
        "no JS",
    )
    expect(page.locator(".done")).to_contain_text("11:00")
    expect(page.locator(".done")).to_contain_text("北京时间")
    expect(page.locator(f'a[href="/appointments/{booked.public_id}/"]').first).to_be_visible()
    ui.shot("done")
