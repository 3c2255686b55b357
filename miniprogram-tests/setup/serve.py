"""A real Yuyue server on a fresh SQLite database, with the WeChat stand-in, the WeChat Pay
stand-in and a text-message gateway stand-in (the webhook provider posts each text to it; `GET`
lists what it received), for the mini program's tests. Prints one JSON line {"api", "standin",
"texts", "pay", "merchant_public_key", "appid", "templates", "now"} once all listen on
loopback ports, then serves until killed.

`pay` is what stands for WeChat's side of a payment (tests/payments/standin.py) and for the
worker: `POST {pay}/pay {"prepay_id"}` pays the order as the person would in WeChat's sheet and
WeChat Pay notifies the server; `POST {pay}/sweep {"minutes"}` runs the payment sweep that many
minutes from now (holds lapse, refunds are asked); `POST {pay}/refunds` has WeChat Pay finish
the refunds under way and notify the server; `GET {pay}/refunds` lists the refunds."""

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.payments import standin as wxpay  # noqa: E402
from tests.wechat.standin import Standin  # noqa: E402

APPID, SECRET = "wx5e1f00000000test", "client-tests-secret"
TEMPLATES = {
    "CONFIRMATION": "tmpl-confirmation",
    "REMINDER": "tmpl-reminder",
    "CHANGE": "tmpl-change",
}


class Texts(BaseHTTPRequestHandler):
    """Keeps every text the server sends (`POST`) and lists them (`GET`), newest last."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Texts.received.append(json.loads(body))
        self._answer({"id": f"text-{len(Texts.received)}"})

    def do_GET(self):
        self._answer(Texts.received)

    def _answer(self, data):
        answer = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Pay(BaseHTTPRequestHandler):
    """WeChat's side of paying (the sheet, WeChat Pay's notification) and the payment sweep."""

    standin: "wxpay.StandIn"
    notify_url = ""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/pay":
            no = Pay.standin.order_of_prepay(str(body.get("prepay_id", "")))
            if no is None:
                return self._answer({"error": "no such prepay_id"}, 404)
            Pay.standin.pay(no)
            status, _ = Pay.standin.deliver(Pay.notify_url, Pay.standin.paid_notification(no))
            return self._answer({"out_trade_no": no, "notified": status})
        if self.path == "/sweep":
            from django.db import connection
            from django.utils import timezone

            from yuyue.payments.sweep import sweep

            later = timezone.now() + dt.timedelta(minutes=float(body.get("minutes", 0)))
            try:
                return self._answer(sweep(now=later))
            finally:
                connection.close()
        if self.path == "/check-in":
            # Staff check a customer in at the counter when the appointment is due: the
            # server's clock stays where it is for the other tests, so the check-in is given
            # the appointment's start as its `now` (as /sweep is given a later one).
            from django.db import connection

            from yuyue.accounts.models import User
            from yuyue.bookings.models import Appointment
            from yuyue.bookings.services import appointment_check_in

            try:
                booked = Appointment.objects.select_related("business").get(
                    checkin_code=str(body.get("code", "")), status="confirmed"
                )
                started = appointment_check_in(
                    business=booked.business,
                    code=booked.checkin_code,
                    actor=User.objects.get(username=str(body.get("staff", "owner"))),
                    now=booked.start,
                )
                return self._answer({"id": started.public_id, "status": started.status})
            finally:
                connection.close()
        if self.path == "/refunds":
            # WeChat Pay finishes the refunds under way and tells the server of each.
            done = {}
            for no, refund in list(Pay.standin.refunds.items()):
                if refund["status"] == "PROCESSING":
                    notice = Pay.standin.refund_notification(no, "SUCCESS")
                    done[no] = Pay.standin.deliver(Pay.notify_url, notice)[0]
            return self._answer(done)
        return self._answer({"error": "not found"}, 404)

    def do_GET(self):
        self._answer(list(Pay.standin.refunds.values()))

    def _answer(self, data, status=200):
        answer = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def deposit_service(business_slug: str) -> None:
    """A service paid by a deposit in the demo business, offered by a staff member of its own
    (so the demo's other services and people are as the other tests know them)."""
    from yuyue.catalog.models import Business, Location
    from yuyue.catalog.services import service_create
    from yuyue.scheduling.services import staff_hours_set, staff_member_create

    business = Business.objects.get(slug=business_slug)
    owner = business.memberships.get(role="owner").user
    service = service_create(
        business=business,
        actor=owner,
        name="定金烫发",
        description="预约时付定金 ¥50，24 小时前取消全额退回。",
        duration_minutes=60,
        price=Decimal("300.00"),
        cancel_cutoff_minutes=24 * 60,
        payment_mode="deposit",
        deposit_amount=Decimal("50.00"),
        payment_window_minutes=15,
    )
    staff = staff_member_create(
        actor=owner,
        business=business,
        name="王发型师",
        location=Location.objects.filter(business=business).order_by("id").first(),
        services=[service],
    )
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    staff_hours_set(actor=owner, staff=staff, hours={day: [["10:00", "20:00"]] for day in days})


def waitlist_worker() -> None:
    """The waitlist's step of `yuyue worker` (offers for freed time, lapses), as the worker
    runs it, every half second: the pages' tests wait for an offer as a customer would."""
    import time

    from django.db import connection

    from yuyue.waitlist.services import waitlist_round

    while True:
        try:
            waitlist_round()
        finally:
            connection.close()
        time.sleep(0.5)


def main() -> None:
    standin = Standin(appid=APPID, secret=SECRET)
    standin.start()
    texts = ThreadingHTTPServer(("127.0.0.1", 0), Texts)
    texts.daemon_threads = True
    threading.Thread(target=texts.serve_forever, daemon=True).start()
    texts_url = f"http://127.0.0.1:{texts.server_address[1]}/texts"
    data_dir = tempfile.mkdtemp(prefix="yuyue-miniprogram-")
    Path(data_dir, "static").mkdir()
    # WeChat Pay: the merchant's keys and WeChat Pay's, made for this run; orders for the app.
    merchant_key, platform_key = wxpay.new_key(), wxpay.new_key()
    Path(data_dir, "apiclient_key.pem").write_bytes(wxpay.pem_private(merchant_key))
    Path(data_dir, "pub_key.pem").write_bytes(wxpay.pem_public(platform_key))
    pay_standin = wxpay.StandIn(merchant_key=merchant_key, platform_key=platform_key, appid=APPID)
    wxpay.serve(pay_standin)
    Pay.standin = pay_standin
    pay = ThreadingHTTPServer(("127.0.0.1", 0), Pay)
    pay.daemon_threads = True
    threading.Thread(target=pay.serve_forever, daemon=True).start()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "YUYUE_DATA_DIR": data_dir,
            "WECHAT_APPID": APPID,
            "WECHAT_SECRET": SECRET,
            "WECHAT_API_BASE": standin.url,
            "LOG_LEVEL": "ERROR",
            "NOTIFY_SMS_PROVIDER": "webhook",
            "NOTIFY_WEBHOOK_URL": texts_url,
            "NOTIFY_WEBHOOK_SECRET": "client-tests-texts",
            "WECHATPAY_MCHID": wxpay.MCHID,
            "WECHATPAY_API_BASE": pay_standin.url,
            "WECHATPAY_PRIVATE_KEY_PATH": str(Path(data_dir, "apiclient_key.pem")),
            "WECHATPAY_CERT_SERIAL": wxpay.CERT_SERIAL,
            "WECHATPAY_APIV3_KEY": wxpay.APIV3_KEY,
            "WECHATPAY_PUBLIC_KEY_PATH": str(Path(data_dir, "pub_key.pem")),
            "WECHATPAY_PUBLIC_KEY_ID": wxpay.PUBLIC_KEY_ID,
            **{f"WECHAT_TEMPLATE_{k}": v for k, v in TEMPLATES.items()},
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "YUYUE_ENV"):
        os.environ.pop(name, None)

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    django.setup()
    # The server's clock starts at the Python tests' NOW (a Tuesday, 08:00 in Shanghai) and
    # runs on, so the demo, its free times and "today" are the same whatever the real date; the
    # pages' clock follows it (setup/clock.js).
    import time_machine

    from tests.helpers import NOW

    time_machine.travel(NOW, tick=True).start()
    # The first line on stdout is the answer; the demo's own chatter goes nowhere.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("demo", verbosity=0)
        deposit_service(settings.YUYUE_DEFAULT_BUSINESS)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    # Where WeChat Pay reaches us: the notify path of our public URL, on this server.
    Pay.notify_url = f"http://127.0.0.1:{port}/api/v1/payments/wechat/notify"
    answer = {
        "api": f"http://127.0.0.1:{port}/api/v1",
        "standin": standin.url,
        "texts": texts_url,
        "pay": f"http://127.0.0.1:{pay.server_address[1]}",
        "merchant_public_key": wxpay.pem_public(merchant_key).decode(),
        "appid": APPID,
        "templates": {k.lower(): v for k, v in TEMPLATES.items()},
        "now": dt.datetime.now(dt.UTC).isoformat(),
    }
    print(json.dumps(answer), flush=True)
    threading.Thread(target=waitlist_worker, daemon=True).start()
    try:
        server.serve_forever()
    finally:
        standin.stop()


if __name__ == "__main__":
    main()
