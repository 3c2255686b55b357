"""The dashboard's rate bars are drawn on a 0–100 % scale (issue 24, item 8): a 1.3 % bar is
narrow even when it is the smaller of two, and a 50 % bar fills half its track."""

from decimal import Decimal

import pytest

from tests.browser.ui import DESKTOP, office_ui
from tests.helpers import TUESDAY, at, make_appointment, make_staff
from yuyue.catalog.services import service_create
from yuyue.scheduling.services import staff_override_set


@pytest.fixture
def owner_ui(browser, live_server, owner, business, request):
    ui = office_ui(browser, live_server.url, owner, "zh-hans", DESKTOP, request.node.name)
    yield ui
    try:
        ui.check_console()
    finally:
        ui.page.context.close()


def test_rate_bars_are_a_share_of_the_whole_track(owner_ui, owner, service, stylist, customer):
    # Tony: 240 of 480 minutes booked (50 %). Amy: 5 of 385 minutes (1.3 %).
    for hhmm in ("09:00", "10:00", "11:00", "13:00"):
        make_appointment(service=service, staff=stylist, customer=customer, start=at(TUESDAY, hhmm))
    tiny = service_create(
        business=service.business,
        actor=owner,
        name="修眉",
        duration_minutes=5,
        price=Decimal("10"),
    )
    amy = make_staff(service=service, name="Amy", services=[service, tiny])
    staff_override_set(staff=amy, actor=owner, date=TUESDAY, intervals=[["09:00", "15:25"]])
    make_appointment(service=tiny, staff=amy, customer=customer, start=at(TUESDAY, "09:00"))

    day = TUESDAY.isoformat()
    owner_ui.goto(f"/manage/salon/dashboard/?from={day}&to={day}")
    chart = owner_ui.page.locator("section[aria-labelledby=staff-heading] svg")
    track = chart.locator("rect.bar-track").first.bounding_box()["width"]
    half = chart.locator('rect[data-value="50.0%"]').bounding_box()["width"]
    narrow = chart.locator('rect[data-value="1.3%"]').bounding_box()["width"]
    assert abs(half - track / 2) <= 1.5
    assert narrow <= track * 0.013 + 1.5
    assert narrow < half / 10
    owner_ui.audit("dashboard-rates")
