"""One booking through appointment_create, profiled: its queries, and where the time goes.

    python bench/profile_booking.py
    DATABASE_URL=postgres://.../yuyue_bench python bench/profile_booking.py
    BENCH_PROFILE=1 python bench/profile_booking.py    # also print cProfile's top functions
    BENCH_PROFILE=1 BENCH_SORT=tottime python bench/profile_booking.py

On issue 14's shape without history: a named booking, an "any staff" booking and a refusal,
each after a warm-up, with the SQL each one sends.
"""

import contextlib
import cProfile
import datetime as dt
import io
import logging
import os
import pstats
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from shape import NOW, TODAY, ZONE, build, say

from yuyue.accounts.models import User
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.scheduling.models import StaffMember

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
SORT = os.environ.get("BENCH_SORT", "cumulative")  # or tottime


def main() -> None:
    # One audit line per booking would drown the report.
    logging.getLogger("yuyue.audit").disabled = True
    say(f"one booking on {connection.vendor}: building the shape without history")
    service = build(history_days=int(os.environ.get("BENCH_HISTORY_DAYS", "0")))
    staff = list(StaffMember.objects.filter(business_id=service.business_id).order_by("id"))
    customer = User.objects.get(username="bench-owner")
    Appointment.objects.filter(business_id=service.business_id, start__gte=NOW).delete()
    days = [TODAY + dt.timedelta(days=d) for d in range(1, 40)]
    free = iter(
        dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)
        for day in days
        if day.weekday() < 6
        for hour in (9, 10, 11, 13, 14, 15, 16, 17)
    )

    def book(start, member):
        return appointment_create(
            service=service, customer=customer, start=start, staff=member, now=NOW
        )

    # Refused: a start taken on a day that has free times left, as most refusals are.
    taken = dt.datetime.combine(days[-1], dt.time(14), tzinfo=ZONE)
    book(taken, staff[-1])

    def refusal():
        with contextlib.suppress(SlotUnavailable):
            book(taken, staff[-1])

    calls = (
        ("named", lambda: book(next(free), staff[0])),
        ("any staff", lambda: book(next(free), None)),
        ("refusal", refusal),
    )
    for name, call in calls:
        call()
        with CaptureQueriesContext(connection) as queries:
            call()
        times, cpu = [], []
        for _ in range(RUNS):
            began, began_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        say(
            f"{name}: median {statistics.median(times):.1f} ms "
            f"({statistics.median(cpu):.1f} ms of CPU in Python), {len(queries)} queries"
        )
        for query in queries.captured_queries:
            print(f"    {query['time']}s  {query['sql'][:160]}")
        if os.environ.get("BENCH_PROFILE"):
            # CPU time, not wall time: on a shared machine waits would swamp the figures.
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(RUNS):
                call()
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(SORT).print_stats(35)
            print(out.getvalue())


if __name__ == "__main__":
    main()
