"""The shape of issue 14, built straight into a database the benchmark may wipe.

50 staff in Asia/Shanghai, weekly hours Mon-Sat 09:00-12:00 and 13:00-19:00 (lunch between),
5% of staff-days overridden (half closed, half 10:00-16:00), a 30-minute service on a
15-minute grid with 10-minute buffers each side and 2 hours' notice, and about 100,000
appointments over a year (300 days of history, 65 days ahead), 5-6 per staff member and day
on an hourly grid so none overlap. Rows go in with bulk inserts, not through the services:
this is a measuring setup, not a product path.

    DATABASE_URL=postgres://.../yuyue_bench python bench/...   # a database you can wipe
    python bench/...                                            # SQLite in a temporary folder
"""

import datetime as dt
import os
import random
import sys
import tempfile
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL") and not os.environ.get("YUYUE_BENCH_DIR"):
    # Child processes of a benchmark inherit the folder through YUYUE_BENCH_DIR.
    os.environ["YUYUE_BENCH_DIR"] = tempfile.mkdtemp(prefix="yuyue-bench-")
if os.environ.get("YUYUE_BENCH_DIR"):
    os.environ["YUYUE_DATA_DIR"] = os.environ["YUYUE_BENCH_DIR"]

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from yuyue.accounts.models import User  # noqa: E402
from yuyue.bookings.models import Appointment  # noqa: E402
from yuyue.catalog.models import Business, Service  # noqa: E402
from yuyue.scheduling.models import DateOverride, StaffMember, WorkingInterval  # noqa: E402

STAFF = 50
ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
# Tuesday 1 December 2026, 08:00 in Shanghai: the benchmarks' "now".
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=ZONE)
TODAY = NOW.date()
WINDOW_DAYS = 30
HISTORY_DAYS, FUTURE_DAYS = 300, 65
WEEKLY = [(540, 720), (780, 1140)]  # Mon-Sat
WORKDAYS = range(6)
OVERRIDE_SHARE = 0.05
SPECIAL = [(600, 960)]
# Appointment starts: on the hour, lunch and the last hour left out (a 30-minute cut with
# 10 minutes each side occupies 50 minutes, so hourly starts never overlap).
CELLS = [9, 10, 11, 13, 14, 15, 16, 17]
SEED = 14


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _appointment(business, service, staff_id, customer_id, start, status) -> Appointment:
    end = start + dt.timedelta(minutes=30)
    return Appointment(
        business=business,
        service=service,
        staff_id=staff_id,
        customer_id=customer_id,
        start=start,
        end=end,
        occupied_start=start - dt.timedelta(minutes=10),
        occupied_end=end + dt.timedelta(minutes=10),
        status=status,
        price=Decimal("88.00"),
        currency="CNY",
    )


def build(*, history_days: int = HISTORY_DAYS, today: dt.date = TODAY) -> Service:
    """Migrate, wipe the bench business if present, build the shape around `today` (the
    benchmarks' fixed day unless a server reads the real clock); returns the service."""
    call_command("migrate", verbosity=0)
    Appointment.objects.filter(business__slug="bench").delete()
    StaffMember.objects.filter(business__slug="bench").delete()
    Business.objects.filter(slug="bench").delete()
    rng = random.Random(SEED)
    User.objects.get_or_create(username="bench-owner")
    business = Business.objects.create(slug="bench", name="Bench", timezone="Asia/Shanghai")
    service = Service.objects.create(
        business=business,
        name="Cut",
        duration_minutes=30,
        price=Decimal("88.00"),
        buffer_before_minutes=10,
        buffer_after_minutes=10,
        slot_interval_minutes=15,
        min_notice_minutes=120,
        max_days_ahead=60,
    )
    staff = StaffMember.objects.bulk_create(
        StaffMember(business=business, name=f"S{i:02d}") for i in range(STAFF)
    )
    for member in staff:
        member.services.add(service)
    WorkingInterval.objects.bulk_create(
        WorkingInterval(staff=member, weekday=day, start_minute=s, end_minute=e)
        for member in staff
        for day in WORKDAYS
        for s, e in WEEKLY
    )
    overrides = []
    for member in staff:
        for offset in range(-history_days, FUTURE_DAYS):
            if rng.random() < OVERRIDE_SHARE:
                day = today + dt.timedelta(days=offset)
                overrides.append(
                    DateOverride(staff=member, date=day, intervals=rng.choice([[], SPECIAL]))
                )
    DateOverride.objects.bulk_create(overrides)
    customers = User.objects.bulk_create(
        User(username=f"bench-customer-{i}-{time.time_ns()}") for i in range(200)
    )
    rows = []
    for offset in range(-history_days, FUTURE_DAYS):
        day = today + dt.timedelta(days=offset)
        past = offset < 0
        for member in staff:
            for hour in rng.sample(CELLS, rng.choice((5, 6))):
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)
                status = "confirmed"
                if past:
                    status = rng.choice(("completed", "completed", "cancelled"))
                customer = rng.choice(customers)
                rows.append(_appointment(business, service, member.id, customer.id, start, status))
        if len(rows) >= 20_000:
            Appointment.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Appointment.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Service.objects.select_related("business").get(pk=service.pk)


def add_history(*, service: Service, total: int) -> None:
    """Grow the stored appointments to `total` with completed ones further in the past (SQL)."""
    have = Appointment.objects.filter(business_id=service.business_id).count()
    missing = total - have
    if missing <= 0:
        return
    staff = list(StaffMember.objects.filter(business_id=service.business_id).values_list("id"))
    customer_id = User.objects.get(username="bench-owner").id
    first = dt.datetime.combine(TODAY - dt.timedelta(days=HISTORY_DAYS + 1), dt.time(9), ZONE)
    per_staff = missing // len(staff) + 1
    rows = []
    done = 0
    for (staff_id,) in staff:
        for i in range(per_staff):
            if done >= missing:
                break
            # Hourly, back in time, 10 a day: far history that no window asks for.
            day, slot = divmod(i, 10)
            start = first - dt.timedelta(days=day) + dt.timedelta(hours=slot - 9)
            rows.append(
                _appointment(service.business, service, staff_id, customer_id, start, "completed")
            )
            done += 1
            if len(rows) >= 50_000:
                Appointment.objects.bulk_create(rows, batch_size=5000)
                rows = []
    Appointment.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
