"""The access token: one per app, shared by every process through the cache.

WeChat's stable_token hands out a token valid for `expires_in` seconds (7200). It is cached
until shortly before that, refreshed by one process at a time (a lock taken with cache.add,
which is atomic in Redis and in the database cache), and refreshed once more when WeChat
says it is invalid (40001) or expired (42001). The others wait for the refresher's token
instead of each asking WeChat, whose daily quota on tokens is small.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from yuyue.wechat import client
from yuyue.wechat.errors import TOKEN_ERRORS, WeChatError, WeChatUnreachable

logger = logging.getLogger("yuyue.wechat")
T = TypeVar("T")
# Stop using a token this long before WeChat says it expires.
EARLY_SECONDS = 300
POLL_SECONDS = 0.05


def _lock_seconds() -> int:
    # Outlives a refresh (up to two calls to WeChat), so no second refresher starts meanwhile;
    # a refresher that died leaves a lock that expires by itself.
    return 2 * settings.WECHAT_TIMEOUT + 5


def _key() -> str:
    return f"wechat:access-token:{settings.WECHAT_APPID}"


def _lock_key() -> str:
    return f"wechat:access-token-lock:{settings.WECHAT_APPID}"


def access_token(*, stale: str = "") -> str:
    """A live access token. `stale`: the one WeChat just refused, which must not come back."""
    cached = cache.get(_key())
    if cached and cached != stale:
        return cached
    deadline = time.monotonic() + _lock_seconds()
    while True:
        if cache.add(_lock_key(), "1", _lock_seconds()):
            try:
                return _refresh(stale)
            finally:
                cache.delete(_lock_key())
        logger.info("waiting for another process's access token refresh")
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            cached = cache.get(_key())
            if cached and cached != stale:
                return cached
            if cache.get(_lock_key()) is None:
                break
        else:
            raise WeChatUnreachable("timed out waiting for another access token refresh")


def _refresh(stale: str) -> str:
    # Someone may have refreshed between our look and our lock.
    cached = cache.get(_key())
    if cached and cached != stale:
        return cached
    answer = client.stable_token()
    token = str(answer.get("access_token", ""))
    if token and token == stale:
        # WeChat still hands out the token it just refused: ask for a new one outright.
        answer = client.stable_token(force_refresh=True)
        token = str(answer.get("access_token", ""))
    if not token:
        raise WeChatUnreachable("stable_token answered without an access_token")
    lifetime = int(answer.get("expires_in") or 0) - EARLY_SECONDS
    if lifetime > 0:
        cache.set(_key(), token, lifetime)
    return token


def with_access_token(call: Callable[[str], T]) -> T:
    """Run `call(token)`; on 40001/42001 refresh the token once and run it again."""
    token = access_token()
    try:
        return call(token)
    except WeChatError as error:
        if error.errcode not in TOKEN_ERRORS:
            raise
        logger.info("access token refused (%s), refreshing once", error.errcode)
        return call(access_token(stale=token))
