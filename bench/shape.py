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
import itertools
import json
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
from django.db import connection, transaction  # noqa: E402

from yuyue.accounts.models import User  # noqa: E402
from yuyue.bookings.models import Appointment  # noqa: E402
from yuyue.catalog.models import Business, Service  # noqa: E402
from yuyue.customers.models import Customer  # noqa: E402
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


# Distinct check-in codes for the rows written in bulk: random ones would clash among the open
# appointments (appointment_checkin_code_open); a million in a row never repeat.
_CODES = itertools.count()


def _appointment(
    business, service, staff_id, customer_id, start, status, client_id=None
) -> Appointment:
    end = start + dt.timedelta(minutes=30)
    return Appointment(
        business=business,
        service=service,
        staff_id=staff_id,
        customer_id=customer_id,
        # Every appointment names the business's customer record (bookings 0006).
        client_id=client_id,
        start=start,
        end=end,
        occupied_start=start - dt.timedelta(minutes=10),
        occupied_end=end + dt.timedelta(minutes=10),
        status=status,
        price=Decimal("88.00"),
        currency="CNY",
        checkin_code=f"{next(_CODES) % 1_000_000:06d}",
    )


def _wipe() -> None:
    """Delete the bench business and everything of it, in set-based SQL: after a growth run
    there are millions of appointments, too many for the ORM's cascading delete."""
    business = Business.objects.filter(slug="bench").first()
    if business is None:
        return
    appointments = "SELECT id FROM bookings_appointment WHERE business_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What references these rows is deleted first: no per-row trigger needs to look.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "DELETE FROM notifications_notification WHERE business_id = %s", [business.id]
        )
        cursor.execute(
            f"DELETE FROM bookings_appointmentevent WHERE appointment_id IN ({appointments})",
            [business.id],
        )
        cursor.execute("DELETE FROM bookings_appointment WHERE business_id = %s", [business.id])
    Customer.objects.filter(business=business).delete()
    StaffMember.objects.filter(business=business).delete()
    business.delete()


def build(
    *, history_days: int = HISTORY_DAYS, future_days: int = FUTURE_DAYS, today: dt.date = TODAY
) -> Service:
    """Migrate, wipe the bench business if present, build the shape around `today` (the
    benchmarks' fixed day unless a server reads the real clock); returns the service."""
    call_command("migrate", verbosity=0)
    _wipe()
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
        for offset in range(-history_days, future_days):
            if rng.random() < OVERRIDE_SHARE:
                day = today + dt.timedelta(days=offset)
                overrides.append(
                    DateOverride(staff=member, date=day, intervals=rng.choice([[], SPECIAL]))
                )
    DateOverride.objects.bulk_create(overrides)
    customers = User.objects.bulk_create(
        User(username=f"bench-customer-{i}-{time.time_ns()}") for i in range(200)
    )
    records = {
        record.user_id: record.id
        for record in Customer.objects.bulk_create(
            Customer(business=business, user=user, name=user.username) for user in customers
        )
    }
    rows = []
    for offset in range(-history_days, future_days):
        day = today + dt.timedelta(days=offset)
        past = offset < 0
        for member in staff:
            for hour in rng.sample(CELLS, rng.choice((5, 6))):
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)
                status = "confirmed"
                if past:
                    status = rng.choice(("completed", "completed", "cancelled"))
                customer = rng.choice(customers)
                rows.append(
                    _appointment(
                        business,
                        service,
                        member.id,
                        customer.id,
                        start,
                        status,
                        records[customer.id],
                    )
                )
        if len(rows) >= 20_000:
            Appointment.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Appointment.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Service.objects.select_related("business").get(pk=service.pk)


# History added by add_history: 10 completed appointments a staff member and day, hourly, going
# back in time from the day before the shape's own history; public ids "hist-<n>".
HISTORY_PREFIX = "hist-"
HISTORY_PER_DAY = 10
HISTORY_CHUNK = 500_000

_HISTORY_COLUMNS = (
    'public_id, business_id, service_id, staff_id, location_id, customer_id, start, "end", '
    "occupied_start, occupied_end, exclusive, status, price, currency, notes, channel, "
    "idempotency_key, sequence, created_at, updated_at"
)
# Row n goes to staff n % S, on day (n // S) // 10 back from the first day, at hour
# (n // S) % 10 after 09:00 UTC-ish: far history that no window asks for, none overlapping.
_HISTORY_SQL = {
    "postgresql": f"""
        INSERT INTO bookings_appointment ({_HISTORY_COLUMNS})
        SELECT %(prefix)s || n, %(business)s, %(service)s, (%(staff)s::bigint[])[1 + n %% %(s)s],
               NULL, %(customer)s, t, t + interval '30 minutes', t - interval '10 minutes',
               t + interval '40 minutes', true, 'completed', 88.00, 'CNY', '', 'web', NULL, 0,
               now(), now()
        FROM generate_series(%(lo)s, %(hi)s - 1) AS n,
             LATERAL (SELECT %(first)s::timestamptz
                      - ((n / %(s)s) / {HISTORY_PER_DAY}) * interval '1 day'
                      + ((n / %(s)s) %% {HISTORY_PER_DAY}) * interval '1 hour' AS t) AS at
    """,
    "sqlite": f"""
        WITH RECURSIVE numbers(n) AS (
            SELECT %(lo)s UNION ALL SELECT n + 1 FROM numbers WHERE n + 1 < %(hi)s
        ), rows(n, staff, t) AS (
            SELECT n, (n %% %(s)s),
                   datetime(%(first)s, '-' || ((n / %(s)s) / {HISTORY_PER_DAY}) || ' days',
                            '+' || ((n / %(s)s) %% {HISTORY_PER_DAY}) || ' hours')
            FROM numbers
        )
        INSERT INTO bookings_appointment ({_HISTORY_COLUMNS})
        SELECT %(prefix)s || n, %(business)s, %(service)s,
               json_extract(%(staff)s, '$[' || staff || ']'), NULL, %(customer)s, t,
               datetime(t, '+30 minutes'), datetime(t, '-10 minutes'), datetime(t, '+40 minutes'),
               1, 'completed', '88.00', 'CNY', '', 'web', NULL, 0, datetime('now'), datetime('now')
        FROM rows
    """,
}


def add_history(*, service: Service, total: int) -> None:
    """Grow the stored appointments to `total` with completed ones further in the past.

    Set-based: one INSERT ... SELECT per chunk (generate_series on PostgreSQL, a recursive CTE
    on SQLite), so millions of rows take minutes, not hours of Python objects.
    """
    business_id = service.business_id
    have = Appointment.objects.filter(business_id=business_id).count()
    done = Appointment.objects.filter(
        business_id=business_id, public_id__startswith=HISTORY_PREFIX
    ).count()
    missing = total - have
    if missing <= 0:
        return
    staff = list(
        StaffMember.objects.filter(business_id=business_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    customer_id = User.objects.get(username="bench-owner").id
    # The day before the earliest appointment of the shape's own history, 09:00 local: fixed
    # by the shape, so a later call's rows carry on further back from the last call's.
    earliest = (
        Appointment.objects.filter(business_id=business_id)
        .exclude(public_id__startswith=HISTORY_PREFIX)
        .order_by("start")
        .first()
    )
    day = min(earliest.start.astimezone(ZONE).date(), TODAY) - dt.timedelta(days=1)
    first = dt.datetime.combine(day, dt.time(9), ZONE)
    vendor = connection.vendor
    params = {
        "prefix": HISTORY_PREFIX,
        "business": business_id,
        "service": service.id,
        "staff": staff if vendor == "postgresql" else json.dumps(staff),
        "s": len(staff),
        "customer": customer_id,
        "first": first
        if vendor == "postgresql"
        else first.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    for lo in range(done, done + missing, HISTORY_CHUNK):
        hi = min(lo + HISTORY_CHUNK, done + missing)
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                # The rows reference the bench's own business, service, staff and customer by
                # construction: skipping the per-row foreign-key triggers makes this a bulk load.
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(_HISTORY_SQL[vendor], {**params, "lo": lo, "hi": hi})
        say(f"  history rows {lo:,}-{hi:,} written")
    with connection.cursor() as cursor:
        # As a database in use is: statistics fresh; on PostgreSQL the visibility map set (as
        # autovacuum leaves it), so index-only scans need not visit the heap; on SQLite the
        # write-ahead log checkpointed (as its auto-checkpoint keeps it), not a gigabyte that
        # every read must look through first.
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
