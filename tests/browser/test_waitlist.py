"""The waitlist in a real browser: the customer finds the offer on "my waitlist", sees it held
with a countdown, and books it with one tap (docs/waitlist.md#the-offer)."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import WEDNESDAY, make_user
from tests.waitlist.support import fill_wednesday, waitlist_offer_for
from yuyue.bookings.models import Status
from yuyue.waitlist.models import WaitlistEntry


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_offer_is_found_counted_down_and_accepted(ui, lang, service, stylist, customer):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    page = ui.page
    ui.goto("/waitlist/")
    # Logged out: the login page, and back to my waitlist.
    page.fill("#id_username", "customer")
    page.fill("#id_password", "correct horse battery")
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/waitlist/$"))
    ui.audit("my-waitlist")

    page.locator(f"a[href='/waitlist/offers/{offer.public_id}/']").click()
    countdown = page.locator("[data-countdown]")
    # Counted down by the page's script from the server's count: "14:5x".
    expect(countdown).to_have_text(re.compile(r"^1[45]:\d\d$"))
    ui.audit("waitlist-offer")

    page.locator("button[name=answer][value=accept]").click()
    expect(page).to_have_url(re.compile(rf"/appointments/{offer.public_id}/$"))
    offer.refresh_from_db()
    assert offer.status == Status.CONFIRMED


def test_a_full_day_is_waited_for(ui, service, stylist, customer):
    fill_wednesday(service, stylist)
    page = ui.page
    ui.goto(f"/b/salon/book/{service.id}/")
    wait = page.locator(".waitlist-join a.chip").first
    expect(wait).to_be_visible()
    ui.audit("book-with-a-full-day")
    wait.click()
    page.fill("#id_username", "customer")
    page.fill("#id_password", "correct horse battery")
    page.locator("form:has(#id_username) button[type=submit]").click()
    expect(page.locator("#id_date_from")).to_have_value(WEDNESDAY.isoformat())
    ui.audit("join-the-waitlist")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/waitlist/$"))
    entry = WaitlistEntry.objects.get(customer=customer)
    assert (entry.date_from, entry.state) == (WEDNESDAY, WaitlistEntry.State.WAITING)
