"""Availability through HTTP: gunicorn with 2 workers, an open-loop load of 20 requests/s.

    python bench/bench_http.py                                     # SQLite, temporary folder
    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_http.py
    BENCH_HTTP_SECONDS=5 python bench/bench_http.py                # a smoke run

The issue-14 shape is built around today (the server reads the real clock), then for each of
the two requests -- (a) 30 days, any staff; (b) one week from today, any staff -- a fresh
`yuyue serve` (2 workers, a loopback port) takes BENCH_HTTP_RATE requests/s for
BENCH_HTTP_SECONDS, first with the availability cache off (AVAILABILITY_CACHE_SECONDS=0), then
on. Meanwhile this process books a free time (any staff, through appointment_create) every
BENCH_HTTP_BOOK_EVERY seconds: each booking bumps the business's version, so the next
requests miss the cache and the figures mix hits with forced misses (0: no bookings).
BENCH_HTTP_CACHE=on runs the cached half only.

Open loop: request i is due at start + i / rate whatever happened before, and its latency is
counted from then, so a server that falls behind shows its queue in the figures instead of
slowing the client down. A request not answered within BENCH_HTTP_DRAIN seconds after the last
one was due counts as unanswered (and as slower than any percentile it falls in). The
availability route has no rate limit (only logins, registrations and bookings do); the
bookings here go through the service layer, not HTTP, so no throttle applies.
"""

import asyncio
import datetime as dt
import logging
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection, connections
from shape import STAFF, ZONE, build, say

from yuyue.accounts.models import User
from yuyue.bookings.availability import availability
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.services import appointment_create
from yuyue.catalog.versions import availability_changed

SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "30"))
RATE = float(os.environ.get("BENCH_HTTP_RATE", "20"))
BOOK_EVERY = float(os.environ.get("BENCH_HTTP_BOOK_EVERY", "5"))
DRAIN = float(os.environ.get("BENCH_HTTP_DRAIN", "20"))
# Which runs: the cache off, on, or both (off first).
MODES = [mode.strip() for mode in os.environ.get("BENCH_HTTP_CACHE", "off,on").split(",")]
WARM_UP = 2  # requests per worker before measuring: imports, connections, first queries
TARGET_MS = 200
ROOT = Path(__file__).resolve().parent.parent
YUYUE = Path(sys.executable).parent / "yuyue"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`yuyue serve` on a loopback port, with the cache on or off; its log goes to a file."""

    def __init__(self, *, cached: bool, log: Path) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "YUYUE_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "AVAILABILITY_CACHE_SECONDS": "300" if cached else "0",
            "LOG_LEVEL": "WARNING",
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(YUYUE), "serve"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30):
                    return
            except urllib.error.HTTPError as error:
                raise SystemExit(f"{path} answered {error.code}; see {self.log.name}") from None
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit(f"the server did not answer in 60 s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


async def _get(port: int, path: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the whole body, until the server closes
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _open_loop(port: int, path: str) -> tuple[list[float | None], float, int]:
    """Latencies (ms, None if unanswered) of RATE x SECONDS requests on a fixed schedule."""
    total = max(1, round(RATE * SECONDS))
    latencies: list[float | None] = [None] * total
    errors = 0
    last_done = 0.0
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1

    async def one(i: int) -> None:
        nonlocal errors, last_done
        due = start + i / RATE
        await asyncio.sleep(max(0.0, due - loop.time()))
        try:
            status = await _get(port, path)
        except OSError:
            status = 0
        done = loop.time()
        if status != 200:
            errors += 1
            return
        latencies[i] = (done - due) * 1000
        last_done = max(last_done, done)

    tasks = [asyncio.create_task(one(i)) for i in range(total)]
    _, pending = await asyncio.wait(tasks, timeout=0.1 + SECONDS + DRAIN)
    for task in pending:
        task.cancel()
    answered = sum(value is not None for value in latencies)
    achieved = answered / max(last_done - start, 1 / RATE) if answered else 0.0
    return latencies, achieved, errors


def percentile(latencies: list[float | None], q: float) -> float:
    """The q-quantile (nearest rank), unanswered requests counting as infinitely slow."""
    ordered = sorted(math.inf if value is None else value for value in latencies)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class Booker(threading.Thread):
    """Books a free time every BOOK_EVERY seconds, as a customer, any staff member."""

    def __init__(self, *, service, starts: list[dt.datetime]) -> None:
        super().__init__(daemon=True)
        self.service, self.starts = service, starts
        self.customers = list(User.objects.filter(username__startswith="bench-customer-"))
        self.stopping = threading.Event()
        self.booked = 0

    def run(self) -> None:
        rng = random.Random(14)
        try:
            while not self.stopping.wait(BOOK_EVERY):
                while self.starts:
                    start = self.starts.pop(rng.randrange(len(self.starts)))
                    try:
                        appointment_create(
                            service=self.service, customer=rng.choice(self.customers), start=start
                        )
                    except SlotUnavailable:
                        continue
                    self.booked += 1
                    break
        finally:
            connections.close_all()

    def stop(self) -> int:
        self.stopping.set()
        self.join()
        return self.booked


def fmt(ms: float) -> str:
    return f"> {SECONDS + DRAIN:.0f} s (unanswered)" if math.isinf(ms) else f"{ms:.0f} ms"


def phase(*, service, label: str, path: str, cached: bool, starts: list[dt.datetime]) -> dict:
    log = Path(os.environ.get("YUYUE_BENCH_DIR") or ROOT / "var") / "bench-http-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = Server(cached=cached, log=log)
    try:
        server.wait(path)
        for _ in range(WARM_UP * 2 - 1):
            server.wait(path)
        booker = Booker(service=service, starts=starts) if BOOK_EVERY > 0 else None
        before = loadavg()
        if booker is not None:
            booker.start()
        latencies, achieved, errors = asyncio.run(_open_loop(server.port, path))
        booked = booker.stop() if booker is not None else 0
    finally:
        server.stop()
    result = {
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "achieved": achieved,
        "unanswered": sum(value is None for value in latencies) - errors,
        "errors": errors,
    }
    met = "met" if result["p99"] <= TARGET_MS else "NOT met"
    say(
        f"  {label}, cache {'on ' if cached else 'off'}: {len(latencies)} requests due at "
        f"{RATE:g}/s, achieved {achieved:.1f}/s; p50 {fmt(result['p50'])}, p95 "
        f"{fmt(result['p95'])}, p99 {fmt(result['p99'])} (target <= {TARGET_MS} ms: {met}); "
        f"{result['unanswered']} unanswered, {errors} errors; {booked} bookings meanwhile; "
        f"load {before} -> {loadavg()}"
    )
    return result


def main() -> None:
    # Each booking logs an audit line; the figures are what this prints.
    logging.getLogger().setLevel(logging.WARNING)
    today = dt.datetime.now(ZONE).date()
    say(f"availability over HTTP on {connection.vendor}: building the shape ({STAFF} staff)")
    service = build(today=today)
    # Whatever an earlier run left in this database's cache belongs to another build.
    availability_changed(business_id=service.business_id)
    say(f"built: {service.appointments.count()} appointments; load {loadavg()}")
    week = (today, today + dt.timedelta(days=6))
    month = (today + dt.timedelta(days=1), today + dt.timedelta(days=30))
    # Bookings go into the first week, so they change both listings.
    free = availability(service=service, date_from=week[0], date_to=week[1]).slots
    requests = {
        "(a) 30 days, any staff": month,
        "(b) one week, any staff": week,
    }
    for label, (date_from, date_to) in requests.items():
        path = (
            f"/api/v1/businesses/bench/availability?service_id={service.id}"
            f"&date_from={date_from}&date_to={date_to}"
        )
        for cached in [mode == "on" for mode in MODES]:
            phase(
                service=service,
                label=label,
                path=path,
                cached=cached,
                starts=[slot.start for slot in free],
            )


if __name__ == "__main__":
    main()
