"""Tick boxes in the back office's settings (issue 24, item 1): drawn at their own size, each on
the same line as its own label, on a desktop and a tablet; a group of boxes is a fieldset."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.ui import DESKTOP, TABLET_PORTRAIT, UI, office_ui
from yuyue.catalog.services import service_create

# For every tick box: its size, and where the text of its own label sits.
MEASURE = """() => Array.from(document.querySelectorAll('main input[type=checkbox]')).map(box => {
  const label = box.labels[0];
  const range = document.createRange();
  range.selectNodeContents(label);
  const texts = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
  const own = texts.filter(r => r.left >= box.getBoundingClientRect().right - 1);
  const b = box.getBoundingClientRect();
  const t = own.length ? own[0] : null;
  return {id: box.id, text: label.textContent.trim(), w: b.width, h: b.height,
          boxTop: b.top, boxBottom: b.bottom, boxRight: b.right,
          textTop: t && t.top, textBottom: t && t.bottom, textLeft: t && t.left};
})"""


@pytest.fixture(params=[DESKTOP, TABLET_PORTRAIT], ids=["desktop", "tablet"])
def owner_ui(request, browser, live_server, owner, business):
    ui = office_ui(browser, live_server.url, owner, "zh-hans", request.param, request.node.name)
    yield ui
    try:
        ui.check_console()
    finally:
        ui.page.context.close()


def assert_boxes_beside_their_labels(ui: UI, expected: int) -> None:
    boxes = ui.page.evaluate(MEASURE)
    assert len(boxes) >= expected, boxes
    for box in boxes:
        assert 12 <= box["w"] <= 28 and 12 <= box["h"] <= 28, box
        assert box["textTop"] is not None, box
        # Its own text starts just right of it, on the same line (the box's middle inside it).
        assert 0 <= box["textLeft"] - box["boxRight"] <= 24, box
        middle = (box["boxTop"] + box["boxBottom"]) / 2
        assert box["textTop"] <= middle <= box["textBottom"], box


def test_staff_settings_service_edit_and_overrides_draw_boxes_beside_labels(
    owner_ui, owner, business, service, stylist
):
    for name in ("染发", "烫发", "儿童理发"):
        service_create(
            business=business, actor=owner, name=name, duration_minutes=30, price=Decimal("50")
        )
    page = owner_ui.page

    owner_ui.goto(f"/manage/salon/settings/staff/{stylist.id}/")
    expect(page.locator("fieldset.checks legend")).to_have_count(1)
    assert page.locator("label[for='']").count() == 0
    # The services, the "takes bookings" box and the override's "closed all day".
    assert_boxes_beside_their_labels(owner_ui, expected=4 + 1 + 1)
    checked = page.locator("fieldset.checks input:checked").evaluate_all(
        "boxes => boxes.map(b => b.labels[0].textContent.trim())"
    )
    assert checked == [service.name]
    owner_ui.audit("staff-settings")

    owner_ui.goto(f"/manage/salon/settings/services/{service.id}/")
    assert_boxes_beside_their_labels(owner_ui, expected=2)
    owner_ui.audit("service-edit")
