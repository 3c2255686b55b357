"""POST /api/v1/auth/wechat/phone: the phone button's code → getuserphonenumber → the account.

A new number is stored on the WeChat user's account; a number an account already has is
claimed (that account becomes the WeChat user's); a number whose account is another WeChat
user's is refused."""

import pytest

from tests.helpers import make_user
from tests.wechat.support import bearer_client, wechat_login
from yuyue.accounts.models import User
from yuyue.wechat.models import WeChatIdentity

pytestmark = pytest.mark.django_db


def bind(token, code):
    return bearer_client(token).post(
        "/api/v1/auth/wechat/phone", {"code": code}, content_type="application/json"
    )


def test_a_new_user_gets_the_phone_wechat_vouches_for(anon, standin):
    login = wechat_login(anon, standin, "o-new")

    response = bind(login["token"], standin.phone_code("13912345678"))

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == login["user"]["id"]
    assert User.objects.get(pk=login["user"]["id"]).phone == "+8613912345678"
    [call] = standin.received("getuserphonenumber")
    assert call["query"]["access_token"].startswith("at_")
    assert len(standin.received("stable_token")) == 1


def test_a_phone_registered_on_the_web_is_claimed_not_duplicated(anon, standin):
    walk_in = make_user("walkin", phone="+8613911112222")
    login = wechat_login(anon, standin, "o-walkin")
    placeholder = User.objects.get(pk=login["user"]["id"])

    response = bind(login["token"], standin.phone_code("13911112222"))

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == walk_in.pk
    assert WeChatIdentity.objects.get(openid="o-walkin").user == walk_in
    placeholder.refresh_from_db()
    assert placeholder.is_active is False
    # The placeholder's token died with it; the new one is the claimed account's.
    assert bearer_client(login["token"]).get("/api/v1/me").status_code == 401
    me = bearer_client(response.json()["token"]).get("/api/v1/me")
    assert me.json()["username"] == "walkin"
    # Next time, wx.login lands straight in the claimed account.
    assert wechat_login(anon, standin, "o-walkin")["user"]["id"] == walk_in.pk


def test_a_phone_already_bound_to_another_wechat_user_is_refused(anon, standin):
    first = wechat_login(anon, standin, "o-first")
    assert bind(first["token"], standin.phone_code("13933334444")).status_code == 200
    second = wechat_login(anon, standin, "o-second")

    response = bind(second["token"], standin.phone_code("13933334444"))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "phone_bound_elsewhere"
    assert WeChatIdentity.objects.get(openid="o-second").user_id == second["user"]["id"]
    assert User.objects.get(pk=second["user"]["id"]).phone == ""


def test_a_customer_without_a_wechat_login_cannot_bind(standin, customer):
    from tests.helpers import bearer

    response = bearer_client(bearer(customer).split(" ", 1)[1]).post(
        "/api/v1/auth/wechat/phone",
        {"code": standin.phone_code("13955556666")},
        content_type="application/json",
    )

    assert response.status_code == 409


def test_a_used_phone_code_is_refused(anon, standin):
    login = wechat_login(anon, standin, "o-code")
    code = standin.phone_code("13977778888")
    assert bind(login["token"], code).status_code == 200

    response = bind(login["token"], code)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "wechat_code_invalid"


def test_an_expired_access_token_42001_is_refreshed_once(anon, standin):
    login = wechat_login(anon, standin, "o-expired")
    assert bind(login["token"], standin.phone_code("13900000001")).status_code == 200
    standin.expire_tokens()

    response = bind(login["token"], standin.phone_code("13900000002"))

    assert response.status_code == 200, response.content
    calls = standin.received("getuserphonenumber")
    assert len(calls) == 3
    assert calls[1]["query"]["access_token"] == calls[0]["query"]["access_token"]
    assert calls[2]["query"]["access_token"] != calls[1]["query"]["access_token"]
    assert len(standin.received("stable_token")) == 2


def test_an_invalid_access_token_40001_is_refreshed_once(anon, standin):
    login = wechat_login(anon, standin, "o-invalid")
    standin.fail_next("getuserphonenumber", 40001)

    response = bind(login["token"], standin.phone_code("13900000003"))

    assert response.status_code == 200, response.content
    assert len(standin.received("getuserphonenumber")) == 2


def test_a_token_refused_twice_is_not_refreshed_a_third_time(anon, standin):
    login = wechat_login(anon, standin, "o-refused")
    standin.fail_next("getuserphonenumber", 40001, 40001)

    response = bind(login["token"], standin.phone_code("13900000004"))

    assert response.status_code == 503
    assert len(standin.received("getuserphonenumber")) == 2
