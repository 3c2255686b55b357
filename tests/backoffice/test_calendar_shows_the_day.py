"""The landing page: staff columns, appointments as blocks, shaded hours, the now-line, the
shop filter, "mine" for staff, the week of one staff member, and the choice of business."""

import datetime as dt

import pytest

from tests.helpers import (
    TUESDAY,
    WEDNESDAY,
    html_of,
    join_business,
    make_user,
    office_browser_for,
    owner_of,
)
from yuyue.catalog.models import Membership
from yuyue.catalog.services import business_create, location_create
from yuyue.scheduling.services import staff_member_create, staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_owner_lands_on_todays_calendar_of_their_only_business(as_owner, stylist):
    response = as_owner.get("/manage/")

    assert response.status_code == 302
    assert response["Location"] == "/manage/salon/"


def test_blocks_show_the_customer_service_and_status(as_owner, pending, colleague):
    html = html_of(as_owner.get("/manage/salon/"))

    assert "Tony 老师" in html and "Amy 老师" in html
    # Today's grid starts at 08:00 (the clock's hour): 10:00 is row 25 of five minutes.
    assert 'class="block status-pending r-25 s-12 t-1 w-12"' in html
    assert "张小美" in html and "洗剪吹 · Pending" in html
    assert "10:00–11:00" in html


def test_working_hours_and_lunch_are_shaded_open_and_closed(as_owner, stylist):
    html = html_of(as_owner.get("/manage/salon/", {"date": WEDNESDAY.isoformat()}))

    # From 09:00: 09:00–12:00 (36 rows) and 13:00–18:00 (60 rows); lunch stays shaded.
    assert 'class="band r-1 s-36" data-start="540"' in html
    assert 'class="band r-49 s-60" data-start="780"' in html


def test_a_day_off_and_a_closed_override_are_labelled(as_owner, stylist, colleague):
    staff_override_set(staff=colleague, actor=owner_of(colleague), date=WEDNESDAY, closed=True)

    saturday = html_of(as_owner.get("/manage/salon/", {"date": "2026-12-05"}))
    wednesday = html_of(as_owner.get("/manage/salon/", {"date": WEDNESDAY.isoformat()}))

    assert saturday.count("Day off") == 2
    assert "Closed (date override)" in wednesday
    assert "Day off" not in wednesday


def test_the_now_line_shows_on_today_only(as_owner, stylist):
    today = html_of(as_owner.get("/manage/salon/"))
    tomorrow = html_of(as_owner.get("/manage/salon/", {"date": WEDNESDAY.isoformat()}))

    # The clock stands at 08:00, before opening: today's grid reaches back to show it.
    assert 'class="now r-1"' in today
    assert 'class="now' not in tomorrow


def test_previous_and_next_days_are_links(as_owner, stylist):
    html = html_of(as_owner.get("/manage/salon/", {"date": WEDNESDAY.isoformat()}))

    assert f"date={TUESDAY.isoformat()}" in html
    assert f"date={(WEDNESDAY + dt.timedelta(days=1)).isoformat()}" in html


def test_staff_land_on_their_own_column_and_may_switch_to_everyone(as_staff, stylist, colleague):
    mine = html_of(as_staff.get("/manage/salon/"))
    everyone = html_of(as_staff.get("/manage/salon/", {"view": "all"}))

    assert "Tony 老师" in mine and "Amy 老师" not in mine
    assert "Tony 老师" in everyone and "Amy 老师" in everyone


def test_the_shop_filter_keeps_the_shops_staff(as_owner, business, service, stylist):
    other = location_create(business=business, actor=owner_of(business), name="徐汇店")
    staff_member_create(
        business=business,
        actor=owner_of(business),
        name="徐汇 Lily",
        services=[service],
        location=other,
    )

    html = html_of(as_owner.get("/manage/salon/", {"location": other.id}))

    assert "徐汇 Lily" in html and "Tony 老师" not in html


def test_the_week_of_one_staff_member_has_seven_days(as_owner, stylist, pending):
    html = html_of(as_owner.get(f"/manage/salon/week/{stylist.id}/"))

    assert html.count('<section class="cal-col') == 7
    assert "张小美" in html


def test_someone_in_two_businesses_chooses_one(owner, business):
    other = business_create(
        owner=make_user("x-owner", phone="+8613100131000"), slug="b2", name="二号店"
    )
    join_business(business=other, user=owner, role=Membership.Role.STAFF)

    html = html_of(office_browser_for(owner).get("/manage/"))

    assert "/manage/salon/" in html and "/manage/b2/" in html


def test_the_calendar_speaks_chinese_by_default(owner, stylist, pending):
    html = html_of(office_browser_for(owner, english=False).get("/manage/salon/"))

    assert "日历" in html and "待确认" in html
