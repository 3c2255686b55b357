"""Availability selector, end to end: 50 staff x 30 days from the database.

    python bench/bench_availability.py            # SQLite in a throwaway directory
    DATABASE_URL=postgres://... python bench/bench_availability.py   # a database you can wipe

Prints the median and 95th percentile wall time over repeated runs, the number of queries and
slots, and the peak Python memory of one call.
"""

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["YUYUE_DATA_DIR"] = tempfile.mkdtemp(prefix="yuyue-bench-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.helpers import owner_of  # noqa: E402
from yuyue.accounts.models import User  # noqa: E402
from yuyue.bookings.models import Appointment  # noqa: E402
from yuyue.catalog.models import Service  # noqa: E402
from yuyue.catalog.services import business_create, service_create  # noqa: E402
from yuyue.scheduling.selectors import availability  # noqa: E402
from yuyue.scheduling.services import staff_hours_set, staff_member_create  # noqa: E402

STAFF, DAYS, RUNS = 50, 30, 20
TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
HOURS = {d: [["09:00", "12:00"], ["13:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
HOURS["sat"] = [["10:00", "16:00"]]


def build() -> Service:
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user(username=f"bench-owner-{time.time_ns()}", password=None)
    business = business_create(owner=owner, slug=f"bench-{time.time_ns()}", name="Bench")
    service = service_create(
        business=business,
        actor=owner_of(business),
        name="Cut",
        duration_minutes=30,
        price=Decimal("88.00"),
        min_notice_minutes=60,
        max_days_ahead=60,
    )
    rng = random.Random(7)
    rows = []
    for i in range(STAFF):
        member = staff_member_create(
            business=business, actor=owner_of(business), name=f"S{i}", services=[service]
        )
        staff_hours_set(staff=member, actor=owner_of(member), hours=HOURS)
        for day in range(1, DAYS + 1):
            date = NOW.date() + dt.timedelta(days=day)
            for slot in rng.sample(range(18), 8):  # 8 of the 18 half hours 09:00-18:00 booked
                start = dt.datetime.combine(date, dt.time(9), tzinfo=TZ) + dt.timedelta(
                    minutes=30 * slot
                )
                end = start + dt.timedelta(minutes=30)
                rows.append(
                    Appointment(
                        business=business,
                        service=service,
                        staff=member,
                        customer=owner,
                        start=start,
                        end=end,
                        occupied_start=start,
                        occupied_end=end,
                        status="confirmed",
                        price=service.price,
                        currency="CNY",
                    )
                )
    Appointment.objects.bulk_create(rows, batch_size=2000)
    return Service.objects.select_related("business").get(pk=service.pk)


def main() -> None:
    service = build()
    date_from = NOW.date() + dt.timedelta(days=1)
    date_to = date_from + dt.timedelta(days=DAYS - 1)

    def call():
        return availability(service=service, date_from=date_from, date_to=date_to, now=NOW)

    call()  # warm caches and connections
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        result = call()
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"availability selector on {connection.vendor}, {STAFF} staff x {DAYS} days, "
        f"{STAFF * DAYS * 8} booked appointments: median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms over {RUNS} runs; {len(queries)} queries; {len(result.slots)} slots; "
        f"peak Python memory {peak / 1024 / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
