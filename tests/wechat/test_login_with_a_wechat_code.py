"""POST /api/v1/auth/wechat: wx.login's code → jscode2session → the API's bearer token."""

import pytest

from tests.wechat.support import APPID, SECRET, bearer_client, wechat_login
from yuyue.wechat.models import WeChatIdentity

pytestmark = pytest.mark.django_db


def post_code(client, code):
    return client.post("/api/v1/auth/wechat", {"code": code}, content_type="application/json")


def test_a_first_login_creates_an_account_that_still_needs_a_phone(anon, standin):
    answer = wechat_login(anon, standin, "o-first")

    assert answer["created"] is True
    assert answer["needs_phone"] is True
    identity = WeChatIdentity.objects.get(openid="o-first")
    assert identity.appid == APPID
    assert identity.user.username == answer["user"]["username"]
    assert not identity.user.has_usable_password()
    me = bearer_client(answer["token"]).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["id"] == identity.user.pk


def test_the_server_sends_its_appid_and_secret_to_wechat(anon, standin):
    wechat_login(anon, standin, "o-first")

    [call] = standin.received("jscode2session")
    assert call["query"]["appid"] == APPID
    assert call["query"]["secret"] == SECRET
    assert call["query"]["grant_type"] == "authorization_code"


def test_logging_in_again_finds_the_same_account(anon, standin):
    first = wechat_login(anon, standin, "o-again")
    second = wechat_login(anon, standin, "o-again")

    assert second["created"] is False
    assert second["user"]["id"] == first["user"]["id"]
    assert second["token"] != first["token"]
    assert WeChatIdentity.objects.count() == 1


def test_a_unionid_known_from_another_app_finds_its_owner(anon, standin, customer):
    WeChatIdentity.objects.create(
        appid="wx-other-app", openid="o-elsewhere", unionid="u-1", user=customer
    )

    answer = wechat_login(anon, standin, "o-here", unionid="u-1")

    assert answer["user"]["id"] == customer.pk
    assert answer["needs_phone"] is False


def test_a_code_used_twice_is_refused_as_40163(anon, standin):
    code = standin.login_code("o-twice")
    assert post_code(anon, code).status_code == 200

    response = post_code(anon, code)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "wechat_code_invalid"
    assert response.json()["error"]["details"]["fields"]["code"]
    assert "40163" not in response.content.decode()  # WeChat's codes stay on the server


def test_an_unknown_code_is_refused_as_40029(anon, standin):
    response = post_code(anon, "made-up")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "wechat_code_invalid"


def test_wechat_s_rate_limit_45011_asks_the_client_to_wait(anon, standin):
    standin.fail_next("jscode2session", 45011)

    response = post_code(anon, standin.login_code("o-busy"))

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "wechat_busy"
    assert WeChatIdentity.objects.count() == 0


@pytest.mark.parametrize("failure", [-1, 502])
def test_wechat_being_down_is_a_503_not_a_500(anon, standin, failure):
    standin.fail_next("jscode2session", failure)

    response = post_code(anon, standin.login_code("o-down"))

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "wechat_unavailable"


def test_an_unreachable_wechat_is_a_503(anon, standin, settings):
    standin.stop()

    response = post_code(anon, "whatever")

    assert response.status_code == 503


def test_without_configuration_wechat_login_is_off(anon, settings):
    settings.WECHAT_APPID = settings.WECHAT_SECRET = ""

    response = post_code(anon, "whatever")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "wechat_not_configured"


def test_the_answer_is_in_the_request_s_language(anon, standin):
    response = anon.post(
        "/api/v1/auth/wechat",
        {"code": "made-up"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )

    assert "WeChat code is invalid" in response.json()["error"]["message"]
