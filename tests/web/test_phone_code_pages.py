"""手机验证码登录 on the customer pages, without JavaScript: the phone, then the code. A newcomer
books from the confirm page with a phone and a code alone; a forgotten password is reset by a
code or, where the account has an email, by an emailed link."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.codes import PHONE, last_code, texts_to, wrong
from tests.helpers import (
    EN,
    PASSWORD,
    confirm_url,
    field_errors,
    html_of,
    make_user,
    page_of,
    same_url,
)
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment

pytestmark = pytest.mark.django_db

TEN = "2026-12-02T10:00+08:00"


def logged_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_a_code_sign_in_and_a_forgotten_password_link():
    page = page_of(Client().get("/login?next=/appointments"))
    form = page.form_to("/login/code")
    assert same_url(page.hidden(form, "next"), "/appointments")
    assert "code_phone" in {f.get("id") for f in form["inputs"]}
    assert 'href="/password/reset"' in html_of(Client().get("/login"))


def test_a_code_signs_in_in_two_steps_and_makes_the_account(webhook):
    browser = Client()
    first = browser.post("/login/code", {"phone": "139 1777 8117", "action": "send"})

    assert first.status_code == 200
    assert 'name="code"' in html_of(first) and "+8613917778117" in html_of(first)
    second = browser.post(
        "/login/code", {"phone": PHONE, "code": last_code(webhook), "action": "verify"}
    )

    assert (second.status_code, second["Location"]) == (302, "/appointments")
    user = User.objects.get(pk=logged_in(browser))
    assert (user.phone, user.phone_verified) == (PHONE, True)


def test_a_wrong_code_says_so_next_to_nothing_else(webhook):
    browser = Client(headers=EN)
    browser.post("/login/code", {"phone": PHONE, "action": "send"})
    response = browser.post(
        "/login/code", {"phone": PHONE, "code": wrong(last_code(webhook)), "action": "verify"}
    )
    assert response.status_code == 401
    assert "The code is wrong or has expired" in html_of(response)
    assert logged_in(browser) is None


def test_asking_again_too_soon_stays_on_the_code_step(webhook):
    browser = Client()
    browser.post("/login/code", {"phone": PHONE, "action": "send"})
    again = browser.post("/login/code", {"phone": PHONE, "action": "send"})
    assert again.status_code == 429 and 1 <= int(again["Retry-After"]) <= 60
    assert 'name="code"' in html_of(again)
    assert len(texts_to(webhook)) == 1


def test_a_bad_phone_is_named_at_the_field(webhook):
    response = Client(headers=EN).post("/login/code", {"phone": "12345", "action": "send"})
    assert response.status_code == 400
    assert field_errors(html_of(response), "id_phone") == ["Enter a valid phone number."]


@pytest.mark.usefixtures("frozen_now")
def test_a_newcomer_books_with_a_phone_and_a_code_alone(webhook, service, stylist):
    url = confirm_url(service, staff="any", start=TEN)
    browser = Client(headers=EN)
    page = page_of(browser.get(url))
    form = page.form_to("/login/code")
    assert same_url(page.hidden(form, "next"), url)

    browser.post("/login/code", {"phone": "13917778117", "action": "send", "next": url})
    signed_in = browser.post(
        "/login/code",
        {"phone": PHONE, "code": last_code(webhook), "action": "verify", "next": url},
    )
    assert same_url(signed_in["Location"], url)
    assert "Book now" in html_of(browser.get(url))
    booked = browser.post(url, {"start": TEN, "staff": "any", "key": "k1", "notes": ""})

    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.customer.phone == PHONE and appointment.customer.phone_verified


def test_a_password_is_reset_by_code_and_signs_in(webhook):
    owner = make_user("phoneowner", phone=PHONE, phone_verified=True)
    browser = Client()
    browser.post("/password/reset", {"phone": PHONE, "action": "send"})
    response = browser.post(
        "/password/reset",
        {
            "phone": PHONE,
            "code": last_code(webhook),
            "new_password": "a brand new secret",
            "action": "verify",
        },
    )
    assert response.status_code == 302
    assert logged_in(browser) == str(owner.pk)
    owner.refresh_from_db()
    assert owner.check_password("a brand new secret")


def test_a_password_is_reset_by_an_emailed_link(customer):
    browser = Client(headers=EN)
    asked = browser.post("/password/reset/email", {"email": customer.email})
    unknown = Client(headers=EN).post("/password/reset/email", {"email": "nobody@example.com"})

    assert asked.status_code == unknown.status_code == 302
    assert asked["Location"] == unknown["Location"] == "/password/reset/email/sent"
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body)[1]
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in html_of(form_page)
    done = browser.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "a brand new secret", "new_password2": "a brand new secret"},
    )
    assert done.status_code == 302 and done["Location"] == "/password/reset/done"
    customer.refresh_from_db()
    assert customer.check_password("a brand new secret")
    assert logged_in(browser) == str(customer.pk)
    assert not customer.check_password(PASSWORD)


def test_a_verified_phone_logs_in_with_the_password_on_the_web():
    owner = make_user("phoneowner", phone=PHONE, phone_verified=True)
    make_user("typed", phone="+8613917778118")
    browser = Client()

    assert (
        browser.post("/login", {"username": "139 1777 8117", "password": PASSWORD}).status_code
        == 302
    )
    assert logged_in(browser) == str(owner.pk)
    unverified = Client().post("/login", {"username": "13917778118", "password": PASSWORD})
    assert unverified.status_code == 401
