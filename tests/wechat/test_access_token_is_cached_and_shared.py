"""The access token: cached until shortly before it expires, refreshed by one process at a
time while the others wait for its token."""

import datetime as dt
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from tests.helpers import clock_env
from tests.wechat.standin import Standin
from tests.wechat.support import SECRET
from yuyue.wechat.tokens import EARLY_SECONDS, access_token

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
SCRIPT = """
import django
django.setup()
from yuyue.wechat.tokens import access_token
print(access_token(), flush=True)
"""


def test_the_token_is_reused_until_shortly_before_it_expires(standin):
    with time_machine.travel(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), tick=False) as clock:
        first = access_token()
        assert access_token() == first
        clock.shift(7200 - EARLY_SECONDS - 1)
        assert access_token() == first
        assert len(standin.received("stable_token")) == 1
        clock.shift(2)
        access_token()

    assert len(standin.received("stable_token")) == 2


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason=f"needs Redis at {REDIS_URL}")
def test_two_processes_refresh_once_and_share_the_token(tmp_path):
    # A fresh appid per run: the cache keys are new, whatever an earlier run left in Redis.
    appid = f"wx{secrets.token_hex(8)}"
    standin = Standin(appid=appid, secret=SECRET)
    standin.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "YUYUE_DATA_DIR": str(tmp_path),
        "REDIS_URL": REDIS_URL,
        "WECHAT_APPID": appid,
        "WECHAT_SECRET": SECRET,
        "WECHAT_API_BASE": standin.url,
        # The first process waits on WeChat while the second starts: on a busy machine that
        # takes longer than the default timeout.
        "WECHAT_TIMEOUT": "60",
        "LOG_LEVEL": "INFO",
        **clock_env(),
    }
    env.pop("DATABASE_URL", None)
    run = [sys.executable, "-c", SCRIPT]
    try:
        # The first process takes the lock and asks WeChat, which holds its answer back...
        standin.stable_token_gate.clear()
        first = subprocess.Popen(run, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        assert standin.stable_token_seen.wait(30)
        second = subprocess.Popen(
            run, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        # ...until the second process says it is waiting for the first's refresh.
        for line in second.stderr:
            if "waiting for another process" in line:
                break
        standin.stable_token_gate.set()
        first_token = first.communicate(timeout=30)[0].strip()
        second_token = second.communicate(timeout=30)[0].strip()
    finally:
        standin.stop()

    assert first.returncode == second.returncode == 0
    assert first_token.startswith("at_")
    assert second_token == first_token
    assert len(standin.received("stable_token")) == 1
