"""The appointment page gives the shop's phone (national format for the business's country, a
tel: link) and a plain link to a map search of its address; the business page too."""

from urllib.parse import quote_plus

import pytest

from tests.helpers import browser_for, html_of
from yuyue.webkit.templatetags.webkit import map_search, tel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_appointment_page_shows_the_shop_phone_and_a_map_link(customer, booked, location):
    location.phone = "+862162881234"
    location.save()

    html = html_of(browser_for(customer).get(f"/appointments/{booked.public_id}/"))

    assert '<dd><a href="tel:+862162881234">021 6288 1234</a></dd>' in html
    keyword = quote_plus("上海市静安区南京西路 1 号")
    link = f"https://uri.amap.com/search?keyword={keyword}"
    assert f'<a href="{link}" rel="noopener noreferrer">地图</a>' in html
    assert '<script src="http' not in html


def test_without_a_shop_phone_the_business_phone_is_given(customer, booked, business):
    business.phone = "+8613800138000"
    business.save()

    html = html_of(browser_for(customer, english=True).get(f"/appointments/{booked.public_id}/"))

    assert '<dd><a href="tel:+8613800138000">138 0013 8000</a></dd>' in html


def test_the_business_page_links_the_shop_phone_and_map(browser, location, stylist):
    location.phone = "+862162881234"
    location.save()

    html = html_of(browser.get("/b/salon/"))

    assert '<a href="tel:+862162881234">021 6288 1234</a>' in html
    assert "https://uri.amap.com/search?keyword=" in html


def test_numbers_of_another_country_are_shown_internationally():
    assert str(tel("+12125550100", "+862162881234")) == (
        '<a href="tel:+12125550100">+1 212-555-0100</a>'
    )
    # A business in the United States shows its own numbers the American way.
    assert str(tel("+12125550100", "+12125550199")) == (
        '<a href="tel:+12125550100">(212) 555-0100</a>'
    )


def test_a_number_that_does_not_parse_is_shown_as_written():
    assert str(tel("front desk", "")) == '<a href="tel:front desk">front desk</a>'
    assert tel("", "") == ""


def test_shops_outside_china_get_an_openstreetmap_search():
    assert map_search("1 Main St, Springfield", "+12125550199") == (
        "https://www.openstreetmap.org/search?query=1+Main+St%2C+Springfield"
    )
