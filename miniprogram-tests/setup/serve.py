"""A real Yuyue server on a fresh SQLite database, with the WeChat stand-in and a text-message
gateway stand-in (the webhook provider posts each text to it; `GET` lists what it received), for
the mini program's tests. Prints one JSON line {"api", "standin", "texts", "appid", "templates",
"now"} once all listen on loopback ports, then serves until killed."""

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

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
            **{f"WECHAT_TEMPLATE_{k}": v for k, v in TEMPLATES.items()},
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "YUYUE_ENV"):
        os.environ.pop(name, None)

    import django
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

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    port = server.server_address[1]
    answer = {
        "api": f"http://127.0.0.1:{port}/api/v1",
        "standin": standin.url,
        "texts": texts_url,
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
