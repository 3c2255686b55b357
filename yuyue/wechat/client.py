"""WeChat's server API over urllib: five calls, JSON in and out (one answers an image),
errcodes raised.

Kept this small on purpose: no SDK, nothing that is not in the standard library.
"""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from yuyue.wechat.errors import WeChatError, WeChatUnreachable

MAX_ANSWER = 64 * 1024
# A mini program code is a PNG of some tens of kilobytes; anything beyond this is not one.
MAX_IMAGE = 2 * 1024 * 1024


def _fetch(
    path: str, *, query: dict[str, str], body: dict[str, Any] | None, limit: int
) -> tuple[str, bytes]:
    """(Content-Type, body) of WeChat's answer; WeChatUnreachable when there is none."""
    url = f"{settings.WECHAT_API_BASE}/{path}?{urllib.parse.urlencode(query)}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "yuyue"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WECHAT_TIMEOUT) as response:
            return response.headers.get("Content-Type", ""), response.read(limit)
    except urllib.error.HTTPError as error:
        raise WeChatUnreachable(f"HTTP {error.code} from WeChat ({path})") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        # Connection refused, DNS, and timeouts (TimeoutError is an OSError).
        raise WeChatUnreachable(f"{type(error).__name__}: {error}") from None


def _answer(path: str, raw: bytes) -> dict:
    try:
        answer = json.loads(raw)
    except ValueError:
        raise WeChatUnreachable(f"WeChat answered something that is not JSON ({path})") from None
    if not isinstance(answer, dict):
        raise WeChatUnreachable(f"WeChat answered something that is not an object ({path})")
    errcode = answer.get("errcode") or 0
    if errcode:
        if errcode == -1:
            # "System busy": WeChat's own advice is to try again.
            raise WeChatUnreachable(f"WeChat errcode -1: {answer.get('errmsg', '')}")
        raise WeChatError(int(errcode), str(answer.get("errmsg", "")))
    return answer


def _call(path: str, *, query: dict[str, str], body: dict[str, Any] | None = None) -> dict:
    _type, raw = _fetch(path, query=query, body=body, limit=MAX_ANSWER)
    return _answer(path, raw)


def jscode2session(code: str) -> dict:
    """wx.login's code → {"openid", "session_key", "unionid"?}."""
    return _call(
        "sns/jscode2session",
        query={
            "appid": settings.WECHAT_APPID,
            "secret": settings.WECHAT_SECRET,
            "js_code": code,
            "grant_type": "authorization_code",
        },
    )


def stable_token(*, force_refresh: bool = False) -> dict:
    """{"access_token", "expires_in"}; without force_refresh WeChat returns the live one."""
    return _call(
        "cgi-bin/stable_token",
        query={},
        body={
            "grant_type": "client_credential",
            "appid": settings.WECHAT_APPID,
            "secret": settings.WECHAT_SECRET,
            "force_refresh": force_refresh,
        },
    )


def user_phone_number(*, code: str, access_token: str) -> dict:
    """The phone button's code → {"phone_info": {"purePhoneNumber", "countryCode", ...}}."""
    return _call(
        "wxa/business/getuserphonenumber",
        query={"access_token": access_token},
        body={"code": code},
    )


def subscribe_message_send(*, access_token: str, message: dict[str, Any]) -> dict:
    """{"touser", "template_id", "page", "data", ...} → {"msgid"}."""
    return _call(
        "cgi-bin/message/subscribe/send", query={"access_token": access_token}, body=message
    )


def wxacode_unlimited(*, access_token: str, scene: str, page: str, env_version: str) -> bytes:
    """The mini program code (a PNG) opening `page` with `scene`; WeChat answers an errcode
    as JSON instead of an image when it refuses (41030: no such page in that version)."""
    path = "wxa/getwxacodeunlimit"
    content_type, raw = _fetch(
        path,
        query={"access_token": access_token},
        body={
            "scene": scene,
            "page": page,
            # The page exists in the version named, not necessarily in the published one.
            "check_path": env_version == "release",
            "env_version": env_version,
        },
        limit=MAX_IMAGE,
    )
    if raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8"):
        return raw
    _answer(path, raw)  # raises WeChat's errcode, when that is what came
    raise WeChatUnreachable(f"WeChat answered neither an image nor an errcode ({content_type})")
