"""What a proved phone opens: the account whose verified phone it is, a password reset, and a
password login by phone. An account that merely carries the number opens nothing."""

import datetime as dt

import pytest
import time_machine

from tests.accounts.codes import PHONE, api, last_code, send, verify, wrong
from tests.helpers import NOW, PASSWORD, error_of, make_user
from yuyue.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new secret"


def login(username: str, password: str):
    return api().post(
        "/api/v1/auth/login",
        {"username": username, "password": password},
        content_type="application/json",
    )


def reset(code: str, password: str = NEW_PASSWORD, phone: str = PHONE):
    return api().post(
        "/api/v1/auth/password/reset",
        {"phone": phone, "code": code, "new_password": password},
        content_type="application/json",
    )


def test_registering_with_a_phone_does_not_verify_it():
    response = api().post(
        "/api/v1/auth/register",
        {"username": "typist", "password": PASSWORD, "phone": "13917778117"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["user"]["phone_verified"] is False
    assert User.objects.get(username="typist").phone_verified is False


def test_a_code_never_hands_over_an_account_that_only_carries_the_phone(webhook):
    # Anyone can type any number at registration: proving the phone is not proving the account.
    typed = make_user("typed", phone=PHONE)
    send()
    response = verify(last_code(webhook))

    assert response.status_code == 200
    assert response.json()["user"]["id"] != typed.id
    typed.refresh_from_db()
    assert (typed.phone, typed.phone_verified) == (PHONE, False)
    assert login("typed", PASSWORD).status_code == 200


def test_a_verified_phone_logs_in_with_the_password_however_written():
    owner = make_user("phoneowner", phone=PHONE, phone_verified=True)
    for written in ("13917778117", "+86 139 1777 8117", PHONE):
        response = login(written, PASSWORD)
        assert (response.status_code, response.json()["user"]["id"]) == (200, owner.id)
    assert login("13917778117", "wrong password").status_code == 401


def test_an_unverified_phone_does_not_log_in():
    make_user("typed", phone=PHONE)
    response = login("13917778117", PASSWORD)
    assert (response.status_code, error_of(response)["code"]) == (401, "invalid_credentials")


def test_a_reset_by_code_sets_the_password_and_ends_every_old_token(webhook):
    owner = make_user("phoneowner", phone=PHONE, phone_verified=True)
    old = login("phoneowner", PASSWORD).json()["token"]
    send(purpose="reset")

    response = reset(last_code(webhook))

    assert response.status_code == 200 and response.json()["user"]["id"] == owner.id
    assert api(Authorization=f"Bearer {old}").get("/api/v1/me").status_code == 401
    new = response.json()["token"]
    assert api(Authorization=f"Bearer {new}").get("/api/v1/me").status_code == 200
    assert login("phoneowner", NEW_PASSWORD).status_code == 200
    assert login("phoneowner", PASSWORD).status_code == 401


def test_a_login_code_does_not_reset_and_a_reset_code_does_not_sign_in(webhook):
    make_user("phoneowner", phone=PHONE, phone_verified=True)
    send(purpose="login")
    assert reset(last_code(webhook)).status_code == 401
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        send(purpose="reset")
        assert verify(last_code(webhook)).status_code == 401


def test_a_weak_password_does_not_cost_the_code(webhook):
    make_user("phoneowner", phone=PHONE, phone_verified=True)
    send(purpose="reset")
    code = last_code(webhook)

    weak = reset(code, password="12345678")

    assert weak.status_code == 422
    assert "new_password" in error_of(weak)["details"]["fields"]
    assert reset(code).status_code == 200


def test_a_wrong_reset_code_is_refused_and_counted(webhook):
    make_user("phoneowner", phone=PHONE, phone_verified=True)
    send(purpose="reset")
    code = last_code(webhook)
    assert [reset(wrong(code)).status_code for _ in range(5)] == [401] * 5
    assert reset(code).status_code == 401
    assert login("phoneowner", PASSWORD).status_code == 200


def test_a_reset_for_a_phone_without_an_account_says_so_only_to_its_owner(webhook):
    send(purpose="reset")
    response = reset(last_code(webhook))
    assert response.status_code == 422
    assert "phone" in error_of(response)["details"]["fields"]
