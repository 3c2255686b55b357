"""Choosing the language: a POST that sets the cookie (and the account's language), after
which every page speaks it."""

import pytest
from django.test import Client

from tests.helpers import browser_for, html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_english_sets_the_cookie_and_the_user_s_language(customer, booked):
    client = browser_for(customer)

    response = client.post("/language", {"language": "en", "next": "/appointments"})

    customer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/appointments"
    assert response.cookies["django_language"].value == "en"
    assert customer.language == "en"
    html = html_of(client.get("/appointments"))
    assert '<html lang="en">' in html
    assert "<h1>My appointments</h1>" in html
    assert '<span class="status status-confirmed">Confirmed</span>' in html


def test_an_anonymous_visitor_s_choice_lives_in_the_cookie(service, stylist):
    client = Client()

    client.post("/language", {"language": "en"})

    html = html_of(client.get("/b/salon/"))
    assert '<html lang="en">' in html
    assert '<h2 id="services-heading">Services</h2>' in html
    assert '<th scope="row">Sat</th><td>Closed</td>' in html


def test_the_cookie_wins_over_the_browser_s_language(service, stylist):
    client = Client(headers={"Accept-Language": "en"})

    client.post("/language", {"language": "zh-hans"})

    html = html_of(client.get("/b/salon/"))
    assert '<html lang="zh-Hans">' in html
    assert '<th scope="row">周六</th><td>休息</td>' in html


def test_the_switch_offers_the_other_language(db):
    chinese = html_of(Client().get("/login"))
    english = html_of(Client(headers={"Accept-Language": "en"}).get("/login"))

    assert '<button class="link" name="language" value="en" lang="en">English</button>' in chinese
    assert (
        '<button class="link" name="language" value="zh-hans" lang="zh-Hans">中文</button>'
        in english
    )


def test_an_unknown_language_is_a_400_and_changes_nothing(customer):
    client = browser_for(customer)

    response = client.post("/language", {"language": "fr"})

    customer.refresh_from_db()
    assert response.status_code == 400
    assert "django_language" not in response.cookies
    assert customer.language == ""
    assert "<h1>不支持的语言</h1>" in html_of(response)
    assert "请选择中文或英文。" in html_of(response)


def test_the_language_switch_needs_a_post(db):
    response = Client().get("/language?language=en")

    assert response.status_code == 405
    assert "django_language" not in response.cookies


def test_the_switch_never_redirects_to_another_site(db):
    response = Client().post("/language", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"
