"""WeChat Pay payment notifications handled per second, and 100 at once for 50 orders giving
exactly 50 payments (issue 21; docs/payments.md#measured).

    DATABASE_URL=postgres://.../yuyue_bench python bench/bench_notify.py  # a database to wipe
    python bench/bench_notify.py                       # SQLite in a temporary folder
    BENCH_ORDERS=200 BENCH_THREADS=8 python bench/...  # fewer orders, more threads

The WeChat Pay stand-in of the tests (tests/payments/standin.py) runs on loopback with keys
made for this run; the server is set up to use it as in production (the WECHATPAY_* settings).
The set-up is bulk inserts (a measuring setup, not a product path): one business with a
deposit service, N customers each with a booking awaiting payment of 50.00 and an open Native
order, which the stand-in then marks paid. Each notification is built as WeChat Pay builds it
(the resource encrypted with the APIv3 key, AEAD_AES_256_GCM; the body signed with WeChat
Pay's key) and posted to POST /api/v1/payments/wechat/notify through Django's test client,
which runs the whole request: middleware, signature and timestamp checks, decryption, the
ledger write under the appointment's lock, the booking confirmed and its messages queued.

Phase 1: N notifications, one per order, from BENCH_THREADS threads (each its own database
connection). Phase 2: 50 more orders, each notified twice (two nonces, as WeChat Pay retries),
all 100 released at once: exactly 50 payments must be recorded, every answer 204.

Run again, it first removes its business; the payments tables are emptied (the ledger refuses
deletes), so point it only at a database that may be wiped, as every benchmark here.
"""

import datetime as dt
import logging
import os
import secrets
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ORDERS = int(os.environ.get("BENCH_ORDERS", "1000"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
RACE_ORDERS = 50
# Database connections held at once: the machine's PostgreSQL allows 100, shared with others.
GATE = int(os.environ.get("BENCH_CONNECTIONS", "30"))
SLUG = "bench-pay"
DEPOSIT = Decimal("50.00")


def _keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey, Path]:
    """The merchant's and WeChat Pay's key pairs, made for this run; the settings read the
    merchant's private key and WeChat Pay's public key from files, as in production."""
    merchant, platform = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)
    )
    folder = Path(tempfile.mkdtemp(prefix="yuyue-bench-wechatpay-"))
    (folder / "apiclient_key.pem").write_bytes(
        merchant.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "pub_key.pem").write_bytes(
        platform.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return merchant, platform, folder


MERCHANT_KEY, PLATFORM_KEY, KEY_DIR = _keys()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.payments import standin as wx  # noqa: E402  (constants only until django.setup)

os.environ.update(
    {
        "WECHATPAY_MCHID": wx.MCHID,
        "WECHATPAY_APPID": wx.APPID,
        "WECHATPAY_PRIVATE_KEY_PATH": str(KEY_DIR / "apiclient_key.pem"),
        "WECHATPAY_CERT_SERIAL": wx.CERT_SERIAL,
        "WECHATPAY_APIV3_KEY": wx.APIV3_KEY,
        "WECHATPAY_PUBLIC_KEY_PATH": str(KEY_DIR / "pub_key.pem"),
        "WECHATPAY_PUBLIC_KEY_ID": wx.PUBLIC_KEY_ID,
        "YUYUE_PUBLIC_URL": "https://yuyue.example.com",
    }
)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from shape import say  # noqa: E402  (sets up Django on DATABASE_URL or a temporary SQLite)

from yuyue.accounts.models import User  # noqa: E402
from yuyue.bookings.models import Appointment, AppointmentEvent, Status  # noqa: E402
from yuyue.catalog.models import Business, Location, Service  # noqa: E402
from yuyue.customers.models import Customer  # noqa: E402
from yuyue.notifications.models import Notification  # noqa: E402
from yuyue.payments.models import Order, PaymentAccount, PaymentEntry, Refund  # noqa: E402
from yuyue.scheduling.models import StaffMember  # noqa: E402

NOTIFY = "/api/v1/payments/wechat/notify"


def wipe() -> None:
    business = Business.objects.filter(slug=SLUG).first()
    if business is not None:
        appointments = Appointment.objects.filter(business=business)
        # The ledger refuses deletes on PostgreSQL (a trigger): the bench's rows go with a
        # TRUNCATE of the payments tables instead, which the trigger does not see.
        if PaymentEntry.objects.exists():
            with connection.cursor() as cursor:
                tables = [
                    PaymentEntry._meta.db_table,
                    Refund._meta.db_table,
                    Order._meta.db_table,
                    PaymentAccount._meta.db_table,
                ]
                if connection.vendor == "postgresql":
                    cursor.execute(f"TRUNCATE {', '.join(tables)}")
                else:
                    for table in tables:
                        cursor.execute(f"DELETE FROM {table}")
        Notification.objects.filter(business=business).delete()
        AppointmentEvent.objects.filter(appointment__business=business).delete()
        appointments.delete()
        Customer.objects.filter(business=business).delete()
        StaffMember.objects.filter(business=business).delete()
        Service.objects.filter(business=business).delete()
        Location.objects.filter(business=business).delete()
        business.delete()
    User.objects.filter(username__startswith=f"{SLUG}-").delete()


def build(fake: wx.StandIn, count: int, first: int) -> list[str]:
    """`count` bookings awaiting a 50.00 deposit, each with an open Native order that the
    stand-in holds and marks paid; their out_trade_no."""
    business = Business.objects.get(slug=SLUG)
    service = Service.objects.get(business=business)
    location = Location.objects.get(business=business)
    staff = list(StaffMember.objects.filter(business=business))
    users = User.objects.bulk_create(
        User(username=f"{SLUG}-{i}", display_name=f"顾客 {i}") for i in range(first, first + count)
    )
    clients = Customer.objects.bulk_create(
        Customer(business=business, user=user, name=user.display_name) for user in users
    )
    now = timezone.now()
    start0 = (now + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    appointments = []
    for n, (user, client) in enumerate(zip(users, clients, strict=True)):
        i = first + n
        start = start0 + dt.timedelta(hours=i // len(staff))
        end = start + dt.timedelta(minutes=30)
        appointments.append(
            Appointment(
                business=business,
                service=service,
                staff=staff[i % len(staff)],
                location=location,
                client=client,
                customer=user,
                start=start,
                end=end,
                occupied_start=start,
                occupied_end=end,
                status=Status.AWAITING_PAYMENT,
                pay_by=now + dt.timedelta(hours=1),
                price=service.price,
                online_due=DEPOSIT,
                currency="CNY",
            )
        )
    appointments = Appointment.objects.bulk_create(appointments, batch_size=1000)
    AppointmentEvent.objects.bulk_create(
        (
            AppointmentEvent(
                appointment=a,
                action=AppointmentEvent.Action.CREATED,
                to_status=Status.AWAITING_PAYMENT,
                data={"once_paid": Status.CONFIRMED},
            )
            for a in appointments
        ),
        batch_size=1000,
    )
    accounts = PaymentAccount.objects.bulk_create(
        (PaymentAccount(appointment=a, currency="CNY") for a in appointments), batch_size=1000
    )
    numbers = [f"YYB{first + n}x{secrets.token_hex(8)}"[:32] for n in range(count)]
    Order.objects.bulk_create(
        (
            Order(
                account=account,
                out_trade_no=no,
                method="wechat_native",
                amount=DEPOSIT,
                code_url="weixin://wxpay/bizpayurl?pr=bench",
                expires_at=now + dt.timedelta(hours=1),
            )
            for account, no in zip(accounts, numbers, strict=True)
        ),
        batch_size=1000,
    )
    for no in numbers:
        fake.orders[no] = {
            "appid": wx.APPID,
            "mchid": wx.MCHID,
            "total": 5000,
            "trade_type": "NATIVE",
            "trade_state": "NOTPAY",
            "notify_url": settings.YUYUE_PUBLIC_URL + NOTIFY,
        }
        fake.pay(no)
    return numbers


def setup_business() -> None:
    call_command("migrate", verbosity=0)
    wipe()
    business = Business.objects.create(slug=SLUG, name="Bench 付款", timezone="Asia/Shanghai")
    location = Location.objects.create(business=business, name="静安店", address="南京西路 1 号")
    Service.objects.create(
        business=business,
        name="烫发 Perm",
        duration_minutes=30,
        price=Decimal("300.00"),
        payment_mode="deposit",
        deposit_amount=DEPOSIT,
    )
    StaffMember.objects.bulk_create(
        StaffMember(business=business, name=f"Stylist {i:02d}", location=location)
        for i in range(20)
    )


def post(notification: wx.Notification) -> int:
    headers = {
        f"HTTP_{name.upper().replace('-', '_')}": value
        for name, value in notification.headers.items()
    }
    try:
        response = Client().post(
            NOTIFY, notification.body, content_type="application/json", **headers
        )
        return response.status_code
    finally:
        connections.close_all()


def together(notifications: list[wx.Notification], threads: int) -> tuple[list[int], float]:
    """Post every notification from `threads` threads, all released at once."""
    barrier = threading.Barrier(min(threads, len(notifications)))
    gate = threading.BoundedSemaphore(GATE)
    started = threading.local()

    def run(notification: wx.Notification) -> int:
        if not getattr(started, "yes", False):
            started.yes = True
            barrier.wait()
        with gate:
            return post(notification)

    connections.close_all()
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(run, notifications))
    return statuses, time.perf_counter() - began


def main() -> None:
    # One audit line per payment is written in production too; printed to a terminal here it
    # would measure the terminal.
    logging.getLogger("yuyue.audit").setLevel(logging.WARNING)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    fake = wx.StandIn(merchant_key=MERCHANT_KEY, platform_key=PLATFORM_KEY)
    server = wx.serve(fake)
    settings.WECHATPAY_API_BASE = fake.url
    try:
        setup_business()
        numbers = build(fake, ORDERS, 0)
        # Built before the clock starts: WeChat Pay's work, not ours. Signed now, so every
        # one is inside the 5-minute window when it arrives.
        notifications = [fake.paid_notification(no) for no in numbers]
        statuses, took = together(notifications, THREADS)
        recorded = PaymentEntry.objects.filter(order__out_trade_no__in=numbers).count()
        bad = [s for s in statuses if s != 204]
        say(
            f"{connection.vendor}: {ORDERS} notifications, {THREADS} threads: {took:.2f} s, "
            f"{ORDERS / took:.0f} notifications/s; {recorded} payments recorded"
            + (f"; {len(bad)} not 204: {sorted(set(bad))}" if bad else "")
        )

        race = build(fake, RACE_ORDERS, ORDERS)
        twice = [fake.paid_notification(no) for no in race for _ in range(2)]
        statuses, took = together(twice, len(twice))
        recorded = PaymentEntry.objects.filter(order__out_trade_no__in=race).count()
        paid = Order.objects.filter(out_trade_no__in=race, state=Order.State.PAID).count()
        say(
            f"{connection.vendor}: {len(twice)} notifications at once for {RACE_ORDERS} orders: "
            f"{took:.2f} s ({len(twice) / took:.0f}/s), {recorded} payments, {paid} orders "
            f"paid, answers {sorted(set(statuses))}"
        )
        if recorded != RACE_ORDERS or paid != RACE_ORDERS or set(statuses) != {204}:
            raise SystemExit("payments were not recorded exactly once")
        if bad:
            raise SystemExit("some notifications were refused")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
