"""From the share page to a booking: the owner opens Share on a tablet and the poster, the QR
code's PNG (fetched as the page's download link does) is read by a real decoder, and a customer
on a phone follows the decoded link to the business and books a title-priced stylist; in
Chinese and in English, with axe-core and the CSP console listener on every page."""

import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from tests.browser.axe import ARTIFACTS
from tests.browser.test_booking_flow import pick
from tests.browser.ui import LOCALES, UI
from tests.helpers import THURSDAY, at, make_user, owner_of
from yuyue.bookings.models import Appointment
from yuyue.catalog.services import staff_title_create, title_prices_set
from yuyue.scheduling.services import staff_member_update

TABLET = {"viewport": {"width": 1180, "height": 820}, "has_touch": True, "device_scale_factor": 1}


@pytest.fixture
def office(browser, live_server, lang, request, owner, business, settings):
    settings.YUYUE_PUBLIC_URL = live_server.url
    client = Client()
    client.force_login(owner)
    context = browser.new_context(**TABLET, locale=LOCALES[lang])
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
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
def test_a_customer_books_through_the_shared_qr_code(office, ui, lang, service, stylist):
    chief = staff_title_create(business=service.business, actor=owner_of(service), name="首席")
    title_prices_set(service=service, actor=owner_of(service), prices={chief: Decimal("168")})
    staff_member_update(staff=stylist, actor=owner_of(service), title=chief)
    make_user("xiaomei", phone="+8613912340000")
    en = lang == "en"

    # The owner's share page: the link, the code, the poster.
    office.goto("/manage/salon/share/")
    office.expect_language()
    link = office.page.locator("#booking-link").input_value()
    assert link == f"{office.base_url}/b/salon/"
    expect(office.page.locator("img.qr")).to_be_visible()
    office.audit("share")
    png = office.page.request.get(
        office.url(office.page.locator("a[href$='qr.png']").get_attribute("href"))
    )
    assert png.ok and png.headers["content-type"] == "image/png"
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.body())))]
    assert decoded == [link]
    office.page.locator("a[href$='size=a5']").click()
    expect(office.page.locator(".sheet.a5 .poster-call")).to_contain_text("扫码预约")
    expect(office.page.locator(".sheet.a5 .poster-call")).to_contain_text("Scan to book")
    office.page.screenshot(path=ARTIFACTS / f"share-poster-{lang}.png", full_page=True)
    office.audit("poster")

    # The customer's phone opens what the code says, chooses the chief stylist and books.
    page = ui.page
    page.goto(decoded[0])
    ui.expect_language()
    page.get_by_role("link", name=re.compile("洗剪吹")).click()
    chief_chip = page.locator("a.chip", has_text="首席")
    expect(chief_chip).to_contain_text("¥168")
    chief_chip.click()
    expect(chief_chip).to_have_attribute("aria-current", "true")
    ui.audit("picker-titles")
    pick(page, THURSDAY, "10:00")
    expect(page.locator("dl.summary")).to_contain_text("¥168")
    page.fill("#login_username", "xiaomei")
    page.fill("#login_password", "correct horse battery")
    page.locator("form:has(#login_username) button[type=submit]").click()
    book = page.locator("main form button[type=submit]")
    expect(book).to_have_text("Book now" if en else re.compile("预约"))
    book.click()

    expect(page).to_have_url(re.compile(r"/appointments/[\w-]+/done/$"))
    appointment = Appointment.objects.get(customer__username="xiaomei")
    assert appointment.start == at(THURSDAY, "10:00")
    assert (appointment.staff_id, appointment.price) == (stylist.id, Decimal("168.00"))
    ui.audit("done")
