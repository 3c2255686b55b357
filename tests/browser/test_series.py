"""A weekly series in a real browser (docs/booking.md#series): a customer picks a first time,
asks for it every week, sees the one date already taken with its alternatives, picks one,
books the lot, finds them in My appointments and cancels "this and the following"; and the
staff book a series for a customer from the back office. In Chinese and in English, axe-core
on every page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import DESKTOP, office_ui
from tests.helpers import THURSDAY, at, make_appointment, make_user, owner_of
from yuyue.bookings.models import Series, Status
from yuyue.catalog.services import business_update, service_update
from yuyue.customers.services import customer_create

WEEK = dt.timedelta(days=7)
# The third Thursday's 10:00 is someone else's: the series' one conflict.
TAKEN = THURSDAY + 2 * WEEK


@pytest.fixture
def series_allowed(business, service, stylist):
    owner = owner_of(business)
    service_update(service=service, actor=owner, allows_series=True)
    business_update(business=business, actor=owner, customers_book_series=True)
    make_appointment(
        service=service,
        staff=stylist,
        customer=make_user("neighbour"),
        start=at(TAKEN, "10:00"),
    )


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.usefixtures("series_allowed")
def test_a_customer_books_a_weekly_series_and_cancels_the_rest(ui, lang, service, customer):
    page = ui.page
    en = lang == "en"

    # The picker, Thursday 10:00, then the confirm page: log in right there.
    ui.goto(f"/b/salon/book/{service.id}/")
    page.locator(f'a.day[href*="date={THURSDAY.isoformat()}"]').click()
    # Today's times are shown first: wait for Thursday's before tapping 10:00.
    expect(page.locator("a.day.selected")).to_have_attribute(
        "href", re.compile(f"date={THURSDAY.isoformat()}")
    )
    page.locator("a.time", has_text="10:00").click()
    expect(page).to_have_url(re.compile(r"/confirm/\?.*start=2026-12-03T10%3A00"))
    ui.log_in_here("customer")
    series_link = page.locator("a[data-series-link]")
    expect(series_link).to_be_visible()
    ui.audit("confirm-with-series")
    series_link.click()

    # Every week, 4 times: three free, the third taken, with its nearest free times instead.
    expect(page).to_have_url(re.compile(rf"/b/salon/book/{service.id}/series/"))
    page.fill("#count", "4")
    page.locator("main form[method=get] button[type=submit]").click()
    rows = page.locator("ul.series > li")
    expect(rows).to_have_count(4)
    conflict = page.locator("ul.series > li.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("Not free. Instead:" if en else "不可预约。可改为：")
    alternatives = conflict.locator("label.alternative input[name=pick]")
    expect(alternatives.first).to_be_visible()
    ui.audit("series-check")
    instead = alternatives.first.get_attribute("value")
    alternatives.first.check()
    page.locator("main form[method=post] button[type=submit]").click()

    # Booked all four, listed under upcoming; the third at the alternative picked.
    expect(page).to_have_url(re.compile(r"/appointments$"))
    series = Series.objects.get()
    booked = list(series.appointments.order_by("start"))
    assert [a.status for a in booked] == [Status.CONFIRMED] * 4
    assert all(a.customer_id == customer.id for a in booked)
    assert [a.start for a in booked if a.start != at(TAKEN, "10:00")] == [
        at(THURSDAY, "10:00"),
        at(THURSDAY + WEEK, "10:00"),
        dt.datetime.fromisoformat(instead),
        at(THURSDAY + 3 * WEEK, "10:00"),
    ]
    upcoming = page.locator("section[aria-labelledby=upcoming-heading] a.card-link")
    expect(upcoming).to_have_count(4)
    ui.audit("appointments-with-series")

    # Cancel the second and every later one.
    second = booked[1]
    upcoming.nth(1).click()
    expect(page).to_have_url(re.compile(rf"/appointments/{second.public_id}/$"))
    page.locator(f'a[href="/appointments/{second.public_id}/cancel/"]').click()
    following = page.locator("input[name=following]")
    expect(following).to_be_visible()
    ui.audit("cancel-series")
    following.check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/appointments/{second.public_id}/$"))
    statuses = list(series.appointments.order_by("start").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED] + [Status.CANCELLED] * 3
    page.locator('header a[href="/appointments"]').click()
    expect(page.locator("section[aria-labelledby=upcoming-heading] a.card-link")).to_have_count(1)
    ui.audit("appointments-after-cancelling-the-rest")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.usefixtures("series_allowed")
def test_staff_book_a_series_for_a_customer(browser, live_server, lang, business, service, stylist):
    owner = owner_of(business)
    record = customer_create(actor=owner, business=business, name="王女士", phone="+8613311110003")
    office = office_ui(browser, live_server.url, owner, lang, DESKTOP, f"office-series-{lang}")
    page = office.page
    try:
        office.goto(f"/manage/salon/customers/{record.id}/series/")
        page.select_option("#service", str(service.id))
        page.select_option("#staff", str(stylist.id))
        page.fill("#date", THURSDAY.isoformat())
        page.fill("#time", "10:00")
        page.fill("#count", "4")
        page.locator("main form[method=get] button").click()
        rows = page.locator("form[data-series] tbody tr")
        expect(rows).to_have_count(4)
        conflict = page.locator("form[data-series] tr.conflict")
        expect(conflict).to_have_count(1)
        alternatives = conflict.locator("label.alternative input[name=start]")
        expect(alternatives.first).to_be_visible()
        office.audit("office-series-check")
        instead = alternatives.first.get_attribute("value")
        alternatives.first.check()
        page.locator("form[data-series] button.primary").click()
        expect(page).to_have_url(re.compile(rf"/manage/salon/customers/{record.id}/$"))
        office.audit("office-customer-after-series")
    finally:
        page.context.close()
    series = Series.objects.get()
    starts = list(series.appointments.order_by("start").values_list("start", flat=True))
    assert starts == [
        at(THURSDAY, "10:00"),
        at(THURSDAY + WEEK, "10:00"),
        dt.datetime.fromisoformat(instead),
        at(THURSDAY + 3 * WEEK, "10:00"),
    ]
    assert set(series.appointments.values_list("client_id", flat=True)) == {record.id}
