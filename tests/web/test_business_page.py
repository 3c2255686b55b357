"""The business page: what the shop offers, where it is and when it is open."""

import re

import pytest
from django.test import Client

from tests.helpers import EN, html_of, owner_of
from yuyue.catalog.services import business_create, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

WORKDAY = "09:00–12:00, 13:00–18:00"


def opening_hours(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', html))


def test_it_lists_the_services_with_duration_and_price(service, stylist):
    response = Client(headers=EN).get("/b/salon/")

    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>悦己美发沙龙</h1>" in html
    card = re.search(r'<a class="card-link" href="/b/salon/book/(\d+)/">(.*?)</a>', html, re.S)
    assert card is not None
    assert int(card.group(1)) == service.id
    assert '<span class="card-title">洗剪吹</span>' in card.group(2)
    assert "1 hour · ¥88" in card.group(2)


def test_a_price_with_cents_keeps_them_and_long_services_show_hours_and_minutes(business):
    service_create(
        business=business,
        actor=owner_of(business),
        name="烫发",
        duration_minutes=90,
        price="128.50",
    )

    html = html_of(Client(headers=EN).get("/b/salon/"))

    assert "1 h 30 min · ¥128.50" in html


def test_it_shows_the_location_s_address_and_time_zone(service, stylist, location):
    html = html_of(Client(headers=EN).get("/b/salon/"))

    assert f'<h2 id="location-{location.id}">静安店</h2>' in html
    assert "<p>上海市静安区南京西路 1 号 <a href=" in html
    assert 'Opening hours <span class="muted">(China Standard Time)</span>' in html


def test_opening_hours_come_from_the_staff_s_working_hours(service, stylist):
    html = html_of(Client(headers=EN).get("/b/salon/"))

    assert opening_hours(html) == {
        "Mon": WORKDAY,
        "Tue": WORKDAY,
        "Wed": WORKDAY,
        "Thu": WORKDAY,
        "Fri": WORKDAY,
        "Sat": "Closed",
        "Sun": "Closed",
    }


def test_in_chinese_closed_days_read_休息(service, stylist):
    html = html_of(Client().get("/b/salon/"))

    assert opening_hours(html) == {
        "周一": WORKDAY,
        "周二": WORKDAY,
        "周三": WORKDAY,
        "周四": WORKDAY,
        "周五": WORKDAY,
        "周六": "休息",
        "周日": "休息",
    }


def test_chinese_is_the_default_language(service, stylist):
    html = html_of(Client().get("/b/salon/"))

    assert '<html lang="zh-Hans">' in html
    assert ">登录</a>" in html
    assert WORKDAY in html


def test_inactive_services_are_not_listed(business, service, stylist):
    service_create(
        business=business,
        actor=owner_of(business),
        name="染发",
        duration_minutes=120,
        price="300",
        active=False,
    )

    html = html_of(Client(headers=EN).get("/b/salon/"))

    assert "洗剪吹" in html
    assert "染发" not in html


def test_a_business_without_services_says_so(business):
    html = html_of(Client(headers=EN).get("/b/salon/"))

    assert "No services can be booked online yet." in html


def test_an_unknown_business_is_a_404(service):
    assert Client().get("/b/no-such-shop/").status_code == 404


def test_the_root_shows_the_default_business(service, stylist):
    response = Client(headers=EN).get("/")

    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>悦己美发沙龙</h1>" in html
    assert f'href="/b/salon/book/{service.id}/"' in html


def test_the_root_shows_whichever_business_the_setting_names(settings, service, other_owner):
    settings.YUYUE_DEFAULT_BUSINESS = "elsewhere"

    html = html_of(Client(headers=EN).get("/"))

    assert "<h1>别家诊所</h1>" in html
    assert "洗剪吹" not in html


def test_the_root_without_the_default_business_lists_the_businesses(settings, business):
    settings.YUYUE_DEFAULT_BUSINESS = "not-created-yet"

    response = Client(headers=EN).get("/")

    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>Book an appointment</h1>" in html
    assert 'href="/b/salon/"' in html
    assert 'href="/signup/"' in html


def test_the_root_without_any_business_says_so_and_offers_to_open_one(settings, db):
    settings.YUYUE_DEFAULT_BUSINESS = "not-created-yet"

    html = html_of(Client(headers=EN).get("/"))

    assert "This site has no business to book with yet." in html
    assert "Open your business" in html


def test_another_business_s_page_shows_only_its_own_services(business, service, other_owner):
    elsewhere = business_create(owner=other_owner, slug="third", name="三店")
    service_create(
        business=elsewhere, actor=owner_of(elsewhere), name="体检", duration_minutes=30, price="1"
    )

    html = html_of(Client(headers=EN).get("/b/third/"))

    assert "体检" in html
    assert "洗剪吹" not in html
