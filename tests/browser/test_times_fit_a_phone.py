"""On a 375 px phone the times of the customer pages fit: the zone ("北京时间，UTC+08:00") is named
once per page where every time shares it, no time is broken over two lines, and nothing scrolls
sideways (issue 24, item 13)."""

import datetime as dt

import pytest
from django.test import Client

from tests.helpers import FRIDAY, WEDNESDAY, at, make_appointment

NOTE = {
    "zh-hans": "时间均为北京时间（UTC+08:00）。",
    "en": "All times are China Standard Time (UTC+08:00).",
}
ZONE = {"zh-hans": "北京时间", "en": "China Standard Time"}

# The lines each element's text is laid out on (distinct tops of its text's boxes).
LINES = """
(selector) => Array.from(document.querySelectorAll(selector)).map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
})
"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def logged_in(ui, live_server, customer):
    client = Client()
    client.force_login(customer)
    ui.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return ui


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_zone_is_named_once_and_no_time_wraps_at_375_px(
    logged_in, lang, customer, service, stylist
):
    ui, page = logged_in, logged_in.page
    booked = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    make_appointment(service=service, staff=stylist, customer=customer, start=at(FRIDAY, "15:00"))
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY - dt.timedelta(days=8), "11:00"),
        status="completed",
    )
    assert page.viewport_size["width"] == 375

    for path, times in (
        ("/appointments", ".card-meta"),
        (f"/appointments/{booked.public_id}/", "dl.summary strong"),
        (f"/appointments/{booked.public_id}/cancel/", "main strong"),
        (f"/appointments/{booked.public_id}/reschedule/", ".current strong"),
    ):
        ui.goto(path)
        ui.shot(path.strip("/").replace("/", "-"))
        text = page.locator("main").inner_text()
        assert text.count(ZONE[lang]) <= 2, (path, text)  # the note (and the picker's heading)
        assert page.locator(".zone-note").inner_text() == NOTE[lang], path
        laid_out = page.evaluate(LINES, times)
        assert laid_out, path
        assert all(lines == 1 for _text, lines in laid_out), (path, laid_out)
        assert page.evaluate(OVERFLOW) <= 0, path
