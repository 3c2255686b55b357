"""A stand-in for WeChat's servers: the five endpoints Yuyue calls, on a real loopback port.

Shapes and error codes follow WeChat's documentation: `sns/jscode2session`,
`cgi-bin/stable_token`, `wxa/business/getuserphonenumber`, `cgi-bin/message/subscribe/send`
and `wxa/getwxacodeunlimit` (whose image here is a QR code of "scene=<scene>&page=<page>",
so a test can read back what it asked for). What the WeChat app itself would do on the phone
(hand out a login code, a phone code, record a subscribe consent) is done through
`/_standin/...` control routes or the methods of `Standin`, and every request received is recorded.

Run it on its own for the mini program's tests:

    python -m tests.wechat.standin --appid wx0000000000000000 --secret s3cret

prints one JSON line `{"url": "http://127.0.0.1:<port>"}` and serves until stopped.
"""

import argparse
import io
import itertools
import json
import re
import secrets
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import segno

ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40013: "invalid appid",
    40029: "invalid code",
    40037: "invalid template_id",
    40129: "invalid scene",
    41030: "invalid page rid",
    40125: "invalid appsecret",
    40163: "code been used",
    41002: "appid missing",
    42001: "access_token expired",
    43101: "user refuse to accept the msg",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
}
SCENE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")
# Subscribe-message value rules, by the key's type (the key without its trailing digits).
TIME = re.compile(
    r"^(\d{4}年\d{1,2}月\d{1,2}日 )?([01]?\d|2[0-3]):[0-5]\d"
    r"(~(\d{4}年\d{1,2}月\d{1,2}日 )?([01]?\d|2[0-3]):[0-5]\d)?$"
)
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日( ([01]?\d|2[0-3]):[0-5]\d)?$")
RULES = {
    "thing": lambda v: 0 < len(v) <= 20,
    "number": lambda v: re.fullmatch(r"\d{1,32}(\.\d+)?", v) is not None and len(v) <= 32,
    "letter": lambda v: re.fullmatch(r"[A-Za-z]{1,32}", v) is not None,
    "character_string": lambda v: re.fullmatch(r"[\x21-\x7e]{1,32}", v) is not None,
    "time": lambda v: TIME.fullmatch(v) is not None,
    "date": lambda v: DATE.fullmatch(v) is not None,
    "phrase": lambda v: re.fullmatch(r"[\u4e00-\u9fff]{1,5}", v) is not None,
    "name": lambda v: 0 < len(v) <= 20,
    "phone_number": lambda v: re.fullmatch(r"[\d+\-() ]{1,17}", v) is not None,
    "amount": lambda v: re.fullmatch(r"[¥$€]?\d{1,10}(\.\d{1,2})?元?", v) is not None,
}


class Standin:
    """WeChat's side of things, in memory. Thread-safe; every method may be called by tests."""

    def __init__(self, *, appid: str = "wx0000000000000000", secret: str = "s3cret") -> None:
        self.appid, self.secret = appid, secret
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.login_codes: dict[str, dict] = {}  # code → {"openid", "unionid"}
        self.phone_codes: dict[str, str] = {}  # code → phone ("+86 13800138000" style parts)
        self.used_codes: set[str] = set()
        self.tokens: dict[str, float] = {}  # access token → expiry (time.time())
        self.current_token = ""
        self.quota: Counter = Counter()  # (openid, template_id) → one-time consents left
        self.sent: list[dict] = []
        # Queued failures: endpoint name → list of errcodes (or HTTP statuses ≥ 500).
        self.failures: dict[str, list[int]] = {}
        self.stable_token_gate = threading.Event()
        self.stable_token_gate.set()
        self.stable_token_seen = threading.Event()
        self.msgids = itertools.count(1000)
        # The pages of the published mini program (wxacode's check_path looks here).
        self.pages = {"pages/home/home"}
        self.server: ThreadingHTTPServer | None = None

    # What the phone would do ----------------------------------------------------------------

    def login_code(self, openid: str, unionid: str = "") -> str:
        """What wx.login hands the mini program for this WeChat user."""
        code = "lc_" + secrets.token_hex(8)
        with self.lock:
            self.login_codes[code] = {"openid": openid, "unionid": unionid}
        return code

    def phone_code(self, phone: str, country_code: str = "86") -> str:
        """What the phone-number button hands the mini program."""
        code = "pc_" + secrets.token_hex(8)
        with self.lock:
            self.phone_codes[code] = f"{country_code} {phone}"
        return code

    def subscribe(self, openid: str, template_id: str, times: int = 1) -> None:
        """The user accepted a one-time subscription (wx.requestSubscribeMessage)."""
        with self.lock:
            self.quota[(openid, template_id)] += times

    # Test controls ------------------------------------------------------------------------------

    def fail_next(self, endpoint: str, *codes: int) -> None:
        """The next calls of `endpoint` answer these errcodes (500–599: that HTTP status)."""
        with self.lock:
            self.failures.setdefault(endpoint, []).extend(codes)

    def expire_tokens(self) -> None:
        """Every access token handed out so far has expired (42001 from now on)."""
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0.0
            self.current_token = ""

    def received(self, endpoint: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["endpoint"] == endpoint]

    # The server ---------------------------------------------------------------------------------

    def start(self) -> str:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                standin._handle(self, "GET")

            def do_POST(self):
                standin._handle(self, "POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.stable_token_gate.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        routes = {
            ("GET", "/sns/jscode2session"): ("jscode2session", self._jscode2session),
            ("POST", "/cgi-bin/stable_token"): ("stable_token", self._stable_token),
            ("POST", "/wxa/business/getuserphonenumber"): ("getuserphonenumber", self._phone),
            ("POST", "/cgi-bin/message/subscribe/send"): ("subscribe_send", self._send),
            ("POST", "/wxa/getwxacodeunlimit"): ("getwxacodeunlimit", self._wxacode),
            ("POST", "/_standin/login_code"): ("control", self._control_login_code),
            ("POST", "/_standin/phone_code"): ("control", self._control_phone_code),
            ("POST", "/_standin/subscribe"): ("control", self._control_subscribe),
            ("POST", "/_standin/fail_next"): ("control", self._control_fail_next),
            ("POST", "/_standin/expire_tokens"): ("control", self._control_expire),
            ("GET", "/_standin/received"): ("control", self._control_received),
        }
        route = routes.get((method, parts.path))
        if route is None:
            return self._reply(handler, 404, {"errcode": 404, "errmsg": "not found"})
        endpoint, action = route
        if endpoint != "control":
            with self.lock:
                self.requests.append(
                    {"endpoint": endpoint, "query": query, "body": body, "at": time.time()}
                )
            if endpoint == "stable_token":
                self.stable_token_seen.set()
                self.stable_token_gate.wait(30)
            with self.lock:
                queued = self.failures.get(endpoint) or []
                failure = queued.pop(0) if queued else None
            if failure is not None and 500 <= failure <= 599:
                return self._reply(handler, failure, {"errcode": -1, "errmsg": "bad gateway"})
            if failure is not None:
                return self._reply(handler, 200, self._error(failure))
        if body is None:
            return self._reply(handler, 200, self._error(47001))
        answer = action(query, body)
        if isinstance(answer, bytes):
            return self._reply_image(handler, answer)
        return self._reply(handler, 200, answer)

    @staticmethod
    def _error(code: int, detail: str = "") -> dict:
        message = detail or ERRMSG.get(code, "error")
        return {"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(4)}"}

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, data: dict) -> None:
        answer = json.dumps(data, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(answer)))
            handler.end_headers()
            handler.wfile.write(answer)
        except OSError:
            pass

    @staticmethod
    def _reply_image(handler: BaseHTTPRequestHandler, image: bytes) -> None:
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "image/png")
            handler.send_header("Content-Length", str(len(image)))
            handler.end_headers()
            handler.wfile.write(image)
        except OSError:
            pass

    def _token_error(self, query: dict) -> dict | None:
        token = query.get("access_token", "")
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return self._error(40001)
        if expiry <= time.time():
            return self._error(42001)
        return None

    # WeChat's endpoints --------------------------------------------------------------------------

    def _jscode2session(self, query: dict, body: dict) -> dict:
        if query.get("appid") != self.appid:
            return self._error(40013)
        if query.get("secret") != self.secret:
            return self._error(40125)
        if query.get("grant_type") != "authorization_code":
            return self._error(40029)
        code = query.get("js_code", "")
        with self.lock:
            if code in self.used_codes:
                return self._error(40163)
            user = self.login_codes.pop(code, None)
            if user is None:
                return self._error(40029)
            self.used_codes.add(code)
        answer = {"openid": user["openid"], "session_key": secrets.token_urlsafe(16)}
        if user["unionid"]:
            answer["unionid"] = user["unionid"]
        return answer

    def _stable_token(self, query: dict, body: dict) -> dict:
        if body.get("grant_type") != "client_credential":
            return self._error(40002, "invalid grant_type")
        if body.get("appid") != self.appid:
            return self._error(40013)
        if body.get("secret") != self.secret:
            return self._error(40125)
        now = time.time()
        with self.lock:
            live = self.tokens.get(self.current_token, 0) > now
            if body.get("force_refresh") or not live:
                self.current_token = "at_" + secrets.token_hex(12)
                self.tokens[self.current_token] = now + 7200
            return {
                "access_token": self.current_token,
                "expires_in": int(self.tokens[self.current_token] - now),
            }

    def _phone(self, query: dict, body: dict) -> dict:
        refused = self._token_error(query)
        if refused:
            return refused
        code = body.get("code", "")
        with self.lock:
            if code in self.used_codes:
                return self._error(40163)
            phone = self.phone_codes.pop(code, None)
            if phone is None:
                return self._error(40029)
            self.used_codes.add(code)
        country, pure = phone.split(" ", 1)
        return {
            "errcode": 0,
            "errmsg": "ok",
            "phone_info": {
                "phoneNumber": pure if country == "86" else f"+{country}{pure}",
                "purePhoneNumber": pure,
                "countryCode": country,
                "watermark": {"timestamp": int(time.time()), "appid": self.appid},
            },
        }

    def _send(self, query: dict, body: dict) -> dict:
        refused = self._token_error(query)
        if refused:
            return refused
        openid, template = body.get("touser"), body.get("template_id")
        if not openid:
            return self._error(40003, "invalid openid")
        if not template:
            return self._error(40037)
        data = body.get("data")
        if not isinstance(data, dict) or not data:
            return self._error(47003, "argument invalid! data is empty")
        for key, item in data.items():
            value = item.get("value") if isinstance(item, dict) else None
            kind = re.sub(r"\d+$", "", key)
            rule = RULES.get(kind)
            if not isinstance(value, str) or not value:
                return self._error(47003, f"argument invalid! data.{key}.value is empty")
            if rule is None or not rule(value):
                return self._error(47003, f"argument invalid! data.{key}.value invalid")
        with self.lock:
            if self.quota[(openid, template)] <= 0:
                return self._error(43101)
            self.quota[(openid, template)] -= 1
            msgid = next(self.msgids)
            self.sent.append({**body, "msgid": msgid})
        return {"errcode": 0, "errmsg": "ok", "msgid": msgid}

    # Control routes (for a stand-in running as its own process) ---------------------------------

    def _wxacode(self, query: dict, body: dict) -> dict | bytes:
        # Answered as WeChat does: an errcode as JSON, or the image itself.
        if error := self._token_error(query):
            return error
        scene, page = body.get("scene"), body.get("page", "")
        if not isinstance(scene, str) or not SCENE.fullmatch(scene):
            return self._error(40129)
        if (
            not isinstance(page, str)
            or page.startswith("/")
            or (page and body.get("check_path", True) and page not in self.pages)
        ):
            return self._error(41030)
        buffer = io.BytesIO()
        segno.make(f"scene={scene}&page={page}", error="m").save(
            buffer, kind="png", scale=6, border=4
        )
        return buffer.getvalue()

    def _control_login_code(self, query: dict, body: dict) -> dict:
        return {"code": self.login_code(body["openid"], body.get("unionid", ""))}

    def _control_phone_code(self, query: dict, body: dict) -> dict:
        return {"code": self.phone_code(body["phone"], body.get("country_code", "86"))}

    def _control_subscribe(self, query: dict, body: dict) -> dict:
        for template_id, answer in (body.get("results") or {}).items():
            if answer == "accept":
                self.subscribe(body["openid"], template_id)
        return {"ok": True}

    def _control_fail_next(self, query: dict, body: dict) -> dict:
        self.fail_next(body["endpoint"], *body["codes"])
        return {"ok": True}

    def _control_expire(self, query: dict, body: dict) -> dict:
        self.expire_tokens()
        return {"ok": True}

    def _control_received(self, query: dict, body: dict) -> dict:
        with self.lock:
            return {"requests": list(self.requests), "sent": list(self.sent)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appid", default="wx0000000000000000")
    parser.add_argument("--secret", default="s3cret")
    args = parser.parse_args(argv)
    standin = Standin(appid=args.appid, secret=args.secret)
    url = standin.start()
    print(json.dumps({"url": url}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
