"""Bookings through appointment_create: 2 processes x 4 threads on free slots, named staff and
"any staff", then the cost of a refusal against a success.

    python bench/bench_bookings.py
    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_bookings.py

The shape is issue 14's without history (the future emptied so every planned start is free).
Each thread books its own share of the planned (staff, start) pairs; "any staff" threads ask
for starts only, each start as many times as there are staff.
"""

import contextlib
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time

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
HOURS = [9, 10, 11, 13, 14, 15, 16, 17]


def starts(days: range) -> list[dt.datetime]:
    return [
        dt.datetime.combine(TODAY + dt.timedelta(days=d), dt.time(h), tzinfo=ZONE)
        for d in days
        for h in HOURS
        if (TODAY + dt.timedelta(days=d)).weekday() < 6
    ]


def worker(mode: str, index: int) -> None:
    """One process: THREADS threads, each booking PER_THREAD times; prints latencies (ms)."""
    service = Service.objects.select_related("business").get(business__slug="bench")
    staff = list(StaffMember.objects.filter(business__slug="bench").order_by("id"))
    customer = User.objects.get(username="bench-owner")
    # Named: days 1-14; any staff: days 15-28, so the two modes never share a slot.
    named_plan = [(m, s) for s in starts(range(1, 15)) for m in staff]
    any_plan = [(None, s) for s in starts(range(15, 29)) for _ in staff]
    plan = named_plan if mode == "named" else any_plan
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def run(thread: int) -> None:
        slot = index * THREADS + thread
        mine = plan[slot :: PROCESSES * THREADS][:PER_THREAD]
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
        connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"latencies": latencies, "failures": failures[0]}))


def run_mode(mode: str) -> dict:
    began = time.perf_counter()
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "worker", mode, str(i)],
            stdout=subprocess.PIPE,
            env=os.environ,
        )
        for i in range(PROCESSES)
    ]
    latencies: list[float] = []
    failures = 0
    for child in children:
        out, _ = child.communicate()
        data = json.loads(out.decode().strip().splitlines()[-1])
        latencies += data["latencies"]
        failures += data["failures"]
    seconds = time.perf_counter() - began
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
        "n": len(latencies),
        "failures": failures,
    }


def refusal_vs_success() -> tuple[float, float]:
    service = Service.objects.select_related("business").get(business__slug="bench")
    member = StaffMember.objects.filter(business__slug="bench").order_by("id").first()
    customer = User.objects.get(username="bench-owner")
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
    return statistics.median(success), statistics.median(refusal)


def main() -> None:
    vendor = connection.vendor
    say(f"bookings on {vendor}: building the shape without history, future emptied")
    service = build(history_days=0)
    Appointment.objects.filter(business_id=service.business_id).delete()
    connection.close()
    total = PROCESSES * THREADS * PER_THREAD
    named = run_mode("named")
    say(
        f"named staff, {PROCESSES} processes x {THREADS} threads, {total} bookings: "
        f"{named['rate']:.0f}/s, p50 {named['p50']:.1f} ms, p99 {named['p99']:.1f} ms, "
        f"{named['failures']} refused"
    )
    anyone = run_mode("any")
    say(
        f"any staff ({STAFF} candidates): {anyone['rate']:.0f}/s, p50 {anyone['p50']:.1f} ms, "
        f"p99 {anyone['p99']:.1f} ms, {anyone['failures']} refused -> any/named rate "
        f"{anyone['rate'] / named['rate']:.2f} (target >= 0.5)"
    )
    success, refusal = refusal_vs_success()
    say(
        f"one booking {success:.1f} ms, one refusal (with alternatives) {refusal:.1f} ms -> "
        f"refusal/success {refusal / success:.2f} (target <= 2)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        worker(sys.argv[2], int(sys.argv[3]))
    else:
        main()
