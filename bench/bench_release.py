"""The release rush (放号): 2,000 customers read a day at the instant it opens and book its 200
times, over loopback HTTP through gunicorn (2 workers), PostgreSQL and Redis (issue 23, part 4).

    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_release.py
    BENCH_RELEASE_CUSTOMERS=300 DATABASE_URL=... python bench/bench_release.py   # smoke run

PostgreSQL only (the product's production database; the bench wipes its own business,
"release", and nothing else). Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/12) is
the cache of both the server and this process (listings, versions, throttle counters), as in a
deployment with REDIS_URL.

The business: 10 staff, every day 09:00-19:00, one 30-minute service on a 30-minute grid, no
buffers, no notice: 20 starts x 10 staff = 200 times on the day. The day opens by the
business's release time (放号: `release_days_before`, `release_time`; docs/booking.md, booking
rules): once the server is up, `schedule_release` sets them so the day opens on the next whole
minute of the (real) clock at least SETTLE seconds away -- the instant -- and before it the
listing is empty and says when the day opens (`opens_at`, checked). `open_the_day` only waits
for that minute: the server opens the day by itself, nothing is written at the instant. At the
instant, each of BENCH_RELEASE_CUSTOMERS (2,000) customers -- each its own account and API
token -- within BENCH_RELEASE_SPREAD seconds (0.5: people pressing refresh on the minute) reads
the day (`GET .../availability`, one day, any staff), picks one of the free times at random
(half of them with the staff member named, half "any staff") and books it
(`POST .../appointments`). A refusal (409) carries up to three nearest free times: the customer
tries one of them on the same day, else reads the day again; an empty day means it is full and
the customer leaves. At most BENCH_RELEASE_TRIES (20) bookings per customer.

Each request is one connection (`Connection: close`), its latency counted from the connect to
the last byte. The customers are coroutines of one asyncio loop in this process: the load
generator shares the 2 cores with the 2 workers, PostgreSQL and Redis, and its own CPU is
printed next to the wall time so the figures can be read with that in mind.

Afterwards, in the database: the holding appointments of the day (must be 200), overlaps of one
staff member's holding appointments (must be 0; the exclusion constraint guards it too), and
when the first and the last of them were committed. Figures: docs/performance.md, "The release
rush".
"""

import asyncio
import datetime as dt
import json
import logging
import math
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zoneinfo
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("bench_release.py measures PostgreSQL: set DATABASE_URL=postgres://…")
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from yuyue.accounts.models import ApiToken, User  # noqa: E402
from yuyue.accounts.services import token_issue  # noqa: E402
from yuyue.bookings.models import HOLDING_STATUSES, Appointment  # noqa: E402
from yuyue.catalog.models import Business, Service  # noqa: E402
from yuyue.catalog.services import business_create, business_update, service_create  # noqa: E402
from yuyue.catalog.versions import availability_changed  # noqa: E402
from yuyue.customers.models import Customer  # noqa: E402
from yuyue.scheduling.models import StaffMember  # noqa: E402
from yuyue.scheduling.services import staff_member_create  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_RELEASE_CUSTOMERS", "2000"))
SPREAD = float(os.environ.get("BENCH_RELEASE_SPREAD", "0.5"))
TRIES = int(os.environ.get("BENCH_RELEASE_TRIES", "20"))
STAFF = 10
HOURS = [["09:00", "19:00"]]
TIMES = STAFF * 20  # the day's times: 20 starts on a 30-minute grid, each staff member
SLUG = "release"
YUYUE = Path(sys.executable).parent / "yuyue"
TIMEOUT = 600  # seconds a request may wait, queue included, before it counts as unanswered
HOLDING = [str(status) for status in HOLDING_STATUSES]
CORES = os.cpu_count() or 1
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
SETTLE = 8  # seconds at least between setting the release minute and the minute itself


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine_busy() -> float:
    """CPU-seconds the whole machine has spent busy (every process, every core) so far."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------------------------
# The business and its customers
# --------------------------------------------------------------------------------------------


def wipe() -> None:
    """The release business and everything of it, as bench/shape.py wipes its own."""
    business = Business.objects.filter(slug=SLUG).first()
    if business is None:
        return
    appointments = "SELECT id FROM bookings_appointment WHERE business_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM notifications_notification WHERE business_id = %s", [business.id]
        )
        cursor.execute(
            f"DELETE FROM bookings_appointmentevent WHERE appointment_id IN ({appointments})",
            [business.id],
        )
        cursor.execute("DELETE FROM bookings_appointment WHERE business_id = %s", [business.id])
    # Bookings made each customer a record of the business, which protects the business.
    Customer.objects.filter(business=business).delete()
    StaffMember.objects.filter(business=business).delete()
    business.delete()


def build(day: dt.date) -> tuple[Service, User, list[StaffMember]]:
    """The business through its services, the day closed for everyone until it opens: its
    times open on the day itself at 23:59 until `schedule_release` sets the real minute."""
    call_command("migrate", verbosity=0)
    wipe()
    owner, _ = User.objects.get_or_create(username="release-owner")
    business = business_create(owner=owner, slug=SLUG, name="Release rush")
    business_update(
        business=business, actor=owner, release_days_before=0, release_time=dt.time(23, 59)
    )
    service = service_create(
        business=business,
        actor=owner,
        name="Cut",
        duration_minutes=30,
        price=Decimal("88.00"),
        slot_interval_minutes=30,
        min_notice_minutes=0,
        max_days_ahead=60,
    )
    every_day = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), HOURS)
    staff = [
        staff_member_create(
            business=business, actor=owner, name=f"R{i:02d}", services=[service], hours=every_day
        )
        for i in range(STAFF)
    ]
    return Service.objects.select_related("business").get(pk=service.pk), owner, staff


def customers() -> list[str]:
    """CUSTOMERS accounts (kept between runs) and a fresh API token each."""
    names = [f"release-customer-{i}" for i in range(CUSTOMERS)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(User(username=name) for name in names if name not in have)
    users = list(User.objects.filter(username__in=names).order_by("id"))
    ApiToken.objects.filter(user__in=users).delete()
    return [token_issue(user=user).key for user in users]


def schedule_release(*, service: Service, owner: User, day: dt.date) -> dt.datetime:
    """Set the business's release time so `day` opens on the next whole minute at least SETTLE
    seconds from now (D = days from that minute's local date to `day`, HH:MM = its minute), and
    return that minute. The update bumps the business's version, so every listing cached
    before it is stale well before the instant."""
    soon = dt.datetime.now(ZONE) + dt.timedelta(seconds=SETTLE)
    instant = soon.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    business_update(
        business=service.business,
        actor=owner,
        release_days_before=(day - instant.date()).days,
        release_time=instant.time(),
    )
    return instant


def open_the_day(instant: dt.datetime) -> None:
    """Wait until the release minute has begun; the server opens the day by itself (its
    listings ask the clock, see the availability engine's release time), nothing is written."""
    while (left := (instant - dt.datetime.now(dt.UTC)).total_seconds()) > 0:
        time.sleep(min(left, 0.5) if left > 0.01 else 0.001)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class Server:
    """`yuyue serve`, 2 workers, on a loopback port, with Redis; its log goes to a file."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "YUYUE_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(YUYUE), "serve", "--backlog", "4096"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
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

    def cpu_seconds(self) -> float:
        """CPU of the master and its workers so far (user + system)."""
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# --------------------------------------------------------------------------------------------
# The customers
# --------------------------------------------------------------------------------------------


class Rush:
    def __init__(self, *, port: int, service: Service, day: dt.date, tokens: list[str]) -> None:
        self.port = port
        self.service = service
        self.day = day
        self.tokens = tokens
        self.reads: list[float] = []  # ms
        self.bookings: list[float] = []  # ms, every attempt
        self.booked_ms: list[float] = []  # ms, the 201s only
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.booked_at: list[float] = []  # seconds after the instant, per 201
        self.finished_at: list[float] = []  # when each customer was done
        self.outcomes: Counter[str] = Counter()
        self.read_path = (
            f"/api/v1/businesses/{SLUG}/availability?service_id={service.id}"
            f"&date_from={day}&date_to={day}"
        )
        self.book_path = f"/api/v1/businesses/{SLUG}/appointments"

    async def request(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes, float]:
        """(status, body, ms); status 0 if the connection failed or timed out."""
        started = time.perf_counter()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n"
        )
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.port), TIMEOUT
            )
            try:
                writer.write(head.encode() + b"\r\n" + body)
                await writer.drain()
                raw = await asyncio.wait_for(reader.read(), TIMEOUT)
            finally:
                writer.close()
        except (OSError, TimeoutError):
            return 0, b"", (time.perf_counter() - started) * 1000
        elapsed = (time.perf_counter() - started) * 1000
        header, _, payload = raw.partition(b"\r\n\r\n")
        try:
            status = int(header.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = 0
        return status, payload, elapsed

    async def read_day(self, token: str) -> list[dict] | None:
        status, payload, ms = await self.request("GET", self.read_path, token)
        self.statuses[("read", status)] += 1
        if status != 200:
            return None
        self.reads.append(ms)
        return json.loads(payload)["slots"]

    async def book(self, token: str, start: str, staff_id: int | None) -> tuple[int, list[dict]]:
        wanted = {"service_id": self.service.id, "start": start}
        if staff_id is not None:
            wanted["staff_id"] = staff_id
        status, payload, ms = await self.request(
            "POST", self.book_path, token, json.dumps(wanted).encode()
        )
        self.statuses[("book", status)] += 1
        self.bookings.append(ms)
        alternatives: list[dict] = []
        if status == 201:
            self.booked_ms.append(ms)
            self.booked_at.append(time.perf_counter() - self.instant)
        elif status == 409:
            details = json.loads(payload)["error"].get("details") or {}
            alternatives = [
                slot
                for slot in details.get("alternatives", ())
                if slot["start"].startswith(str(self.day))
            ]
        return status, alternatives

    async def customer(self, index: int, token: str) -> None:
        rng = random.Random(index)
        named = index % 2 == 0  # half name the staff member, half take anyone
        await asyncio.sleep(max(0.0, self.instant + rng.random() * SPREAD - time.perf_counter()))
        slots = await self.read_day(token)
        tries = 0
        try:
            while tries < TRIES:
                if slots is None:
                    self.outcomes["a read failed"] += 1
                    return
                if not slots:
                    self.outcomes["left: the day is full"] += 1
                    return
                slot = rng.choice(slots)
                staff_id = rng.choice(slot["staff_ids"]) if named else None
                tries += 1
                status, alternatives = await self.book(token, slot["start"], staff_id)
                if status == 201:
                    self.outcomes["booked"] += 1
                    return
                if status != 409:
                    self.outcomes[f"left after a {status}"] += 1
                    return
                # The refusal's alternatives on the day, else the day read again.
                slots = alternatives or await self.read_day(token)
            self.outcomes["gave up after the most tries"] += 1
        finally:
            self.finished_at.append(time.perf_counter() - self.instant)

    async def run(self, instant: float) -> None:
        self.instant = instant
        await asyncio.gather(
            *(self.customer(index, token) for index, token in enumerate(self.tokens))
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def in_the_database(service: Service, day: dt.date, instant: dt.datetime) -> dict:
    """What was booked, checked where it is kept."""
    midnight = dt.datetime.combine(day, dt.time(), ZONE)
    holding = Appointment.objects.filter(
        service=service,
        start__gte=midnight,
        start__lt=midnight + dt.timedelta(days=1),
        status__in=HOLDING_STATUSES,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM bookings_appointment a JOIN bookings_appointment b
              ON a.staff_id = b.staff_id AND a.id < b.id
             AND a.occupied_start < b.occupied_end AND b.occupied_start < a.occupied_end
             WHERE a.business_id = %s AND b.business_id = %s
               AND a.status = ANY(%s) AND b.status = ANY(%s)
            """,
            [service.business_id, service.business_id, HOLDING, HOLDING],
        )
        overlaps = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM (
              SELECT customer_id FROM bookings_appointment
               WHERE business_id = %s AND status = ANY(%s)
               GROUP BY customer_id HAVING count(*) > 1) AS twice
            """,
            [service.business_id, HOLDING],
        )
        twice = cursor.fetchone()[0]
    created = sorted(holding.values_list("created_at", flat=True))
    return {
        "holding": holding.count(),
        "overlaps": overlaps,
        "customers with two": twice,
        "first": (created[0] - instant).total_seconds() if created else math.nan,
        "last": (created[-1] - instant).total_seconds() if created else math.nan,
    }


def main() -> None:
    logging.getLogger().setLevel(logging.WARNING)
    day = dt.datetime.now(ZONE).date() + dt.timedelta(days=7)
    say(
        f"release rush on {connection.vendor} and Redis: building (day {day}, "
        f"{CUSTOMERS} customers)"
    )
    service, owner, _staff = build(day)
    tokens = customers()
    availability_changed(business_id=service.business_id)  # whatever Redis kept is stale
    say(f"built; load {loadavg()}")
    log = Path(os.environ.get("YUYUE_BENCH_DIR") or ROOT / "var") / "bench-release-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = Server(log)
    try:
        rush = Rush(port=server.port, service=service, day=day, tokens=tokens)
        server.wait(rush.read_path)
        for _ in range(5):  # both workers: imports, connections, first queries
            server.wait(rush.read_path)
        at = schedule_release(service=service, owner=owner, day=day)
        closed = json.loads(
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}{rush.read_path}").read()
        )
        assert closed["slots"] == [], "the day is open before the instant"
        opens_at = dt.datetime.fromisoformat(closed["opens_at"])
        assert opens_at == at, f"the listing says it opens at {opens_at}, not {at}"
        say(f"the listing before it: no times, opens_at {closed['opens_at']}; load {loadavg()}")
        open_the_day(at)
        instant = time.perf_counter()
        late_ms = (dt.datetime.now(dt.UTC) - at).total_seconds() * 1000
        before = loadavg()
        server_cpu = server.cpu_seconds()
        client_cpu = time.process_time()
        machine = machine_busy()
        asyncio.run(rush.run(instant))
        wall = time.perf_counter() - instant
        client_cpu = time.process_time() - client_cpu
        server_cpu = server.cpu_seconds() - server_cpu
        machine = machine_busy() - machine
        after = loadavg()
    finally:
        server.stop()
    checked = in_the_database(service, day, at)
    reads, books = rush.reads, rush.bookings
    fivexx = sum(n for (_, status), n in rush.statuses.items() if status >= 500)
    unanswered = sum(n for (_, status), n in rush.statuses.items() if status == 0)
    booked = rush.outcomes["booked"]
    full = max(rush.booked_at) if rush.booked_at else math.nan
    ok = (
        booked == checked["holding"] == TIMES
        and checked["overlaps"] == 0
        and fivexx == unanswered == 0
    )
    say(
        f"{CUSTOMERS} customers at the release minute {at.astimezone(ZONE):%H:%M} (spread "
        f"{SPREAD:g} s, the rush started {late_ms:.0f} ms into the minute); load {before} -> "
        f"{after}"
    )
    print(
        f"  bookings: {booked} made (HTTP 201), {checked['holding']} in the database, "
        f"{checked['overlaps']} overlaps, {checked['customers with two']} customers with two; "
        f"5xx: {fivexx}; unanswered: {unanswered}\n"
        f"  statuses: {dict(sorted((f'{k} {s}', n) for (k, s), n in rush.statuses.items()))}\n"
        f"  customers: {dict(rush.outcomes)}\n"
        f"  reads:    {len(reads)}, p50 {percentile(reads, 0.5):.0f} ms, p99 "
        f"{percentile(reads, 0.99):.0f} ms, max {max(reads, default=math.nan):.0f} ms\n"
        f"  bookings: {len(books)} tried, p50 {percentile(books, 0.5):.0f} ms, p99 "
        f"{percentile(books, 0.99):.0f} ms; the 201s: p50 {percentile(rush.booked_ms, 0.5):.0f} "
        f"ms, p99 {percentile(rush.booked_ms, 0.99):.0f} ms\n"
        f"  full: the 200th booking answered {full:.2f} s after the instant (committed "
        f"{checked['first']:.2f} s to {checked['last']:.2f} s after it); the last customer "
        f"done at {max(rush.finished_at):.2f} s\n"
        f"  CPU over the rush ({wall:.1f} s wall, {CORES} cores = {CORES * wall:.1f} CPU-s): "
        f"the load generator {client_cpu:.1f} s, gunicorn {server_cpu:.1f} s, the whole machine "
        f"{machine:.1f} s (PostgreSQL, Redis and whatever else runs: the rest)"
    )
    say(
        f"release rush: {'met' if ok else 'NOT met'} "
        f"({TIMES} bookings, 0 overlaps, 0 5xx, 0 unanswered)"
    )


if __name__ == "__main__":
    main()
