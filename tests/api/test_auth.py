"""Register, log in and out, tokens that expire and die with the password."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests.helpers import bearer, client_for, error_of
from yuyue.accounts.models import ApiToken, User
from yuyue.accounts.services import token_issue, user_set_password

pytestmark = pytest.mark.django_db

NEW_USER = {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "13800138000"}


def login(client: Client, username: str, password: str = "correct horse battery"):
    return client.post(
        "/api/v1/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_registering_returns_a_working_token(anon):
    response = anon.post("/api/v1/auth/register", NEW_USER, content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    assert body["user"] == {
        "id": User.objects.get(username="xiaomei").id,
        "username": "xiaomei",
        "display_name": "",
        "phone": "+8613800138000",
        "phone_verified": False,
        "email": "",
        # No Accept-Language: no language of its own, each business's is used.
        "language": "",
    }
    me = Client(headers={"Authorization": f"Bearer {body['token']}"}).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "xiaomei"


def test_registering_may_give_a_display_name(anon):
    response = anon.post(
        "/api/v1/auth/register",
        {**NEW_USER, "display_name": "张小美"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["user"]["display_name"] == "张小美"
    assert User.objects.get(username="xiaomei").shown_name == "张小美"


def test_registering_names_every_field_with_a_problem(anon):
    response = anon.post(
        "/api/v1/auth/register",
        {"username": "xiaomei", "password": "123", "phone": "12345", "email": "nope"},
        content_type="application/json",
    )

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"password", "phone", "email"}


def test_password_rules_are_explained_in_chinese(anon):
    response = anon.post(
        "/api/v1/auth/register", {**NEW_USER, "password": "x7#k"}, content_type="application/json"
    )

    assert error_of(response)["details"]["fields"]["password"] == ["密码太短，至少需要 8 个字符。"]


def test_registering_a_taken_username_is_a_duplicate(anon, customer):
    response = anon.post(
        "/api/v1/auth/register",
        {**NEW_USER, "username": "customer"},
        content_type="application/json",
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "duplicate"
    assert "username" in error["details"]["fields"]


def test_registering_needs_the_fields_of_the_contract(anon):
    response = anon.post("/api/v1/auth/register", {}, content_type="application/json")

    assert response.status_code == 422
    assert set(error_of(response)["details"]["fields"]) == {"username", "password", "phone"}


def test_logging_in_returns_a_token_and_the_user(anon, customer):
    response = login(anon, "customer")

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["user"]["username"] == "customer"
    assert body["token"].startswith("yuyue_")


def test_a_wrong_password_is_401_and_says_nothing_about_the_account(anon, customer):
    wrong = login(anon, "customer", "wrong password")
    nobody = login(anon, "nobody", "wrong password")

    assert wrong.status_code == nobody.status_code == 401
    assert error_of(wrong) == error_of(nobody)
    assert error_of(wrong)["code"] == "invalid_credentials"


def test_a_deactivated_account_cannot_log_in(anon, customer):
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    assert login(anon, "customer").status_code == 401


def test_logging_in_without_a_password_is_a_validation_error(anon):
    response = anon.post(
        "/api/v1/auth/login", {"username": "customer"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert error_of(response)["details"]["fields"] == {"password": ["这个字段是必填项。"]}


def test_tokens_are_stored_only_as_a_hash(customer):
    issued = token_issue(user=customer)

    stored = ApiToken.objects.get()
    assert issued.key not in {stored.key_hash, stored.prefix}
    assert len(stored.prefix) < len(issued.key) // 2


def test_logging_out_ends_only_that_token(customer):
    first, second = bearer(customer), bearer(customer)

    response = Client(headers={"Authorization": first}).post("/api/v1/auth/logout")

    assert response.status_code == 204
    assert Client(headers={"Authorization": first}).get("/api/v1/me").status_code == 401
    assert Client(headers={"Authorization": second}).get("/api/v1/me").status_code == 200


def test_logging_out_needs_a_token(anon):
    response = anon.post("/api/v1/auth/logout")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_tokens_expire_after_thirty_days(customer):
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(customer)
    with time_machine.travel(start + dt.timedelta(days=29, hours=23), tick=False):
        assert client.get("/api/v1/me").status_code == 200
    with time_machine.travel(start + dt.timedelta(days=30, seconds=1), tick=False):
        assert client.get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.exists()


def test_changing_the_password_ends_every_token_and_returns_a_new_one(customer):
    other_device = client_for(customer)
    client = client_for(customer)

    response = client.post(
        "/api/v1/auth/password",
        {"current_password": "correct horse battery", "new_password": "an-even-Longer-77"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert other_device.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").status_code == 401
    fresh = Client(headers={"Authorization": f"Bearer {response.json()['token']}"})
    assert fresh.get("/api/v1/me").status_code == 200


def test_changing_the_password_needs_the_current_one(as_customer):
    response = as_customer.post(
        "/api/v1/auth/password",
        {"current_password": "guess", "new_password": "an-even-Longer-77"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "current_password" in error_of(response)["details"]["fields"]
    assert as_customer.get("/api/v1/me").status_code == 200


def test_a_password_changed_anywhere_else_ends_the_tokens_too(customer, as_customer):
    # The back office and `changepassword` save the user without calling the API's service.
    customer.password = make_password("changed in the admin")
    customer.save(update_fields=["password"])

    assert as_customer.get("/api/v1/me").status_code == 401


def test_the_password_service_deletes_the_tokens(customer):
    token_issue(user=customer)

    user_set_password(user=customer, password="an-even-Longer-77")

    assert not ApiToken.objects.filter(user=customer).exists()


def test_deactivating_an_account_ends_its_tokens(customer, as_customer):
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    assert as_customer.get("/api/v1/me").status_code == 401


def test_me_shows_the_caller(as_customer, customer):
    response = as_customer.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.id,
        "username": "customer",
        "display_name": "",
        "phone": "+8613700137000",
        "phone_verified": False,
        "email": "customer@example.com",
        "language": "",
    }


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nonsense", "Basic Y3VzdG9tZXI6eA==", "Bearer yuyue_x"]
)
def test_me_refuses_missing_or_bad_credentials(db, header):
    response = Client(headers={"Authorization": header} if header else {}).get("/api/v1/me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_session_cookie_is_not_a_credential_of_the_api(client, customer):
    # The API never reads the session, so it never needs a CSRF token.
    client.force_login(customer)

    assert client.get("/api/v1/me").status_code == 401


def test_my_businesses_lists_my_roles(as_owner, business, other_owner, owner):
    response = as_owner.get("/api/v1/me/businesses")

    assert response.status_code == 200
    assert response.json()["items"] == [{"slug": "salon", "name": business.name, "role": "owner"}]
    assert response.json()["count"] == 1
