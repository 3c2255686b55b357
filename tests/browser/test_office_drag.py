"""Drag to reschedule (issue 24, item 3): in Chromium, a block dragged on the day calendar to
another staff member's column and time opens the usual confirmation with both filled in;
confirming moves the appointment. No console error under the CSP; a click without a drag
still opens the appointment, and a click on an empty stretch opens a booking there."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.ui import DESKTOP, TABLET_PORTRAIT, office_ui
from tests.helpers import TUESDAY, at, make_appointment


@pytest.fixture(params=[DESKTOP, TABLET_PORTRAIT], ids=["desktop", "tablet"])
def owner_ui(request, browser, live_server, owner, business):
    ui = office_ui(browser, live_server.url, owner, "zh-hans", request.param, request.node.name)
    yield ui
    try:
        ui.check_console()
    finally:
        ui.page.context.close()


def point_at(page, column_name: str, hhmm: str) -> tuple[float, float]:
    """The screen point of `hhmm` in the column headed `column_name`."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return page.evaluate(
        """([name, minute]) => {
          const grid = document.querySelector('.cal-grid');
          const column = Array.from(grid.querySelectorAll('.cal-col'))
            .find(c => c.querySelector('.cal-col-head').textContent.includes(name));
          const body = column.querySelector('.cal-col-body');
          const row = parseFloat(getComputedStyle(body).gridAutoRows);
          const first = parseInt(grid.dataset.first, 10);
          const box = body.getBoundingClientRect();
          return [box.left + box.width / 2, box.top + (minute - first) / 5 * row];
        }""",
        [column_name, hours * 60 + minutes],
    )


def test_dragging_a_block_to_another_column_and_time_moves_it_after_confirming(
    owner_ui, service, stylist, second_stylist, customer
):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "10:00")
    )
    page = owner_ui.page
    owner_ui.goto("/manage/salon/")
    block = page.locator(".block[data-move]")
    # Both the block and 14:00 in view, as a person dragging would have them.
    page.evaluate("window.scrollTo(0, 300)")
    box = block.bounding_box()
    # Grab the block 10 px below its top edge: the top edge lands on the time dropped at.
    grab_x, grab_y = box["x"] + box["width"] / 2, box["y"] + 10
    x, y = point_at(page, "Lily", "14:00")
    page.mouse.move(grab_x, grab_y)
    page.mouse.down()
    page.mouse.move(grab_x + 20, grab_y + 20, steps=4)
    page.mouse.move(x, y + 10, steps=12)
    expect(block.locator(".block-time")).to_contain_text("14:00 · Lily")
    page.mouse.up()

    expect(page).to_have_url(re.compile(r"/reschedule/confirm/\?"))
    expect(page.locator(".summary")).to_contain_text("14:00")
    expect(page.locator(".summary")).to_contain_text("Lily")
    owner_ui.audit("drag-confirm")
    page.locator("form.stack button.primary").click()

    expect(page.locator(".notice")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.staff_id == second_stylist.id
    assert appointment.start == at(TUESDAY, "14:00")
    owner_ui.check_console()


def test_a_click_opens_the_block_and_an_empty_stretch_books_there(
    owner_ui, service, stylist, second_stylist, customer
):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "10:00")
    )
    page = owner_ui.page
    owner_ui.goto("/manage/salon/")
    page.locator(".block[data-move]").click()
    expect(page).to_have_url(re.compile(appointment.public_id))

    owner_ui.goto("/manage/salon/")
    # The afternoon in the middle of the window, wherever the boxes above the calendar (the
    # check-in box, the checklist) put it.
    _, y = point_at(page, "Lily", "15:00")
    page.evaluate("y => window.scrollBy(0, y - window.innerHeight / 2)", y)
    x, y = point_at(page, "Lily", "15:00")
    page.mouse.click(x, y + 4)
    expect(page).to_have_url(
        re.compile(rf"/book/\?staff={second_stylist.id}&date=2026-12-01&time=15%3A00")
    )
    owner_ui.check_console()
