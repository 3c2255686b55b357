"""Flat with history: availability and one booking as the stored appointments grow.

    python bench/bench_growth.py                                   # SQLite, 10k to 3M
    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_growth.py
    BENCH_GROWTH=10000,30000 BENCH_RUNS=5 python bench/bench_growth.py   # a quick smoke run

Issue 14's shape with a 31-day future (today and the 30-day window asked for, about 8,500
appointments, the same at every size), grown with completed appointments further and further
in the past (bench/shape.py add_history, set-based SQL). At each size: availability for every
staff member over the window (Yuyue's selector and the hand-written floor, alternately), then
BENCH_BOOKINGS bookings of free slots through appointment_create, each with a named staff
member (they are removed again, so the future stays the same). The last lines compare the
largest size with the smallest: the target is within ±20%.
"""

import datetime as dt
import logging
import os
import statistics
import time

from bench_availability import RUNS, measure
from django.db import connection
from shape import NOW, STAFF, TODAY, WINDOW_DAYS, ZONE, add_history, build, say

from yuyue.accounts.models import User
from yuyue.bookings.availability import availability
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.scheduling.models import StaffMember

SIZES = [int(n) for n in os.environ.get("BENCH_GROWTH", "10000,100000,1000000,3000000").split(",")]
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "25"))
FUTURE_DAYS = WINDOW_DAYS + 1
TOLERANCE = 0.2


def cpu_seconds() -> float:
    """CPU used so far by this process and, on PostgreSQL, by its server backend (read from
    /proc: the server runs on this machine). On a shared machine the wall time follows the
    others' load; the CPU a request costs moves far less."""
    used = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def availability_cpu(service) -> float:
    """CPU milliseconds per availability request (every staff member, the whole window)."""
    date_from = TODAY + dt.timedelta(days=1)
    date_to = date_from + dt.timedelta(days=WINDOW_DAYS - 1)
    availability(service=service, date_from=date_from, date_to=date_to, now=NOW)
    began = cpu_seconds()
    for _ in range(RUNS):
        availability(service=service, date_from=date_from, date_to=date_to, now=NOW)
    return (cpu_seconds() - began) * 1000 / RUNS


def measure_bookings(service) -> tuple[float, float]:
    """Median milliseconds of BOOKINGS named bookings of free slots (removed afterwards), and
    their mean CPU milliseconds."""
    date_from = TODAY + dt.timedelta(days=1)
    slots = availability(
        service=service,
        date_from=date_from,
        date_to=date_from + dt.timedelta(days=WINDOW_DAYS - 1),
        now=NOW,
    ).slots
    # Spread over the window and the staff: every len(slots) // n-th free slot; the first few
    # warm up (the first booking of a process pays for imports and caches), untimed.
    warm_up = 3
    picked = slots[:: max(1, len(slots) // (BOOKINGS + warm_up))][: BOOKINGS + warm_up]
    staff = {member.id: member for member in StaffMember.objects.filter(business=service.business)}
    customer = User.objects.get(username="bench-owner")
    times, made = [], []
    for i, slot in enumerate(picked):
        if i == warm_up:
            cpu = cpu_seconds()
        member = staff[slot.staff_ids[0]]
        began = time.perf_counter()
        appointment = appointment_create(
            service=service, customer=customer, start=slot.start, staff=member, now=NOW
        )
        times.append((time.perf_counter() - began) * 1000)
        made.append(appointment.pk)
    cpu_ms = (cpu_seconds() - cpu) * 1000 / len(times[warm_up:])
    Appointment.objects.filter(pk__in=made).delete()
    return statistics.median(times[warm_up:]), cpu_ms


def main() -> None:
    # One audit line per booking would drown the progress lines; it costs the same at any size.
    logging.getLogger("yuyue.audit").disabled = True
    vendor = connection.vendor
    say(f"growth on {vendor}: building the shape with a {FUTURE_DAYS}-day future, no history")
    service = build(history_days=0, future_days=FUTURE_DAYS)
    future = service.appointments.filter(start__gte=dt.datetime.combine(TODAY, dt.time(), ZONE))
    say(f"built: {future.count()} appointments from today on, {STAFF} staff")
    rows = []
    for total in SIZES:
        began = time.perf_counter()
        add_history(service=service, total=total)
        stored = Appointment.objects.filter(business_id=service.business_id).count()
        say(f"{stored:,} stored (history written in {time.perf_counter() - began:.0f} s)")
        result = measure(service)
        cpu = availability_cpu(service)
        booking, booking_cpu = measure_bookings(service)
        load = os.getloadavg()[0]
        rows.append(
            (stored, result["yuyue_ms"], cpu, result["floor_ms"], booking, booking_cpu, load)
        )
        say(
            f"  {stored:,} stored: availability {result['yuyue_ms']:.1f} ms, {cpu:.1f} ms of CPU "
            f"({result['queries']} queries, floor {result['floor_ms']:.1f} ms, "
            f"{result['slots']} slots); one booking {booking:.1f} ms, {booking_cpu:.1f} ms of "
            f"CPU; load average {load:.1f}"
        )
    say(f"growth on {vendor}, {STAFF} staff x {WINDOW_DAYS} days, the same future at each size")
    say("  (CPU: this process and, on PostgreSQL, its server backend):")
    say("  stored       availability  (CPU)      floor       one booking  (CPU)      load")
    for stored, ours, cpu, floor, booking, booking_cpu, load in rows:
        say(
            f"  {stored:>11,}  {ours:>8.1f} ms  ({cpu:>6.1f} ms)  {floor:>7.1f} ms  "
            f"{booking:>7.1f} ms  ({booking_cpu:>5.1f} ms)  {load:>5.1f}"
        )
    small, large = rows[0], rows[-1]
    for name, column in (
        ("availability, wall time", 1),
        ("availability, CPU", 2),
        ("one booking, wall time", 4),
        ("one booking, CPU", 5),
    ):
        ratio = large[column] / small[column]
        verdict = "within" if abs(ratio - 1) <= TOLERANCE else "outside"
        say(
            f"  {name}: {large[0]:,} / {small[0]:,} stored = {ratio:.2f}x "
            f"({verdict} the ±{TOLERANCE:.0%} target)"
        )


if __name__ == "__main__":
    main()
