"""Notifications drain: 10,000 due emails sent by 2 `yuyue worker` processes into local SMTP.

    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_notifications.py
    BENCH_NOTIFICATIONS=1000 python bench/bench_notifications.py     # a quick smoke run
    BENCH_PROFILE=/tmp/prof python bench/...   # each worker under cProfile, one .prof file each

The set-up is bulk inserts (a measuring setup, not a product path): one business, 50 staff on
one location, one customer per message, one appointment each on an hourly grid (no overlaps),
and one due email row each, in a mix of kinds: booked, confirmed and rescheduled (with a
calendar invitation), cancelled (with its METHOD:CANCEL), and reminders (no invitation, and
the "superseded" check), in Chinese and English. An aiosmtpd server in this process counts
what it receives by Message-ID; two real worker processes (the management command, default
settings, EMAIL_URL pointing at that server) drain the queue; the clock runs from starting
them until no row is pending or sending.
"""

import collections
import datetime as dt
import logging
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from shape import say

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, AppointmentEvent
from yuyue.catalog.models import Business, Location, Service
from yuyue.notifications.models import Notification
from yuyue.scheduling.models import StaffMember

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_NOTIFICATIONS", "10000"))
WORKERS = 2
TARGET_SECONDS = 60.0  # for 10,000 messages (issue 14, target 4)
TARGET_COUNT = 10_000
STAFF = 50
SLUG = "bench-notify"
# Reminders are due when their send time (start minus the offset) has passed: two weeks before
# starts that all lie within the next ten days.
REMINDER_OFFSET = 14 * 24 * 60
# Kinds in turn, by slot: a fifth reminders, the rest the kinds that carry an invitation.
KINDS = ["reminder", "booked", "confirmed", "rescheduled", "booked", "cancelled"]
# aiosmtpd logs every SMTP command at INFO: thousands of lines and CPU taken from the workers.
logging.getLogger("mail.log").setLevel(logging.WARNING)
MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


class Counting:
    """aiosmtpd handler: counts each accepted message by its Message-ID, nothing else kept."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: collections.Counter[bytes] = collections.Counter()
        self.first: float | None = None

    async def handle_DATA(self, server, session, envelope):
        headers = re.split(rb"\r?\n\r?\n", envelope.content, maxsplit=1)[0]
        match = MESSAGE_ID.search(headers)
        with self.lock:
            self.ids[match.group(1) if match else b"(none)"] += 1
            if self.first is None:
                self.first = time.perf_counter()
        return "250 Message accepted"

    def received(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def wipe() -> None:
    business = Business.objects.filter(slug=SLUG).first()
    if business is not None:
        Notification.objects.filter(business=business).delete()
        AppointmentEvent.objects.filter(appointment__business=business).delete()
        Appointment.objects.filter(business=business).delete()
        StaffMember.objects.filter(business=business).delete()
        business.delete()
    User.objects.filter(username__startswith=f"{SLUG}-").delete()


def build(count: int) -> None:
    """The business, its staff, one customer, appointment, event and due email per message."""
    call_command("migrate", verbosity=0)
    wipe()
    business = Business.objects.create(
        slug=SLUG, name="Bench 美发", timezone="Asia/Shanghai", phone="+86 21 5555 0100"
    )
    location = Location.objects.create(
        business=business, name="静安店", address="上海市静安区南京西路 1 号"
    )
    service = Service.objects.create(
        business=business,
        name="Cut 剪发",
        duration_minutes=30,
        price=Decimal("88.00"),
        buffer_before_minutes=10,
        buffer_after_minutes=10,
    )
    staff = StaffMember.objects.bulk_create(
        StaffMember(business=business, name=f"Stylist {i:02d}", location=location)
        for i in range(STAFF)
    )
    customers = User.objects.bulk_create(
        (
            User(
                username=f"{SLUG}-{i}",
                email=f"customer-{i}@example.com",
                display_name=f"顾客 {i}" if i % 2 else f"Customer {i}",
                language="zh-hans" if i % 2 else "en",
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    first = (now + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    appointments = []
    for i, customer in enumerate(customers):
        # Slot i: staff i % STAFF, hour i // STAFF after tomorrow's first full hour.
        start = first + dt.timedelta(hours=i // STAFF)
        end = start + dt.timedelta(minutes=30)
        kind = KINDS[i % len(KINDS)]
        appointments.append(
            Appointment(
                business=business,
                service=service,
                staff=staff[i % STAFF],
                location=location,
                customer=customer,
                start=start,
                end=end,
                occupied_start=start - dt.timedelta(minutes=10),
                occupied_end=end + dt.timedelta(minutes=10),
                status="cancelled" if kind == "cancelled" else "confirmed",
                price=service.price,
                currency="CNY",
                sequence=1 if kind == "rescheduled" else 0,
                # Distinct: random codes would clash in bulk (appointment_checkin_code_open).
                checkin_code=f"{i % 1_000_000:06d}",
            )
        )
    appointments = Appointment.objects.bulk_create(appointments, batch_size=2000)
    actions = {"reminder": "created", "booked": "created"}
    events = AppointmentEvent.objects.bulk_create(
        (
            AppointmentEvent(
                appointment=a,
                action=actions.get(kind, kind),
                to_status=a.status,
                reason="Bench" if kind == "cancelled" else "",
                data=(
                    {"old": {"start": (a.start - dt.timedelta(days=1)).isoformat()}}
                    if kind == "rescheduled"
                    else {}
                ),
            )
            for i, a in enumerate(appointments)
            for kind in [KINDS[i % len(KINDS)]]
        ),
        batch_size=2000,
    )
    rows = []
    for i, (a, event) in enumerate(zip(appointments, events, strict=True)):
        kind = KINDS[i % len(KINDS)]
        reminder = kind == "reminder"
        send_after = a.start - dt.timedelta(minutes=REMINDER_OFFSET) if reminder else now
        rows.append(
            Notification(
                business=business,
                appointment=a,
                event=event,
                recipient=a.customer,
                channel="email",
                kind=kind,
                language=a.customer.language,
                offset_minutes=REMINDER_OFFSET if reminder else 0,
                send_after=send_after,
                next_attempt_at=send_after,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(index: int, *, smtp_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?tls=false",
        "YUYUE_PUBLIC_URL": "https://book.example.com",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, str(ROOT / "manage.py"), "worker"]
    if os.environ.get("BENCH_PROFILE"):
        folder = Path(os.environ["BENCH_PROFILE"])
        folder.mkdir(parents=True, exist_ok=True)
        command[1:1] = ["-m", "cProfile", "-o", str(folder / f"worker-{index}.prof")]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def live(business_id: int) -> int:
    return Notification.objects.filter(
        business_id=business_id, status__in=("pending", "sending")
    ).count()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    vendor = connection.vendor
    say(f"notifications drain on {vendor}: building {COUNT} due emails (bulk)")
    build(COUNT)
    business_id = Business.objects.get(slug=SLUG).pk
    kinds = collections.Counter(
        Notification.objects.filter(business_id=business_id).values_list("kind", flat=True)
    )
    say(f"due rows by kind: {dict(sorted(kinds.items()))}")
    connection.close()

    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    logs = Path(tempfile.mkdtemp(prefix="yuyue-bench-notify-"))
    say(f"SMTP server on 127.0.0.1:{port}; starting {WORKERS} workers (logs in {logs})")
    say(f"load average at start: {Path('/proc/loadavg').read_text().strip()}")
    began = time.perf_counter()
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    workers = [
        start_worker(i, smtp_port=port, log=logs / f"worker-{i}.log") for i in range(WORKERS)
    ]
    deadline = began + max(600.0, COUNT / 10)
    next_line = began + 10
    left = COUNT
    try:
        while True:
            left = live(business_id)
            now = time.perf_counter()
            if left == 0 or now > deadline:
                break
            if any(w.poll() is not None for w in workers):
                raise SystemExit(f"a worker exited early; see {logs}")
            if now >= next_line:
                say(f"  {now - began:5.1f} s: {COUNT - left} done, {handler.received()} received")
                next_line += 10
            time.sleep(0.1)
        seconds = time.perf_counter() - began
        own = resource.getrusage(resource.RUSAGE_SELF)
        own_cpu = own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime
        load_end = Path("/proc/loadavg").read_text().strip()
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=60) for worker in workers]
        controller.stop()
    # CPU the workers used, start-up included: a figure the load of other processes barely moves.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    first = (handler.first - began) if handler.first is not None else float("nan")

    statuses = collections.Counter(
        Notification.objects.filter(business_id=business_id).values_list("status", flat=True)
    )
    row_ids = set(
        Notification.objects.filter(business_id=business_id, status="sent").values_list(
            "message_id", flat=True
        )
    )
    received = handler.ids
    distinct = {key.decode() for key in received}
    sent = statuses["sent"]
    lost = COUNT - sent
    duplicates = sum(n - 1 for n in received.values())
    unreceived = len(row_ids - distinct)
    say(f"load average at the end: {load_end}; worker exit codes {codes}")
    if left:
        say(f"NOT DRAINED: {left} rows still pending or sending after {seconds:.0f} s")
    say(
        f"drained {COUNT} in {seconds:.1f} s from starting the workers ({COUNT / seconds:.0f} "
        f"messages/s); the first message arrived after {first:.1f} s (the workers' start-up), "
        f"so {seconds - first:.1f} s from the first message to the last row recorded"
    )
    say(
        f"rows sent {sent} (statuses {dict(sorted(statuses.items()))}), SMTP messages received "
        f"{sum(received.values())} ({len(received)} distinct Message-IDs); lost {lost}, "
        f"duplicates {duplicates}, sent but never received {unreceived}"
    )
    say(
        f"worker CPU: {cpu:.1f} s for both, {cpu / COUNT * 1000:.2f} ms per message "
        f"(start-up included); this process (the SMTP server, polling): {own_cpu:.1f} s"
    )
    target = TARGET_SECONDS * COUNT / TARGET_COUNT
    say(
        f"drain time / target: {seconds:.1f} s / {target:.0f} s = {seconds / target:.2f} "
        f"(target <= 1: {COUNT} messages in <= {target:.0f} s, 0 lost, 0 duplicates)"
    )


if __name__ == "__main__":
    main()
