"""Defect 2 with real processes: two servers share one store of counters (the database cache
by default, Redis when REDIS_URL), the counters are atomic, so a burst of guesses spread over
both servers still gets exactly the limit of password checks."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from tests.helpers import clock_env, make_user
from tools.faults.servers import request, start_server

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 10


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def servers(tmp_path: Path):
    started = []
    env = {
        "API_RATE_LOGIN_FAILURES": f"{LIMIT}/15m",
        "API_RATE_LOGIN_IP": "1000/m",
        **clock_env(),
    }
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        env["REDIS_URL"] = settings.CACHES["default"]["LOCATION"]
    try:
        for name in ("a", "b"):
            started.append(
                start_server(
                    database_url=database_url(), log=tmp_path / f"{name}.log", extra_env=env
                )
            )
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def victim(db):
    user = make_user("victim", phone="+8613200132000")
    # The servers use the production hashers, not the tests' fast one.
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode("correct horse battery", hasher.salt())
    user.save(update_fields=["password"])
    return user


def login(server, password: str, source: str = "127.0.0.1") -> int:
    status, _body, _headers = request(
        "POST",
        f"{server.url}/api/v1/auth/login",
        {"username": "victim", "password": password},
        source=source,
    )
    return status


def test_failures_on_one_server_count_on_the_other(servers, victim):
    a, b = servers
    statuses = [login(a if i % 2 else b, "wrong") for i in range(LIMIT)]

    assert statuses == [401] * LIMIT
    assert login(a, "correct horse battery") == 429
    assert login(b, "correct horse battery") == 429
    assert login(b, "correct horse battery", source="127.0.0.2") == 200


def test_a_burst_over_both_servers_gets_exactly_the_limit_of_guesses(servers, victim):
    a, b = servers
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda i: login(a if i % 2 else b, "wrong"), range(30)))

    assert statuses.count(401) == LIMIT
    assert statuses.count(429) == 30 - LIMIT
    assert login(a, "correct horse battery", source="127.0.0.3") == 200
