"""Register, log in and log out in the browser; the seed's JSON answers on the same routes."""

import pytest
from django.test import Client

from tests.helpers import EN, PASSWORD, browser_for, field_errors, html_of, page_alerts, page_of
from yuyue.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

JSON = {"Accept": "application/json"}
NEW = {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "138 0013 8000"}
UNSAFE_NEXTS = [
    "https://evil.example/",
    "//evil.example/appointments",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
]


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# Register ---------------------------------------------------------------------------------


def test_registering_creates_the_user_with_an_e164_phone_and_logs_in(db):
    client = Client(headers=EN)

    response = client.post("/register", {**NEW, "email": "mei@example.com"})

    user = User.objects.get(username="xiaomei")
    assert response.status_code == 302
    assert response["Location"] == "/appointments"
    assert user.phone == "+8613800138000"
    assert user.email == "mei@example.com"
    assert user.check_password("a-long-Secret-42")
    assert logged_in_user_id(client) == str(user.pk)


def test_registering_in_english_keeps_english_for_the_account(db):
    Client(headers=EN).post("/register", NEW)

    assert User.objects.get(username="xiaomei").language == "en"


def test_registering_goes_on_to_a_safe_next(db):
    response = Client().post("/register", {**NEW, "next": "/b/salon/book/1/?date=2026-12-02"})

    assert response["Location"] == "/b/salon/book/1/?date=2026-12-02"


@pytest.mark.parametrize("target", UNSAFE_NEXTS)
def test_registering_never_goes_to_another_site(db, target):
    response = Client().post("/register", {**NEW, "next": target})

    assert response.status_code == 302
    assert response["Location"] == "/appointments"


def test_a_taken_username_is_a_409_with_the_error_next_to_the_username(customer):
    response = Client(headers=EN).post("/register", {**NEW, "username": "customer"})

    html = html_of(response)
    assert response.status_code == 409
    assert field_errors(html, "id_username") == ["This username is taken."]
    assert field_errors(html, "id_password") == []
    assert User.objects.filter(username="customer").count() == 1
    assert User.objects.get(username="customer").phone == "+8613700137000"


@pytest.mark.parametrize("password", ["12345678", "short", "password"])
def test_a_weak_password_is_refused_next_to_the_password(db, password):
    response = Client(headers=EN).post("/register", {**NEW, "password": password})

    html = html_of(response)
    assert response.status_code == 400
    assert field_errors(html, "id_password")
    assert field_errors(html, "id_username") == []
    assert not User.objects.filter(username="xiaomei").exists()


def test_a_bad_phone_is_refused_next_to_the_phone(db):
    response = Client(headers=EN).post("/register", {**NEW, "phone": "12"})

    assert response.status_code == 400
    assert field_errors(html_of(response), "id_phone")
    assert not User.objects.exists()


def test_a_refused_form_keeps_what_was_typed_except_the_password(db):
    response = Client(headers=EN).post("/register", {**NEW, "phone": "12"})

    html = html_of(response)
    assert 'value="xiaomei"' in html
    assert 'value="a-long-Secret-42"' not in html


def test_the_register_page_keeps_next_for_the_form(db):
    html = html_of(Client().get("/register?next=/appointments/abc/"))

    assert '<input type="hidden" name="next" value="/appointments/abc/">' in html


def test_a_refused_registration_keeps_where_to_go_next(customer):
    next_url = "/b/salon/book/1/confirm/?staff=any&start=2026-12-02T10%3A00%2B08%3A00"

    response = Client().post("/register", {**NEW, "username": "customer", "next": next_url})

    page = page_of(response)
    assert response.status_code == 409
    assert page.hidden(page.form_to("/register"), "next") == next_url


# Log in -----------------------------------------------------------------------------------


def test_logging_in_rotates_the_session_key(customer):
    client = Client()
    planted = client.session
    planted["seen"] = True
    planted.save()
    client.cookies["sessionid"] = planted.session_key

    response = client.post("/login", {"username": "customer", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/appointments"
    assert client.cookies["sessionid"].value != planted.session_key
    assert logged_in_user_id(client) == str(customer.pk)


def test_logging_in_goes_on_to_a_safe_next(customer):
    response = Client().post(
        "/login",
        {"username": "customer", "password": PASSWORD, "next": "/appointments?page=2"},
    )

    assert response["Location"] == "/appointments?page=2"


@pytest.mark.parametrize("target", UNSAFE_NEXTS)
def test_logging_in_never_goes_to_another_site(customer, target):
    response = Client().post(
        "/login", {"username": "customer", "password": PASSWORD, "next": target}
    )

    assert response["Location"] == "/appointments"


def test_a_wrong_password_is_a_401_with_an_error(customer):
    client = Client()

    response = client.post("/login", {"username": "customer", "password": "wrong horse"})

    assert response.status_code == 401
    assert page_alerts(html_of(response)) == ["用户名或密码错误。"]
    assert logged_in_user_id(client) is None


def test_a_wrong_password_keeps_where_to_go_next_and_the_username(customer):
    response = Client().post(
        "/login", {"username": "customer", "password": "nope", "next": "/appointments/x/"}
    )

    page = page_of(response)
    assert page.hidden(page.form_to("/login"), "next") == "/appointments/x/"
    assert 'value="customer"' in html_of(response)
    assert 'value="nope"' not in html_of(response)


def test_an_unknown_user_gets_the_same_answer(db):
    response = Client(headers=EN).post("/login", {"username": "nobody", "password": "x" * 9})

    assert response.status_code == 401
    assert page_alerts(html_of(response)) == ["Wrong username or password."]


def test_an_empty_login_form_names_the_missing_fields(db):
    response = Client(headers=EN).post("/login", {})

    html = html_of(response)
    assert response.status_code == 400
    assert field_errors(html, "id_username") == ["This field is required."]
    assert field_errors(html, "id_password") == ["This field is required."]


def test_repeated_wrong_passwords_are_slowed_down(customer, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "login_failures_user_ip": "2/h"}
    client = Client(headers=EN)

    statuses = [
        client.post("/login", {"username": "customer", "password": "nope"}).status_code
        for _ in range(3)
    ]
    last = client.post("/login", {"username": "customer", "password": PASSWORD})

    assert statuses == [401, 401, 429]
    assert last.status_code == 429
    assert "Too many attempts; please wait" in page_alerts(html_of(last))[0]
    assert logged_in_user_id(client) is None


def test_the_login_form_needs_the_csrf_token(customer):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login", {"username": "customer", "password": PASSWORD})

    assert response.status_code == 403
    assert logged_in_user_id(client) is None


# Log out ----------------------------------------------------------------------------------


def test_logging_out_needs_a_post(customer):
    client = browser_for(customer)

    response = client.get("/logout")

    assert response.status_code == 405
    assert logged_in_user_id(client) == str(customer.pk)


def test_logging_out_ends_the_session(customer):
    client = browser_for(customer)

    response = client.post("/logout")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) is None
    assert client.get("/appointments")["Location"] == "/login?next=/appointments"


def test_logging_out_needs_the_csrf_token(customer):
    client = browser_for(customer, enforce_csrf_checks=True)

    response = client.post("/logout")

    assert response.status_code == 403
    assert logged_in_user_id(client) == str(customer.pk)


# The seed's JSON --------------------------------------------------------------------------


def test_register_still_answers_the_seed_s_json(db):
    response = Client(headers=JSON).post("/register", {**NEW, "phone": "13800138000"})

    assert response.json()["status"] == "success"
    assert User.objects.get(username="xiaomei").phone == "+8613800138000"


def test_login_still_answers_the_seed_s_json(customer):
    response = Client(headers=JSON).post("/login", {"username": "customer", "password": PASSWORD})

    body = response.json()
    assert (body["status"], body["user_id"]) == ("success", customer.id)
    assert body["token"]
