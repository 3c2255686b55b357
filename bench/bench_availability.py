"""Availability on the issue-14 shape: Yuyue's selector against the hand-written floor.

    python bench/bench_availability.py                       # SQLite, temporary folder
    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_availability.py

Flat with history (availability and one booking from 10k to 3M stored): bench/bench_growth.py.

Both are timed in the same run, alternately, after a warm-up; the ratio is median/median.
"""

import datetime as dt
import os
import statistics
import time

# The computation is what is measured against the floor (and, in bench_growth, against the
# history kept): repeated requests must not be answered from the listing cache, which
# bench_http.py measures on its own.
os.environ["AVAILABILITY_CACHE_SECONDS"] = "0"

from django.db import connection
from django.test.utils import CaptureQueriesContext
from floor import floor_availability
from shape import (
    NOW,
    OVERRIDE_SHARE,
    STAFF,
    TODAY,
    WEEKLY,
    WINDOW_DAYS,
    WORKDAYS,
    build,
    say,
)

from yuyue.bookings.availability import availability
from yuyue.scheduling.models import DateOverride, StaffMember

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def measure(service) -> dict:
    date_from = TODAY + dt.timedelta(days=1)
    date_to = date_from + dt.timedelta(days=WINDOW_DAYS - 1)
    staff_ids = list(
        StaffMember.objects.filter(business_id=service.business_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    weekly = dict.fromkeys(WORKDAYS, WEEKLY)
    overrides = {
        (staff_id, day): [tuple(pair) for pair in intervals]
        for staff_id, day, intervals in DateOverride.objects.filter(
            staff_id__in=staff_ids, date__range=(date_from, date_to)
        ).values_list("staff_id", "date", "intervals")
    }

    def yuyue():
        return availability(service=service, date_from=date_from, date_to=date_to, now=NOW)

    def floor():
        return floor_availability(
            staff_ids=staff_ids,
            weekly=weekly,
            overrides=overrides,
            offset=dt.timedelta(hours=8),
            first_day=date_from,
            days=WINDOW_DAYS,
            now=NOW,
            duration_min=30,
            step_min=15,
            before_min=10,
            after_min=10,
            notice_min=120,
        )

    ours, theirs = yuyue().slots, floor()
    assert [(int(s.start.timestamp() * 1e6), len(s.staff_ids)) for s in ours] == theirs, (
        "Yuyue and the floor disagree"
    )
    with CaptureQueriesContext(connection) as queries:
        yuyue()
    times = {"yuyue": [], "floor": []}
    for _ in range(RUNS):
        for name, call in (("yuyue", yuyue), ("floor", floor)):
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    yuyue_ms, floor_ms = statistics.median(times["yuyue"]), statistics.median(times["floor"])
    return {
        "slots": len(ours),
        "queries": len(queries),
        "yuyue_ms": yuyue_ms,
        "floor_ms": floor_ms,
        "ratio": yuyue_ms / floor_ms,
    }


def main() -> None:
    say(f"availability on {connection.vendor}: building the shape ({STAFF} staff, a year)")
    service = build()
    stored = service.appointments.count()
    say(f"built: {stored} appointments, {OVERRIDE_SHARE:.0%} staff-days overridden")
    result = measure(service)
    say(
        f"availability {connection.vendor}, {STAFF} staff x {WINDOW_DAYS} days, {stored} stored: "
        f"Yuyue median {result['yuyue_ms']:.1f} ms ({result['queries']} queries), floor "
        f"{result['floor_ms']:.1f} ms, same {result['slots']} slots -> ratio "
        f"{result['ratio']:.2f}x the floor (target <= 2x)"
    )


if __name__ == "__main__":
    main()
