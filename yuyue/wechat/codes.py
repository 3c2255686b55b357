"""The mini program code (小程序码) that opens a business's home page in the mini program.

WeChat draws it (`wxa/getwxacodeunlimit`, through the shared access token); each drawing is a
call against a daily quota, so the image is kept in the shared cache and drawn again only
when the cache has lost it.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from yuyue.lib.errors import DomainError
from yuyue.wechat import client
from yuyue.wechat.errors import WeChatError, WeChatNotConfigured, WeChatUnreachable
from yuyue.wechat.selectors import wechat_enabled
from yuyue.wechat.tokens import with_access_token

HOME_PAGE = "pages/home/home"
CACHE_SECONDS = 30 * 24 * 3600
# WeChat's rule for a scene: at most 32 visible characters of this set.
SCENE = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$")
# WECHAT_MINIPROGRAM_STATE (as subscribe messages name versions) → WeChat's env_version.
ENV_VERSIONS = {"formal": "release", "trial": "trial", "developer": "develop"}


class MiniProgramCodeRefused(DomainError):
    """WeChat answered an errcode instead of the image; the message says which."""

    code = "wechat_code_refused"
    default_message = _("WeChat refused to draw the mini program code.")


def _key(slug: str, env_version: str) -> str:
    return f"wechat:wxacode:{settings.WECHAT_APPID}:{env_version}:{HOME_PAGE}:{slug}"


def miniprogram_code(*, slug: str) -> bytes:
    """The PNG of the code opening the home page on business `slug` (scene = the slug).

    Raises WeChatNotConfigured, MiniProgramCodeRefused (WeChat's errcode and message, or a
    slug WeChat cannot carry) or WeChatUnreachable.
    """
    if not wechat_enabled():
        raise WeChatNotConfigured()
    if not SCENE.match(slug):
        raise MiniProgramCodeRefused(
            _(
                "A mini program code carries at most 32 characters: "
                "this business's address name is longer."
            )
        )
    env_version = ENV_VERSIONS.get(settings.WECHAT_MINIPROGRAM_STATE, "release")
    key = _key(slug, env_version)
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    try:
        image = with_access_token(
            lambda token: client.wxacode_unlimited(
                access_token=token, scene=slug, page=HOME_PAGE, env_version=env_version
            )
        )
    except WeChatError as error:
        raise MiniProgramCodeRefused(
            _("WeChat refused to draw the code: errcode %(code)d, %(message)s")
            % {"code": error.errcode, "message": error.errmsg[:200]}
        ) from None
    cache.set(key, image, CACHE_SECONDS)
    return image


__all__ = ["MiniProgramCodeRefused", "WeChatUnreachable", "miniprogram_code"]
