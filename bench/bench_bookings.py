"""Bookings through appointment_create: 2 processes x 4 threads on free slots, named staff and
"any staff" (a rush on one time, and different times), then a refusal against a success.

    python bench/bench_bookings.py
    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_bookings.py
    BENCH_BASELINE=/tmp/main python bench/bench_bookings.py    # against other code, same run
    BENCH_BOOKINGS_PER_THREAD=5 python bench/bench_bookings.py # a quick smoke run

The shape is issue 14's without history (the future emptied so every planned start is free).
Each thread books its own share of the planned (staff, start) pairs; "any staff" threads ask
for starts only, each start as many times as there are staff.

BENCH_BASELINE names another checkout (e.g. `git archive main | tar -x -C /tmp/main`) with
this bench/ folder copied over it: its code books in child processes of its own, alternately
with this checkout's, on the same database, and the ratios between the two are printed.
BENCH_ROUNDS repeats each pair (the medians over rounds are compared).
"""

import contextlib
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from django.db import connection
from shape import NOW, STAFF, TODAY, ZONE, build, say

from yuyue.accounts.models import User
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Service
from yuyue.scheduling.models import StaffMember

PROCESSES, THREADS = 2, 4
PER_THREAD = int(os.environ.get("BENCH_BOOKINGS_PER_THREAD", "40"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))
HOURS = [9, 10, 11, 13, 14, 15, 16, 17]
# Issue 14's figures for main's code before the work (8 threads, free slots).
ISSUE_RATE = {"postgresql": 57, "sqlite": 60}
P99_TARGET_MS = {"postgresql": 50, "sqlite": 100}


def starts(days: range) -> list[dt.datetime]:
    return [
        dt.datetime.combine(TODAY + dt.timedelta(days=d), dt.time(h), tzinfo=ZONE)
        for d in days
        for h in HOURS
        if (TODAY + dt.timedelta(days=d)).weekday() < 6
    ]


def _objects():
    service = Service.objects.select_related("business").get(business__slug="bench")
    staff = list(StaffMember.objects.filter(business__slug="bench").order_by("id"))
    customer = User.objects.get(username="bench-owner")
    return service, staff, customer


def worker(mode: str, index: int) -> None:
    """One process: THREADS threads, each booking PER_THREAD times; prints latencies (ms).

    The threads connect first, then wait for "go" on stdin, so the rate counts bookings only,
    not starting Python and Django.
    """
    service, staff, customer = _objects()
    held = _time_the_transactions()
    # Named: days 1-14; any staff: days 15-28, so the two modes never share a slot.
    # "any" is a rush: the eight threads ask for the same start at once, each start as many
    # times as there are staff. "spread" asks for the same starts in another order (days
    # 43-56), each pass over them once, so the threads mostly ask for different times.
    plans = {
        "named": [(m, s) for s in starts(range(1, 15)) for m in staff],
        "any": [(None, s) for s in starts(range(15, 29)) for _ in staff],
        "spread": [(None, s) for _ in staff for s in starts(range(43, 57))],
    }
    plan = plans[mode]
    latencies: list[float] = []
    ended: list[float] = []
    failures = [0]
    lock = threading.Lock()
    ready = threading.Barrier(THREADS + 1)

    backends: list[int] = []

    def run(thread: int) -> None:
        slot = index * THREADS + thread
        mine = plan[slot :: PROCESSES * THREADS][:PER_THREAD]
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.append(cursor.fetchone()[0])
        ready.wait()
        for member, start in mine:
            began = time.perf_counter()
            try:
                appointment_create(
                    service=service, customer=customer, start=start, staff=member, now=NOW
                )
            except SlotUnavailable:
                with lock:
                    failures[0] += 1
            took = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(took)
        with lock:
            ended.append(time.time())
        connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    sys.stdin.readline()
    began = time.time()
    cpu = _cpu_seconds(backends)
    ready.wait()
    for thread in threads:
        thread.join()
    (client_after, server_after), (client_before, server_before) = _cpu_seconds(backends), cpu
    client, server = client_after - client_before, server_after - server_before
    result = {
        "latencies": latencies,
        "failures": failures[0],
        "began": began,
        "ended": max(ended),
        "client_cpu": client,
        "server_cpu": server,
        "held": held,
    }
    print(json.dumps(result))


def _time_the_transactions() -> list[float]:
    """Time each booking's write transaction, from the moment it has its turn (on SQLite the
    file lock, then BEGIN IMMEDIATE) to its commit: how long the others may have to wait."""
    from yuyue.bookings import services

    held: list[float] = []
    lock = threading.Lock()
    original = services.writer_turn

    @contextlib.contextmanager
    def timed_turn():
        with original():
            began = time.perf_counter()
            try:
                yield
            finally:
                took = (time.perf_counter() - began) * 1000
                with lock:
                    held.append(took)

    services.writer_turn = timed_turn
    return held


def _cpu_seconds(backends: list[int]) -> tuple[float, float]:
    """CPU seconds used so far by this process (all threads) and by these PostgreSQL
    backends (read from /proc: the server runs on this machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    server = 0.0
    for pid in backends:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            server += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return usage.ru_utime + usage.ru_stime, server


def refusal_worker() -> None:
    """One thread: a booking, then the same start again (refused), 20 times; medians (ms).

    The refused start is taken on a day with free times left, as most refusals are.
    """
    service, staff, customer = _objects()
    member = staff[0]
    success, refusal = [], []
    for start in starts(range(29, 33))[:20]:
        began = time.perf_counter()
        appointment_create(service=service, customer=customer, start=start, staff=member, now=NOW)
        success.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with contextlib.suppress(SlotUnavailable):
            appointment_create(
                service=service, customer=customer, start=start, staff=member, now=NOW
            )
        refusal.append((time.perf_counter() - began) * 1000)
    medians = {"success": statistics.median(success), "refusal": statistics.median(refusal)}
    print(json.dumps(medians))


def _child(code: Path, *args: str) -> tuple[subprocess.Popen, IO[bytes]]:
    # The children log as the product does (an audit line per booking, on stderr), into a
    # file that is shown only if they fail; _last_line closes it.
    log = tempfile.TemporaryFile()  # noqa: SIM115
    child = subprocess.Popen(
        [sys.executable, str(code / "bench" / "bench_bookings.py"), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        env=os.environ,
    )
    return child, log


def _last_line(started: tuple[subprocess.Popen, IO[bytes]]) -> dict:
    child, log = started
    out, _ = child.communicate()
    with log:
        if child.returncode:
            log.seek(0)
            sys.stderr.write(log.read().decode()[-5000:])
            raise SystemExit(f"a bench child failed with exit code {child.returncode}")
    return json.loads(out.decode().strip().splitlines()[-1])


def _p99(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, int(len(values) * 0.99) - 1)] if values else 0.0


def run_mode(code: Path, mode: str) -> dict:
    children = [_child(code, "worker", mode, str(i)) for i in range(PROCESSES)]
    # Every process set up and connected before any books.
    for child, _log in children:
        if child.stdout.readline().strip() != b"ready":
            _last_line((child, _log))
    for child, _log in children:
        child.stdin.write(b"go\n")
        child.stdin.flush()
    latencies: list[float] = []
    failures = 0
    began, ended = [], []
    client = server = 0.0
    held: list[float] = []
    for child in children:
        data = _last_line(child)
        latencies += data["latencies"]
        failures += data["failures"]
        began.append(data["began"])
        ended.append(data["ended"])
        client += data["client_cpu"]
        server += data["server_cpu"]
        held += data["held"]
    seconds = max(ended) - min(began)
    latencies.sort()
    n = len(latencies)
    return {
        "rate": n / seconds,
        "p50": statistics.median(latencies),
        "p99": _p99(latencies),
        "n": n,
        "failures": failures,
        # CPU per booking moves far less with the machine's load than the rate does.
        "client_ms": client * 1000 / n,
        "server_ms": server * 1000 / n,
        "held_p50": statistics.median(held) if held else 0.0,
        "held_p99": _p99(held),
    }


def run_code(code: Path, label: str) -> dict:
    """Every measurement for one checkout's code, on a future emptied first."""
    Appointment.objects.filter(business__slug="bench").delete()
    connection.close()
    named = run_mode(code, "named")
    say(
        f"  {label}: named staff {named['rate']:.0f}/s, p50 {named['p50']:.1f} ms, "
        f"p99 {named['p99']:.1f} ms, {named['failures']} refused; CPU per booking "
        f"{named['client_ms']:.1f} ms in Python + {named['server_ms']:.1f} ms in PostgreSQL; "
        f"write transaction p50 {named['held_p50']:.1f} ms, p99 {named['held_p99']:.1f} ms"
    )
    anyone = run_mode(code, "any")
    say(
        f"  {label}: any staff ({STAFF} candidates) {anyone['rate']:.0f}/s, "
        f"p50 {anyone['p50']:.1f} ms, p99 {anyone['p99']:.1f} ms, {anyone['failures']} refused; "
        f"CPU per booking {anyone['client_ms']:.1f} + {anyone['server_ms']:.1f} ms; write "
        f"transaction p50 {anyone['held_p50']:.1f} ms, p99 {anyone['held_p99']:.1f} ms"
    )
    one = _last_line(_child(code, "refusal"))
    say(f"  {label}: one booking {one['success']:.1f} ms, one refusal {one['refusal']:.1f} ms")
    spread = run_mode(code, "spread")
    say(
        f"  {label}: any staff, different times {spread['rate']:.0f}/s, "
        f"p50 {spread['p50']:.1f} ms, p99 {spread['p99']:.1f} ms; CPU per booking "
        f"{spread['client_ms']:.1f} + {spread['server_ms']:.1f} ms"
    )
    return {"named": named, "any": anyone, "spread": spread, **one}


def _median(results: list[dict], *path: str) -> float:
    def get(result: dict) -> float:
        for key in path:
            result = result[key]
        return result

    return statistics.median(get(result) for result in results)


def _cpu(mode: dict) -> float:
    return mode["client_ms"] + mode["server_ms"]


def report(results: list[dict], label: str, vendor: str) -> dict:
    keys = ("rate", "p50", "p99", "client_ms", "server_ms")
    named = {k: _median(results, "named", k) for k in keys}
    anyone = {k: _median(results, "any", k) for k in keys}
    spread = {k: _median(results, "spread", k) for k in keys}
    success, refusal = _median(results, "success"), _median(results, "refusal")
    say(
        f"{label} on {vendor}, {PROCESSES} processes x {THREADS} threads, "
        f"{PROCESSES * THREADS * PER_THREAD} bookings per mode, median of {len(results)} round(s):"
    )
    say(
        f"  named {named['rate']:.0f}/s -> {named['rate'] / ISSUE_RATE[vendor]:.2f}x issue 14's "
        f"{ISSUE_RATE[vendor]}/s (target >= 5x); p50 {named['p50']:.1f} ms, p99 "
        f"{named['p99']:.1f} ms (target <= {P99_TARGET_MS[vendor]} ms)"
    )
    cpu = named["client_ms"] + named["server_ms"]
    say(
        f"  named CPU per booking {cpu:.1f} ms (Python {named['client_ms']:.1f}, PostgreSQL "
        f"{named['server_ms']:.1f}): at most {2000 / cpu:.0f}/s on 2 idle cores, "
        f"{2000 / cpu / ISSUE_RATE[vendor]:.2f}x issue 14's rate"
    )
    say(
        f"  any staff {anyone['rate']:.0f}/s, p99 {anyone['p99']:.1f} ms -> any/named rate "
        f"{anyone['rate'] / named['rate']:.2f} (target >= 0.5) in a rush on one time; "
        f"{spread['rate']:.0f}/s, p99 {spread['p99']:.1f} ms, any/named "
        f"{spread['rate'] / named['rate']:.2f} for different times"
    )
    say(
        f"  one booking {success:.1f} ms, one refusal (with alternatives) {refusal:.1f} ms -> "
        f"refusal/success {refusal / success:.2f} (target <= 2)"
    )
    return {"named": named, "any": anyone, "success": success, "refusal": refusal}


def main() -> None:
    vendor = connection.vendor
    here = Path(__file__).resolve().parent.parent
    baseline = os.environ.get("BENCH_BASELINE")
    codes = [(here, "this checkout")]
    if baseline:
        base = Path(baseline).resolve()
        if not (base / "bench" / "bench_bookings.py").exists():
            raise SystemExit(f"copy this bench/ folder into {base} first")
        codes.insert(0, (base, f"baseline {base}"))
    say(f"bookings on {vendor}: building the shape without history, future emptied")
    say(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    build(history_days=0)
    results: dict[str, list[dict]] = {label: [] for _, label in codes}
    for round_ in range(ROUNDS):
        for code, label in codes:
            say(f"round {round_ + 1}/{ROUNDS}, {label}")
            results[label].append(run_code(code, label))
    say(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    summaries = {label: report(results[label], label, vendor) for _, label in codes}
    if baseline:
        ours, theirs = summaries["this checkout"], summaries[codes[0][1]]
        say(
            "this checkout / baseline, same run: named rate "
            f"{ours['named']['rate'] / theirs['named']['rate']:.2f}x, any-staff rate "
            f"{ours['any']['rate'] / theirs['any']['rate']:.2f}x, named p99 "
            f"{ours['named']['p99'] / theirs['named']['p99']:.2f}x, named CPU per booking "
            f"{_cpu(ours['named']) / _cpu(theirs['named']):.2f}x, any-staff CPU per booking "
            f"{_cpu(ours['any']) / _cpu(theirs['any']):.2f}x, one booking "
            f"{ours['success'] / theirs['success']:.2f}x the time, one refusal "
            f"{ours['refusal'] / theirs['refusal']:.2f}x the time"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        worker(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 2 and sys.argv[1] == "refusal":
        refusal_worker()
    else:
        main()
