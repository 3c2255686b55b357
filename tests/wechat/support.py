"""Shared by the WeChat tests (and the API sweep): settings and logging in through the stand-in."""

from django.test import Client

APPID = "wx1234567890abcdef"
SECRET = "standin-secret"
TEMPLATES = {
    "confirmation": "tmpl-confirmation",
    "reminder": "tmpl-reminder",
    "change": "tmpl-change",
}


def wechat_settings(settings, url: str) -> None:
    settings.WECHAT_APPID = APPID
    settings.WECHAT_SECRET = SECRET
    settings.WECHAT_API_BASE = url
    settings.WECHAT_TIMEOUT = 2
    settings.WECHAT_TEMPLATE_IDS = dict(TEMPLATES)


def wechat_login(client: Client, standin, openid: str, **extra) -> dict:
    """What the mini program does: wx.login, then POST the code; returns the JSON answer."""
    response = client.post(
        "/api/v1/auth/wechat",
        {"code": standin.login_code(openid, **extra)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def bearer_client(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})
