"""Choosing a time: a week strip of days, the free times of one day, and who does it."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.helpers import (
    EN,
    WEDNESDAY,
    Page,
    at,
    book_url,
    confirm_url,
    html_of,
    make_appointment,
    make_staff,
    owner_of,
    section,
    strip_days,
    times_listed,
)
from yuyue.catalog.services import business_create, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

ALL_DAY = ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]


def get(url: str, **headers):
    return Client(headers={**EN, **headers}).get(url)


def test_the_week_strip_shows_seven_days_from_today(service, stylist):
    html = html_of(get(book_url(service)))

    assert [number for number, _free in strip_days(html)] == [1, 2, 3, 4, 5, 6, 7]
    today = re.search(r'<a class="day selected"[^>]*aria-current="date">(.*?)</a>', html, re.S)
    assert today is not None
    assert "Today" in today.group(1)
    assert "Tue 1 Dec (Today)" in today.group(1)


def test_the_weekend_is_greyed_out(service, stylist):
    html = html_of(get(book_url(service)))

    assert strip_days(html) == [
        (1, True),
        (2, True),
        (3, True),
        (4, True),
        (5, False),
        (6, False),
        (7, True),
    ]
    # Nobody works at the weekend: closed, not fully booked.
    assert "Sat 5 Dec: closed" in html
    assert "Sun 6 Dec: closed" in html
    assert 'class="day full closed"' in html


def test_a_fully_booked_day_is_greyed_out(service, stylist, stranger):
    for hhmm in ALL_DAY:
        make_appointment(
            service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, hhmm)
        )

    html = html_of(get(book_url(service)))

    assert (2, False) in strip_days(html)
    assert "Wed 2 Dec: fully booked" in html
    assert 'class="day full"' in html


def test_the_times_of_the_chosen_day_are_listed_in_local_time(service, stylist):
    html = html_of(get(book_url(service, staff="any", start="2026-12-01", date="2026-12-02")))

    assert times_listed(html) == ALL_DAY
    assert '<span class="muted zone">(China Standard Time)</span>' in html
    assert '<span class="muted">· Wed 2 Dec</span>' in html
    links = [link for link in Page(html).links if "/confirm/" in link]
    assert links[0] == (
        f"/b/salon/book/{service.id}/confirm/?staff=any&start=2026-12-02T09%3A00%2B08%3A00"
    )


def test_without_a_date_the_first_free_day_is_chosen(service, stylist):
    html = html_of(get(book_url(service, start="2026-12-05")))

    # Saturday and Sunday have nothing: Monday the 7th is chosen.
    assert re.search(r'<a class="day selected"[^>]*>.*?>7</span>', html, re.S)
    assert times_listed(html) == ALL_DAY


def test_today_s_times_respect_the_minimum_notice(service, stylist, time_machine):
    time_machine.move_to("2026-12-01T10:30:00+08:00", tick=False)

    html = html_of(get(book_url(service)))

    # 60 minutes' notice from 10:30: 11:00 is too soon, 13:00 is the first.
    assert times_listed(html) == ["13:00", "14:00", "15:00", "16:00", "17:00"]


def test_a_booked_time_disappears(service, stylist, stranger):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )

    html = html_of(get(book_url(service, date="2026-12-02")))

    assert times_listed(html) == [t for t in ALL_DAY if t != "10:00"]


def test_a_time_booked_with_one_stylist_stays_free_with_anyone_else(
    service, stylist, kevin, stranger
):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )

    anyone = html_of(get(book_url(service, staff="any", date="2026-12-02")))
    tony = html_of(get(book_url(service, staff=stylist.id, date="2026-12-02")))

    assert "10:00" in times_listed(anyone)
    assert "10:00" not in times_listed(tony)


def test_staff_chips_offer_anyone_and_each_stylist(service, stylist, kevin):
    html = html_of(get(book_url(service)))

    chips = re.findall(
        r'<a class="chip" href="([^"]*)"( aria-current="true")?[^>]*>(.*?)</a>', html
    )
    assert chips == [
        (f"/b/salon/book/{service.id}/?staff=any", ' aria-current="true"', "Anyone available"),
        (f"/b/salon/book/{service.id}/?staff={kevin.id}", "", "Kevin 老师"),
        (f"/b/salon/book/{service.id}/?staff={stylist.id}", "", "Tony 老师"),
    ]


def test_a_chosen_stylist_is_marked_and_kept_in_every_link(service, stylist, kevin):
    html = html_of(get(book_url(service, staff=kevin.id)))

    assert re.search(r'aria-current="true"[^>]*>Kevin 老师<', html)
    day_and_time_links = [link for link in Page(html).links if "start=" in link]
    assert len(day_and_time_links) == 5 + 8 + 1  # free days, Tuesday's times, next week
    assert all(f"staff={kevin.id}" in link for link in day_and_time_links)


def test_chips_are_in_chinese_by_default(service, stylist):
    html = html_of(Client().get(book_url(service)))

    assert ">任意服务人员</a>" in html
    assert "今天" in html


def test_a_start_before_today_is_clamped_to_today(service, stylist):
    html = html_of(get(book_url(service, start="2026-11-01", date="2026-11-01")))

    assert strip_days(html)[0] == (1, True)
    assert "Earlier days" not in html
    assert times_listed(html) == ALL_DAY


def test_later_weeks_link_back_and_forth(service, stylist):
    html = html_of(get(book_url(service, start="2026-12-08")))

    assert [number for number, _free in strip_days(html)] == [8, 9, 10, 11, 12, 13, 14]
    assert f'href="/b/salon/book/{service.id}/?staff=any&amp;start=2026-12-01"' in html
    assert f'href="/b/salon/book/{service.id}/?staff=any&amp;start=2026-12-15"' in html


def test_the_strip_ends_at_the_booking_horizon(service, stylist):
    # 30 days ahead of 1 Dec is 31 Dec: nothing later is shown or linked.
    html = html_of(get(book_url(service, start="2026-12-29")))

    assert [number for number, _free in strip_days(html)] == [29, 30, 31]
    assert "Later days" not in html


def test_a_chosen_day_without_free_time_lists_no_times(service, stylist):
    html = html_of(get(book_url(service, start="2026-12-05", date="2026-12-05")))

    assert times_listed(html) == []
    # Other days of this strip are free: the page says so instead of "none in these days".
    assert "No free times on this day; choose one of the days above." in html
    assert "No free times in these days." not in html


def test_a_full_week_points_to_the_next_free_day(service, stylist, stranger):
    for offset in range(7):
        day = WEDNESDAY + dt.timedelta(days=offset - 1)
        if day.weekday() < 5:
            for hhmm in ALL_DAY:
                make_appointment(
                    service=service, staff=stylist, customer=stranger, start=at(day, hhmm)
                )

    html = html_of(get(book_url(service)))

    assert all(not free for _number, free in strip_days(html))
    assert times_listed(html) == []
    link = re.search(r'<a class="button" href="([^"]*)" data-swap>Next free day: (.*?)</a>', html)
    assert link is not None
    assert link.groups() == (
        f"/b/salon/book/{service.id}/?staff=any&amp;start=2026-12-08&amp;date=2026-12-08",
        "Tue 8 Dec",
    )


def test_the_picker_of_another_business_s_service_is_a_404(service, stylist, other_owner):
    elsewhere = business_create(owner=other_owner, slug="third", name="三店")
    foreign = service_create(
        business=elsewhere, actor=owner_of(elsewhere), name="体检", duration_minutes=30, price="1"
    )

    assert get(f"/b/salon/book/{foreign.id}/").status_code == 404
    assert get(f"/b/third/book/{service.id}/").status_code == 404


def test_an_inactive_service_cannot_be_picked(service, stylist):
    service.active = False
    service.save()

    assert get(book_url(service)).status_code == 404


def test_a_service_with_seats_shows_how_many_are_left(business, location, stylist):
    yoga = service_create(
        business=business,
        actor=owner_of(business),
        name="瑜伽课",
        duration_minutes=60,
        price="50",
        capacity=3,
    )
    stylist.services.add(yoga)

    html = html_of(get(book_url(yoga, date="2026-12-02")))

    assert "3 seats left" in section(html, "time-heading")


def test_times_are_in_the_shop_s_own_zone(other_owner):
    berlin = business_create(
        owner=other_owner, slug="berlin", name="Salon Mitte", timezone="Europe/Berlin"
    )
    haircut = service_create(
        business=berlin, actor=owner_of(berlin), name="Haarschnitt", duration_minutes=60, price="40"
    )
    make_staff(service=haircut, name="Anna", hours={"tue": [["09:00", "11:00"]]})

    html = html_of(get(book_url(haircut)))

    # 08:00 in Shanghai is 01:00 in Berlin, still Tuesday 1 December there.
    assert '<span class="muted zone">(Central European Time)</span>' in html
    assert times_listed(html) == ["09:00", "10:00"]
    assert "start=2026-12-01T09%3A00%2B01%3A00" in html
    confirm = html_of(get(confirm_url(haircut, start="2026-12-01T09:00+01:00")))
    assert "Tue 1 Dec 2026, 09:00</strong>" in confirm
    assert "All times are Central European Time (UTC+01:00)." in confirm
