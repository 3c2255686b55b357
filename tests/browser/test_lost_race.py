"""Someone else takes the time between the confirm page and "Book now": the customer hears so
kindly, keeps the notes typed, and books one of the nearest free times with one tap."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.helpers import THURSDAY, at
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import appointment_create

NOTES = "第一次来，想剪短一点 / first visit"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_lost_race_offers_the_nearest_times(ui, lang, service, stylist, customer, stranger):
    page = ui.page
    ui.goto(f"/b/salon/book/{service.id}/?start={THURSDAY}&date={THURSDAY}")
    page.locator("a.time", has_text="10:00").click()

    # Log in on the confirm page; it comes back with the same time.
    page.fill("#login_username", "customer")
    page.fill("#login_password", "correct horse battery")
    page.locator("form:has(#login_username) button[type=submit]").click()
    expect(page.locator("#id_notes")).to_be_visible()
    expect(page).to_have_url(re.compile(r"start=2026-12-03T10%3A00"))
    page.fill("#id_notes", NOTES)

    # Meanwhile another customer books that very time (only one stylist: it is gone).
    appointment_create(service=service, customer=stranger, start=at(THURSDAY, "10:00"))

    page.locator("main form button[type=submit]").click()
    alert = page.locator("main form .alert[role=alert]")
    expect(alert).to_be_visible()
    if lang == "en":
        expect(alert).to_contain_text("Sorry, that time was just taken.")
    # The notes are kept, and the nearest free times are buttons of the same form.
    expect(page.locator("main form #id_notes")).to_have_value(NOTES)
    choices = page.locator("main form:has(#id_notes) button.time[type=submit][name=start]")
    expect(choices.first).to_be_visible()
    assert choices.count() >= 2
    assert not Appointment.objects.filter(customer=customer).exists()
    ui.audit("lost-race", expected_status=409)

    choice = choices.first
    value = choice.get_attribute("value")
    label = choice.inner_text()
    chosen = dt.datetime.fromisoformat(value)
    assert chosen != at(THURSDAY, "10:00")
    assert re.search(r"\d\d:\d\d", label)
    choice.click()

    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    booked = Appointment.objects.get(customer=customer)
    assert booked.start == chosen
    assert booked.status == Status.CONFIRMED
    assert booked.notes == NOTES.strip()
    assert booked.staff_id == stylist.id
    expect(page.locator(".done")).to_contain_text(f"{chosen:%H:%M}")
    expect(page.locator(".done")).to_contain_text(
        "北京时间" if lang == "zh-hans" else "China Standard Time"
    )
    # The other customer's appointment is untouched.
    taken = Appointment.objects.get(customer=stranger)
    assert (taken.start, taken.status) == (at(THURSDAY, "10:00"), Status.CONFIRMED)
    ui.shot("done")
