"""Calendar blocks (issue 24, item 10): side by side only where they overlap, a class's seats
as one block "n/capacity", and short blocks on one line with the whole text as a tooltip."""

import re
from decimal import Decimal

import pytest

from tests.helpers import TUESDAY, at, html_of, make_appointment, make_staff, make_user
from yuyue.bookings.models import Appointment
from yuyue.catalog.services import location_create, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def block_classes(html: str, name: str) -> list[str]:
    """The class attribute of every block whose tooltip names `name`."""
    return re.findall(rf'<a class="(block [^"]*)"[^>]*title="[^"]*{name}', html)


def test_an_overlap_narrows_only_the_blocks_that_overlap(as_owner, service, stylist, customer):
    ana, bo, cy = (make_user(name, display_name=name) for name in ("Ana", "Bo", "Cy"))
    # A finished visit and the next booking overlap (only holding statuses exclude each other
    # in the database, so a completed one may); the calendar must still read.
    make_appointment(
        service=service, staff=stylist, customer=ana, start=at(TUESDAY, "10:00"), status="completed"
    )
    make_appointment(service=service, staff=stylist, customer=bo, start=at(TUESDAY, "10:30"))
    make_appointment(service=service, staff=stylist, customer=cy, start=at(TUESDAY, "15:00"))

    html = html_of(as_owner.get("/manage/salon/"))

    assert "t-1 w-6" in block_classes(html, "Ana")[0]
    assert "t-7 w-6" in block_classes(html, "Bo")[0]
    assert "t-1 w-12" in block_classes(html, "Cy")[0]


def test_a_class_shows_as_one_block_with_its_seats(as_owner, owner, business, stylist):
    lesson = service_create(
        business=business,
        actor=owner,
        name="造型小课堂",
        duration_minutes=90,
        price=Decimal("128"),
        capacity=6,
    )
    stylist.services.add(lesson)
    for name in ("Ana", "Bo", "Cy", "Di"):
        make_appointment(
            service=lesson,
            staff=stylist,
            customer=make_user(name, display_name=name),
            start=at(TUESDAY, "14:00"),
        )

    html = html_of(as_owner.get("/manage/salon/"))

    assert html.count("sitting") == 1
    assert '<span class="seats">4/6</span>' in html
    assert "t-1 w-12" in re.search(r'class="(block [^"]*sitting)"', html).group(1)
    assert "Ana、Bo、Cy、Di" in html


def test_a_half_hour_block_is_one_line_with_a_tooltip(as_owner, owner, business, stylist):
    quick = service_create(
        business=business, actor=owner, name="男士快剪", duration_minutes=30, price=Decimal("48")
    )
    stylist.services.add(quick)
    guest = make_user("guest", display_name="路人甲")
    make_appointment(service=quick, staff=stylist, customer=guest, start=at(TUESDAY, "11:00"))

    html = html_of(as_owner.get("/manage/salon/"))

    (classes,) = block_classes(html, "路人甲")
    assert "short" in classes.split()
    assert 'title="11:00–11:30 路人甲 · 男士快剪 · ' in html


def test_a_block_dropped_on_a_colleague_at_another_shop_moves_with_them(
    as_owner, owner, business, service, pending
):
    other_shop = location_create(business=business, actor=owner, name="徐汇店")
    lily = make_staff(service=service, location=other_shop, name="Lily 老师")
    url = f"/manage/salon/appointments/{pending.public_id}/reschedule/confirm/"
    query = {"staff": lily.id, "start": "2026-12-01T15:00+08:00"}

    html = html_of(as_owner.get(url, query))

    assert "Lily 老师" in html and "Anyone available" not in html
    response = as_owner.post(url, {**query, "reason": ""})
    assert response.status_code == 303
    moved = Appointment.objects.get(id=pending.id)
    assert moved.staff_id == lily.id and moved.location_id == other_shop.id
