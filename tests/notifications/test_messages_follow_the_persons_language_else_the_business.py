"""Messages go in the person's language, else the business's: registering without stating a
language (no Accept-Language, no language switch) must not pin Chinese, so a customer of an
English-language business gets English mail."""

import pytest
import time_machine
from django.test import Client

from tests.helpers import NOW, WEDNESDAY, at, owner_of
from tests.notifications.support import text_of
from yuyue.accounts.models import User
from yuyue.bookings.services import appointment_create
from yuyue.customers.services import customer_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "mary",
    "password": "a-long-pass-phrase",
    "phone": "13800138001",
    "email": "mary@example.com",
}


@pytest.fixture
def english_business(business):
    business.default_language = "en"
    business.save(update_fields=["default_language"])
    return business


def register(**headers) -> User:
    response = Client(headers=headers).post(
        "/api/v1/auth/register", NEW_USER, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return User.objects.get(username="mary")


def book_and_send(service, stylist, customer):
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    with time_machine.travel(NOW, tick=False):
        drain()
    return Notification.objects.get(kind="booked", recipient=customer)


def test_a_customer_who_stated_no_language_gets_the_english_business_s_english_mail(
    english_business, service, stylist, mailbox
):
    mary = register()
    assert mary.language == ""
    row = book_and_send(service, stylist, mary)
    assert (row.status, row.language) == ("sent", "en")
    (mail,) = mailbox.to("mary@example.com")
    assert "Your booking" in mail["Subject"] or "booking" in text_of(mail).lower()
    assert "预约" not in mail["Subject"]


def test_a_stated_language_wins_over_the_business_s(english_business, service, stylist):
    mary = register(**{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert mary.language == "zh-hans"
    assert book_and_send(service, stylist, mary).language == "zh-hans"


def test_a_language_we_do_not_speak_states_nothing(english_business):
    assert register(**{"Accept-Language": "fr-FR, de;q=0.8"}).language == ""


def test_the_api_s_explicit_language_wins(english_business):
    response = Client(headers={"Accept-Language": "en"}).post(
        "/api/v1/auth/register",
        {**NEW_USER, "language": "zh-hans"},
        content_type="application/json",
    )
    assert response.json()["user"]["language"] == "zh-hans"


def test_web_registration_without_a_stated_language_pins_none(english_business):
    page = Client()
    page.get("/register")
    response = page.post(
        "/register",
        {**NEW_USER, "password2": NEW_USER["password"], "display_name": ""},
    )
    assert response.status_code in (302, 303), response.content[:500]
    assert User.objects.get(username="mary").language == ""


def test_web_registration_after_the_language_switch_keeps_it(english_business):
    page = Client()
    page.cookies["django_language"] = "en"
    response = page.post(
        "/register", {**NEW_USER, "password2": NEW_USER["password"], "display_name": ""}
    )
    assert response.status_code in (302, 303)
    assert User.objects.get(username="mary").language == "en"


def test_a_walk_in_made_by_staff_hears_in_the_business_s_language(
    english_business, service, stylist
):
    owner = owner_of(english_business)
    walk_in = customer_create(
        actor=owner, business=english_business, name="Ann", phone="13800138009"
    )
    appointment_create(
        service=service,
        client=walk_in,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        actor=owner,
        now=NOW,
    )
    with time_machine.travel(NOW, tick=False):
        drain()
    row = Notification.objects.get(kind="booked", recipient=None)
    assert row.addressee == walk_in and row.language == "en"
