"""Real Yuyue servers on loopback, for the fault scripts and the multi-process tests.

Each server is gunicorn on 127.0.0.1 with an ephemeral port, reading the database (and cache)
the environment names. Nothing here binds anything but loopback.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def gunicorn() -> str:
    return str(Path(sys.executable).with_name("gunicorn"))


def start_server(
    *, database_url: str, log: Path, workers: int = 1, extra_env: dict | None = None
) -> Server:
    """A server on 127.0.0.1:<ephemeral>; returns once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("wb")
    process = subprocess.Popen(
        [
            gunicorn(),
            "config.wsgi:application",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    port = None
    while port is None:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server did not start; see {log}:\n{log.read_text()[-2000:]}")
        match = _LISTENING.search(log.read_bytes())
        port = match.group(1).decode() if match else None
        time.sleep(0.05)
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log=log)
    while True:
        try:
            urllib.request.urlopen(f"{server.url}/api/v1/openapi.json", timeout=5).read()
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(
                    f"the server does not answer:\n{log.read_text()[-3000:]}"
                ) from None
            time.sleep(0.1)


def request(
    method: str,
    url: str,
    body: dict | None = None,
    *,
    token: str | None = None,
    source: str | None = None,
    timeout: float = 30,
) -> tuple[int, dict, dict]:
    """(status, JSON body or {}, headers) of one JSON request; `source` picks the local
    loopback address to send from (127.0.0.2 …), standing for another client address."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname,
        parts.port,
        timeout=timeout,
        source_address=(source, 0) if source else None,
    )
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(
            method,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            body=None if body is None else json.dumps(body),
            headers=headers,
        )
        response = connection.getresponse()
        raw = response.read()
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {"raw": raw[:200].decode("utf-8", "replace")}
        return response.status, data, dict(response.getheaders())
    finally:
        connection.close()


def _env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}


def manage(database_url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=_env(database_url),
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )


def make_fixture(database_url: str, customers: int) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "faults" / "fixture.py"), str(customers)],
        cwd=ROOT,
        env=_env(database_url),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_database(database_url: str, ids: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "faults" / "check.py")],
        cwd=ROOT,
        env=_env(database_url),
        input=json.dumps(ids),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
