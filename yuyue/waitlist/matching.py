"""Which waiter a freed time fits, first come first served: pure code over plain values (no
ORM), shared by the waitlist's worker and bench/bench_refill.py (docs/waitlist.md#matching).

A fit is a start inside the freed span, on the waiter's service's slot grid counted from the
freed start, whose whole appointment lies inside the span, on a date of the wish and within
its window of local wall-clock times; the staff member must offer the service, and be the one
wished for unless the waiter takes anyone. Whether the time can really be taken (hours,
capacity, notice, other bookings) is still the booking path's to decide (`who_can_take`):
the worker tries the fits in order until one is taken.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Freed:
    staff_id: int
    start: dt.datetime
    end: dt.datetime
    # The services this staff member offers.
    services: frozenset[int]
    # The waiter who just let this time pass (declined or lapsed), never offered it again.
    passed_by: int | None = None


@dataclass(frozen=True)
class Wish:
    id: int
    # First come, first served: the order the waiters joined in.
    joined: dt.datetime
    service_id: int
    duration: dt.timedelta
    # The service's slot interval: the starts tried after the freed start.
    step: dt.timedelta
    staff_id: int | None  # None: anyone
    date_from: dt.date
    date_to: dt.date
    time_from: dt.time
    time_to: dt.time


def start_for(freed: Freed, wish: Wish, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The earliest start in `freed` that `wish` fits, or None."""
    if wish.id == freed.passed_by or wish.service_id not in freed.services:
        return None
    if wish.staff_id is not None and wish.staff_id != freed.staff_id:
        return None
    step = max(wish.step, dt.timedelta(minutes=1))
    start = freed.start
    while start + wish.duration <= freed.end:
        local_start = start.astimezone(zone)
        local_end = (start + wish.duration).astimezone(zone)
        if (
            wish.date_from <= local_start.date() <= wish.date_to
            and local_end.date() == local_start.date()
            and wish.time_from <= local_start.time()
            and local_end.time() <= wish.time_to
        ):
            return start
        start += step
    return None


def fits_in_order(
    freed: Freed, wishes: Sequence[Wish], zone: zoneinfo.ZoneInfo
) -> Iterator[tuple[Wish, dt.datetime]]:
    """Every wish the freed time fits with its start, first come first."""
    for wish in sorted(wishes, key=lambda w: (w.joined, w.id)):
        start = start_for(freed, wish, zone)
        if start is not None:
            yield wish, start


def first_fit(
    freed: Freed, wishes: Sequence[Wish], zone: zoneinfo.ZoneInfo
) -> tuple[Wish, dt.datetime] | None:
    """The first waiter the freed time fits, with the start to offer; None if nobody."""
    return next(fits_in_order(freed, wishes, zone), None)
