"""A new customer on a phone: register on the confirm page, book "anyone available", find the
appointment, move it, cancel it; in Chinese and in English, checking the database at each step
and axe-core on every page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.helpers import FRIDAY, THURSDAY, at
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Status

# The zone by the name people use, not its IANA name.
ZONE = {"zh-hans": "北京时间", "en": "China Standard Time"}


def when_pattern(lang: str, day: dt.date, hhmm: str) -> re.Pattern:
    """The local time as the pages write it; the zone is named once on the page (ZONE_NOTE)."""
    if lang == "en":
        text = f"{day:%a} {day.day} {day:%b} {day.year}, {hhmm}"
        return re.compile(re.escape(text) + r"(?! \()")
    # The weekday's Chinese name is still being translated: match the rest.
    return re.compile(re.escape(f"{day.year}年{day.month}月{day.day}日 {hhmm}") + r"(?!（)")


ZONE_NOTE = {
    "zh-hans": "时间均为北京时间（UTC+08:00）。",
    "en": "All times are China Standard Time (UTC+08:00).",
}


def pick(page, day: dt.date, hhmm: str) -> None:
    """Tap a day in the week strip, wait for its times, tap one."""
    page.locator(f'a.day[href*="date={day.isoformat()}"]').click()
    expect(page.locator("a.day.selected")).to_have_attribute(
        "href", re.compile(f"date={day.isoformat()}")
    )
    page.locator("a.time", has_text=hhmm).click()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_book_reschedule_cancel(ui, lang, service, stylist, second_stylist):
    page = ui.page
    en = lang == "en"

    # The business page: the default business at the root.
    ui.goto("/")
    ui.expect_language()
    expect(page.get_by_role("heading", level=1)).to_have_text("悦己美发沙龙")
    ui.audit("business")
    page.get_by_role("link", name=re.compile("洗剪吹")).click()

    # The picker: "anyone" is chosen first; the weekend is greyed out.
    expect(page).to_have_url(re.compile(rf"/b/salon/book/{service.id}/$"))
    chips = page.locator("a.chip")
    expect(chips).to_have_count(3)
    expect(chips.first).to_have_attribute("aria-current", "true")
    if en:
        expect(chips.first).to_have_text("Anyone available")
    expect(page.locator(".zone")).to_contain_text(ZONE[lang])
    expect(page.locator("span.day.full")).to_have_count(2)  # Sat 5, Sun 6
    ui.audit("picker")
    pick(page, THURSDAY, "10:00")

    # Confirm, logged out: register right here and come back to the same choice.
    expect(page).to_have_url(re.compile(r"/confirm/\?staff=any&start=2026-12-03T10%3A00"))
    expect(page.locator("dl.summary")).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    expect(page.locator(".zone-note")).to_have_text(ZONE_NOTE[lang])
    ui.audit("confirm-logged-out")
    page.fill("#register_username", "xiaoming")
    page.fill("#register_password", "Tea at three, please")
    page.fill("#register_phone", "139 1234 5678")
    page.fill("#register_email", "xiaoming@example.com")
    page.locator("form:has(#register_username) button[type=submit]").click()

    # Confirm, logged in: the same time, a notes box, "Book now".
    expect(page.locator("#id_notes")).to_be_visible()
    expect(page.locator("dl.summary")).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    user = User.objects.get(username="xiaoming")
    assert user.phone == "+8613912345678"
    assert user.language == lang
    assert not Appointment.objects.filter(customer=user).exists()
    ui.audit("confirm-logged-in")
    page.fill("#id_notes", "剪短一点" if not en else "A bit shorter, please")
    book = page.locator("main form button[type=submit]")
    if en:
        expect(book).to_have_text("Book now")
    book.click()

    # Done: booked with whichever stylist was free, at the chosen local time.
    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    appointment = Appointment.objects.get(customer=user)
    assert appointment.status == Status.CONFIRMED
    assert appointment.start == at(THURSDAY, "10:00")
    assert appointment.staff.name in {"Tony 老师", "Lily 老师"}
    assert appointment.notes == ("剪短一点" if not en else "A bit shorter, please")
    expect(page.locator(".done")).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    expect(page.locator(".done")).to_contain_text(appointment.staff.name)
    calendar = page.locator(f'a[href="/appointments/{appointment.public_id}/calendar.ics"]')
    detail_link = page.locator(f'.actions a[href="/appointments/{appointment.public_id}/"]')
    if en:
        expect(calendar).to_have_text("Add to calendar")
        expect(detail_link).to_have_text("See the appointment")
    ics = page.request.get(ui.url(calendar.get_attribute("href")))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    assert "DTSTART:20261203T020000Z" in ics.text()
    ui.audit("done")

    # My appointments, from the header.
    page.locator('header a[href="/appointments"]').click()
    expect(page).to_have_url(re.compile(r"/appointments$"))
    upcoming = page.locator("section[aria-labelledby=upcoming-heading] a.card-link")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text("洗剪吹")
    expect(upcoming).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    expect(upcoming.locator(".status-confirmed")).to_have_text("Confirmed" if en else "已确认")
    ui.audit("appointments")
    upcoming.click()

    # The appointment: reschedule it.
    expect(page).to_have_url(re.compile(rf"/appointments/{appointment.public_id}/$"))
    expect(page.locator("dl.summary")).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    ui.audit("detail")
    reschedule = page.locator(f'a[href="/appointments/{appointment.public_id}/reschedule/"]')
    if en:
        expect(reschedule).to_have_text("Reschedule")
    reschedule.click()

    # The reschedule picker keeps the stylist the appointment has.
    expect(page.locator(".current")).to_contain_text(when_pattern(lang, THURSDAY, "10:00"))
    expect(page.locator("a.chip[aria-current=true]")).to_have_text(appointment.staff.name)
    ui.audit("reschedule-picker")
    pick(page, FRIDAY, "11:00")
    expect(page.locator("dl.summary")).to_contain_text(when_pattern(lang, FRIDAY, "11:00"))
    ui.audit("reschedule-confirm")
    move = page.locator("main form button[type=submit]")
    if en:
        expect(move).to_have_text("Move my appointment")
    move.click()

    # Moved: the same appointment, the new time, still confirmed.
    expect(page).to_have_url(re.compile(rf"/appointments/{appointment.public_id}/$"))
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator("dl.summary")).to_contain_text(when_pattern(lang, FRIDAY, "11:00"))
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.status == Status.CONFIRMED
    assert moved.start == at(FRIDAY, "11:00")
    assert moved.staff_id == appointment.staff_id
    assert Appointment.objects.filter(customer=user).count() == 1
    ui.shot("moved")

    # Cancel it, with a reason.
    cancel = page.locator(f'a[href="/appointments/{appointment.public_id}/cancel/"]')
    if en:
        expect(cancel).to_have_text("Cancel appointment")
    cancel.click()
    expect(page.locator("main")).to_contain_text(when_pattern(lang, FRIDAY, "11:00"))
    ui.audit("cancel")
    page.fill("#id_reason", "临时有事" if not en else "Something came up")
    confirm_cancel = page.locator("main form button[type=submit]")
    if en:
        expect(confirm_cancel).to_have_text("Yes, cancel it")
    confirm_cancel.click()

    expect(page).to_have_url(re.compile(rf"/appointments/{appointment.public_id}/$"))
    expect(page.locator("h1 .status-cancelled")).to_have_text("Cancelled" if en else "已取消")
    cancelled = Appointment.objects.get(pk=appointment.pk)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.start == at(FRIDAY, "11:00")
    expect(page.locator(f'a[href="/appointments/{appointment.public_id}/cancel/"]')).to_have_count(
        0
    )
    ui.shot("cancelled")

    # The list: nothing upcoming, the cancelled one under past.
    page.locator('header a[href="/appointments"]').click()
    expect(page.locator("section[aria-labelledby=upcoming-heading] a.card-link")).to_have_count(0)
    past = page.locator("section[aria-labelledby=past-heading] a.card-link")
    expect(past).to_have_count(1)
    expect(past.locator(".status-cancelled")).to_have_text("Cancelled" if en else "已取消")
    expect(past).to_contain_text(when_pattern(lang, FRIDAY, "11:00"))
    ui.audit("appointments-after-cancel")
