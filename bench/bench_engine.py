"""Benchmark of the availability engine on a realistic, deterministic calendar.

Scenario: 50 staff x 30 days, 8-10 working hours a day with a lunch break, a 30-minute service on
a 30-minute grid and about 8 holding appointments (of several services) per staff member per
day. Run with `python bench/bench_engine.py` from the project root.
"""

import datetime as dt
import random
import statistics
import sys
import time
import tracemalloc
import zoneinfo
from pathlib import Path

# Make `python bench/bench_engine.py` work from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yuyue.scheduling.engine import (
    ServiceRules,
    StaffCalendar,
    busy_span,
    find_slots,
)

SEED = 20260308
STAFF = 50
DAYS = 30
RUNS = 20
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC)  # 08:30 local on Monday 2026-03-02
FIRST_DAY = dt.date(2026, 3, 2)
RULES = ServiceRules(service_id=1, duration=dt.timedelta(minutes=30))
# Same calendars, but service 1 is a class of 3 with buffers: the peak-count path.
CLASS_RULES = ServiceRules(
    service_id=1,
    duration=dt.timedelta(minutes=30),
    buffer_before=dt.timedelta(minutes=5),
    buffer_after=dt.timedelta(minutes=10),
    capacity=3,
)


def build_calendars(rng: random.Random) -> list[StaffCalendar]:
    calendars = []
    for staff_id in range(1, STAFF + 1):
        opens = rng.choice((480, 510, 540))  # 08:00, 08:30, 09:00
        lunch = rng.choice((720, 750))  # 12:00 or 12:30, one hour
        closes = opens + 60 + rng.choice((480, 540, 600))  # 8-10 h of work plus lunch
        hours = [(opens, lunch), (lunch + 60, min(closes, 1440))]
        weekly = dict.fromkeys(range(7), hours)
        busy = []
        for offset in range(DAYS):
            day = FIRST_DAY + dt.timedelta(days=offset)
            # About 8 bookings a day on distinct 30-minute cells of the working hours, some an
            # hour long, all converted to UTC as the database would return them.
            cells = [m for s, e in hours for m in range(s, e - 30 + 1, 30)]
            cell_set = set(cells)
            taken: set[int] = set()
            placed = 0
            for minute in rng.sample(cells, len(cells)):
                if placed == 8:
                    break
                length = rng.choice((30, 30, 60))
                needed = range(minute, minute + length, 30)
                if any(m in taken or m not in cell_set for m in needed):
                    continue  # overlaps another booking, lunch or closing time
                placed += 1
                taken.update(needed)
                local = dt.datetime.combine(day, dt.time(), tzinfo=ZONE) + dt.timedelta(
                    minutes=minute
                )
                start = local.astimezone(dt.UTC)
                busy.append(
                    busy_span(start, start + dt.timedelta(minutes=length), rng.randint(1, 4))
                )
        rng.shuffle(busy)
        calendars.append(StaffCalendar(staff_id, ZONE, weekly, {}, busy))
    return calendars


def run(calendars: list[StaffCalendar], rules: ServiceRules = RULES) -> list:
    return find_slots(
        calendars=calendars,
        rules=rules,
        date_from=FIRST_DAY,
        date_to=FIRST_DAY + dt.timedelta(days=DAYS - 1),
        now=NOW,
        zone=ZONE,
    )


def main() -> None:
    calendars = build_calendars(random.Random(SEED))
    started = time.perf_counter()
    slots = run(calendars)  # first call: also fills the wall-clock conversion caches
    cold = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run(calendars)
        timings.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    run(calendars)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"find_slots {STAFF} staff x {DAYS} days: median {statistics.median(timings):.1f} ms "
        f"over {RUNS} runs (min {min(timings):.1f} ms, max {max(timings):.1f} ms; "
        f"slots={len(slots)}, staff-slots={sum(len(s.staff_ids) for s in slots)}, "
        f"busy={sum(len(c.busy) for c in calendars)}); "
        f"peak traced memory {peak / 1024:.0f} KiB"
    )
    print(f"first call (cold caches): {cold:.1f} ms")
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        classes = run(calendars, CLASS_RULES)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"find_slots capacity-3 class with buffers: median {statistics.median(timings):.1f} ms "
        f"over {RUNS} runs (slots={len(classes)})"
    )


if __name__ == "__main__":
    main()
