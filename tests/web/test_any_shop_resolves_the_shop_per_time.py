"""With "any shop" and "anyone" among two shops, the customer knows where they are going
before they book: the day's times are listed per shop and each time takes its shop along;
picking a staff member picks their shop; a day nobody works is closed, not fully booked."""

import re

import pytest

from tests.helpers import book_url, browser_for, html_of, section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def shop_groups(html: str) -> dict[str, list[str]]:
    """Shop heading → the time links under it."""
    times = section(html, "time-heading")
    groups = {}
    for block in re.split(r'<h3 class="shop-times">', times)[1:]:
        name = block.split("<", 1)[0].strip()
        groups[name] = re.findall(r'<a class="time" href="([^"]*)"', block)
    return groups


def test_any_shop_lists_the_day_s_times_per_shop(service, stylist, lily, location, xuhui):
    html = html_of(browser_for(english=True).get(book_url(service, date="2026-12-02")))

    groups = shop_groups(html)
    assert list(groups) == ["徐汇店", "静安店"]
    assert all(f"location={xuhui.id}" in link for link in groups["徐汇店"])
    assert all(f"location={location.id}" in link for link in groups["静安店"])
    assert "上海市徐汇区衡山路 2 号" in section(html, "time-heading")


def test_a_time_taken_from_a_shop_s_list_names_that_shop_before_booking(
    customer, service, stylist, lily, xuhui
):
    client = browser_for(customer, english=True)
    html = html_of(client.get(book_url(service, date="2026-12-02")))
    link = shop_groups(html)["徐汇店"][0].replace("&amp;", "&")

    confirm = html_of(client.get(link))

    assert "徐汇店<br>上海市徐汇区衡山路 2 号" in confirm
    assert "shown once booked" not in confirm


def test_picking_a_staff_member_picks_their_shop_and_keeps_the_day(service, stylist, lily, xuhui):
    client = browser_for(english=True)
    # Thursday chosen in the week strip, then Lily.
    html = html_of(client.get(book_url(service, start="2026-12-01", date="2026-12-03")))
    lily_link = re.search(r'<a class="chip" href="([^"]*)"[^>]*>Lily 老师', html)[1]

    assert f"location={xuhui.id}" in lily_link
    picked = html_of(client.get(lily_link.replace("&amp;", "&")))
    current = re.findall(r'<a class="chip" href="[^"]*" aria-current="true"[^>]*>(.*?)</a>', picked)
    assert current == ["徐汇店", "Lily 老师 · 徐汇店"]
    # Still Thursday, not back to today; and Tony at the other shop is still a choice.
    assert "· Thu 3 Dec</span>" in picked
    assert "Tony 老师 · 静安店" in picked


def test_a_staff_member_s_day_off_says_not_working(service, stylist):
    html = html_of(browser_for(english=True).get(book_url(service, staff=stylist.id)))

    # Saturday 5 December: Tony does not work at weekends.
    assert "Sat 5 Dec: not working" in html
    assert "fully booked" not in html


def test_in_chinese_a_closed_day_is_not_called_fully_booked(service, stylist):
    html = html_of(browser_for().get(book_url(service)))

    assert "12月5日 周六：不营业" in html
    assert "已约满" not in html
