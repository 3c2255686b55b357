"""The hand-written floor for availability: one SQL query and an integer sweep.

A measuring stick, not product code: it knows the bench shape (one zone without DST, the
weekly hours and overrides handed in as plain data) and answers only "which starts are free
for how many staff", which is what Yuyue's availability has to compute as well. Yuyue's result
must have the same starts; the benchmark checks that before comparing times.
"""

import datetime as dt
from bisect import bisect_right

from django.db import connection

MINUTE_US = 60_000_000
DAY_US = 1440 * MINUTE_US

_EPOCH_SQL = {
    "postgresql": "(EXTRACT(EPOCH FROM {c}) * 1000000)::bigint",
    "sqlite": (
        "(CAST(ROUND((julianday(substr({c}, 1, 19)) - 2440587.5) * 86400) AS INTEGER)"
        " * 1000000 + CAST(substr({c}, 21, 6) AS INTEGER))"
    ),
}


def _us(value: dt.datetime) -> int:
    return (value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def busy_spans(staff_ids: list[int], lo: dt.datetime, hi: dt.datetime) -> dict[int, list]:
    """The one query: holding spans of these staff overlapping [lo, hi), as integers."""
    epoch = _EPOCH_SQL[connection.vendor]
    marks = ", ".join(["%s"] * len(staff_ids))
    sql = (
        f"SELECT staff_id, {epoch.format(c='occupied_start')}, {epoch.format(c='occupied_end')}"
        " FROM bookings_appointment"
        f" WHERE staff_id IN ({marks})"
        " AND status IN ('pending', 'confirmed', 'in_progress')"
        " AND occupied_end > %s AND occupied_start < %s"
    )
    spans: dict[int, list] = {staff_id: [] for staff_id in staff_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*staff_ids, lo, hi])
        for staff_id, start, end in cursor.fetchall():
            spans[staff_id].append((start, end))
    return spans


def floor_availability(
    *,
    staff_ids: list[int],
    weekly: dict[int, list[tuple[int, int]]],
    overrides: dict[tuple[int, dt.date], list[tuple[int, int]]],
    offset: dt.timedelta,
    first_day: dt.date,
    days: int,
    now: dt.datetime,
    duration_min: int,
    step_min: int,
    before_min: int,
    after_min: int,
    notice_min: int,
) -> list[tuple[int, int]]:
    """(start_us, number of staff free) for every start offered, sorted."""
    offset_us = offset // dt.timedelta(microseconds=1)
    day0 = dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)
    lo = day0 - offset
    spans = busy_spans(staff_ids, lo - dt.timedelta(days=1), lo + dt.timedelta(days=days + 1))
    duration, step = duration_min * MINUTE_US, step_min * MINUTE_US
    reach_before, reach_after = duration + after_min * MINUTE_US, before_min * MINUTE_US
    earliest = _us(now) + notice_min * MINUTE_US
    counts: dict[int, int] = {}
    base = _us(day0) - offset_us
    for staff_id in staff_ids:
        # Forbidden start ranges (open intervals), merged, sorted.
        lows: list[int] = []
        highs: list[int] = []
        for b0, b1 in sorted(spans[staff_id]):
            a, b = b0 - reach_before, b1 + reach_after
            if highs and a < highs[-1]:
                highs[-1] = max(highs[-1], b)
            else:
                lows.append(a)
                highs.append(b)
        for n in range(days):
            day = first_day + dt.timedelta(days=n)
            hours = overrides.get((staff_id, day), weekly.get(day.weekday(), ()))
            midnight = base + n * DAY_US
            for s_min, e_min in hours:
                ws, we = midnight + s_min * MINUTE_US, midnight + e_min * MINUTE_US
                start = ws
                while start + duration <= we:
                    if start >= earliest:
                        j = bisect_right(lows, start) - 1
                        if j < 0 or not (lows[j] < start < highs[j]):
                            counts[start] = counts.get(start, 0) + 1
                    start += step
    return sorted(counts.items())
