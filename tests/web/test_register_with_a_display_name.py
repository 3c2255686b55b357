"""Registration asks for a display name (optional): it is kept as written, shown to the
person, and the username stands in when none is given."""

import pytest
from django.test import Client

from tests.helpers import EN, html_of
from yuyue.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

NEW = {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "138 0013 8000"}


def test_the_register_page_asks_for_a_name_without_requiring_it(db):
    html = html_of(Client(headers=EN).get("/register"))

    assert 'name="display_name"' in html
    assert "Your name (optional)" in html
    assert 'autocomplete="name"' in html


def test_the_name_is_kept_as_written_and_greets_the_person(db):
    client = Client()

    client.post("/register", {**NEW, "display_name": "  张小美 "})

    user = User.objects.get(username="xiaomei")
    assert user.display_name == "张小美"
    assert user.shown_name == "张小美"
    assert "已登录：张小美" in html_of(client.get("/appointments"))


def test_without_a_name_the_username_is_shown(db):
    client = Client()

    client.post("/register", NEW)

    assert User.objects.get(username="xiaomei").display_name == ""
    assert "已登录：xiaomei" in html_of(client.get("/appointments"))


def test_an_overlong_name_is_refused_on_its_field(db):
    response = Client(headers=EN).post("/register", {**NEW, "display_name": "名" * 101})

    assert response.status_code == 400
    assert not User.objects.filter(username="xiaomei").exists()
