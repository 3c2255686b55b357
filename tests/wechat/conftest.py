"""The WeChat stand-in on a loopback port, with the settings pointing Yuyue at it."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.wechat.standin import Standin
from tests.wechat.support import APPID, SECRET, TEMPLATES, wechat_settings


@pytest.fixture
def standin(settings):
    server = Standin(appid=APPID, secret=SECRET)
    server.start()
    wechat_settings(settings, server.url)
    cache.clear()
    try:
        yield server
    finally:
        server.stop()
        cache.clear()


@pytest.fixture
def templates():
    return TEMPLATES


@pytest.fixture
def anon(db) -> Client:
    return Client()
