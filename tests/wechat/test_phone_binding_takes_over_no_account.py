"""POST /api/v1/auth/wechat/phone: the phone button's code → getuserphonenumber → the account.

The number WeChat vouches for goes on the WeChat user's own account, and the businesses'
records with that number (walk-ins, phone bookings) become that account's. Another account
with the number — registered with it typed in, which proves nothing — is never taken over; a
number on another WeChat user's account is refused."""

import pytest

from tests.helpers import make_user
from tests.wechat.support import bearer_client, wechat_login
from yuyue.accounts.models import User
from yuyue.catalog.services import business_create
from yuyue.customers.services import customer_create
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


def test_an_account_registered_with_the_phone_is_not_taken_over(anon, standin):
    typed_it = make_user("typed-it", phone="+8613911112222")
    login = wechat_login(anon, standin, "o-owner")

    response = bind(login["token"], standin.phone_code("13911112222"))

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == login["user"]["id"]
    assert WeChatIdentity.objects.get(openid="o-owner").user_id == login["user"]["id"]
    typed_it.refresh_from_db()
    assert typed_it.is_active and typed_it.phone == "+8613911112222"
    assert bearer_client(login["token"]).get("/api/v1/me").status_code == 200


def test_the_businesses_records_of_the_phone_become_the_accounts(anon, standin):
    owner = make_user("salon-owner", phone="+8613500135000")
    salon = business_create(owner=owner, slug="salon", name="Salon")
    walk_in = customer_create(actor=owner, business=salon, name="赵女士", phone="13911113333")
    login = wechat_login(anon, standin, "o-zhao")

    assert bind(login["token"], standin.phone_code("13911113333")).status_code == 200

    walk_in.refresh_from_db()
    assert walk_in.user_id == login["user"]["id"]


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
