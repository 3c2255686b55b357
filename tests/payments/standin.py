"""A WeChat Pay API v3 stand-in: a real HTTP server on loopback that checks the merchant's
request signatures as WeChat Pay does, signs its answers with its own (platform) key, keeps
orders and refunds, and writes encrypted, signed notifications — genuine, duplicated, late,
forged, replayed or with a wrong amount — for the tests to send to our notify URL.

Keys are made when the tests run (`cryptography`); none is committed.
"""

import base64
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from yuyue.payments import wechatpay

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
CERT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
PUBLIC_KEY_ID = "PUB_KEY_ID_0114232134912410000000000000"
APIV3_KEY = "a" * 16 + "b" * 16


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_private(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def pem_public(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _parse_authorization(header: str) -> dict[str, str]:
    scheme, _, rest = header.partition(" ")
    if scheme != wechatpay.SCHEME:
        return {}
    fields = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value.strip('"')
    return fields


@dataclass
class Notification:
    headers: dict[str, str]
    body: bytes


@dataclass
class StandIn:
    merchant_key: rsa.RSAPrivateKey
    platform_key: rsa.RSAPrivateKey
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with a 500
    refund_status: str = "PROCESSING"  # what a new refund answers
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    appid: str = APPID  # the app the merchant's orders are for (the mini program's, in its tests)

    # The merchant's side of the signature ---------------------------------------------------

    def check_request(self, method: str, path: str, headers: Any, body: str) -> str | None:
        """Why WeChat Pay would refuse this request's signature, or None."""
        fields = _parse_authorization(headers.get("Authorization", ""))
        if not fields:
            return "no WECHATPAY2-SHA256-RSA2048 Authorization"
        if fields.get("mchid") != MCHID or fields.get("serial_no") != CERT_SERIAL:
            return "wrong mchid or serial_no"
        timestamp = fields.get("timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return "stale timestamp"
        message = f"{method}\n{path}\n{timestamp}\n{fields.get('nonce_str', '')}\n{body}\n"
        if not wechatpay.verify(
            self.merchant_key.public_key(), message, fields.get("signature", "")
        ):
            return "bad signature"
        return None

    # WeChat Pay's signature on answers and notifications --------------------------------------

    def signed_headers(
        self, body: str, *, timestamp: int | None = None, key: rsa.RSAPrivateKey | None = None
    ) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = secrets.token_hex(16)
        signature = wechatpay.sign(key or self.platform_key, f"{timestamp}\n{nonce}\n{body}\n")
        return {
            "Wechatpay-Timestamp": str(timestamp),
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature,
            "Wechatpay-Serial": PUBLIC_KEY_ID,
        }

    # What happens at WeChat Pay --------------------------------------------------------------

    def pay(self, out_trade_no: str) -> None:
        """The customer scans and pays."""
        with self.lock:
            order = self.orders[out_trade_no]
            order["trade_state"] = "SUCCESS"
            order["transaction_id"] = "4200" + secrets.token_hex(12)

    def transaction(self, out_trade_no: str, **changes: Any) -> dict[str, Any]:
        order = self.orders[out_trade_no]
        plain = {
            "appid": order["appid"],
            "mchid": order["mchid"],
            "out_trade_no": out_trade_no,
            "transaction_id": order.get("transaction_id", ""),
            "trade_type": order["trade_type"],
            "trade_state": order["trade_state"],
            "trade_state_desc": "支付成功",
            "success_time": "2026-12-01T08:05:00+08:00",
            "payer": {"openid": order.get("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")},
            "amount": {
                "total": order["total"],
                "payer_total": order["total"],
                "currency": "CNY",
                "payer_currency": "CNY",
            },
        }
        plain.update(changes)
        return plain

    def notification(
        self,
        plain: dict[str, Any],
        *,
        event_type: str = "TRANSACTION.SUCCESS",
        timestamp: int | None = None,
        key: rsa.RSAPrivateKey | None = None,
        apiv3_key: str = APIV3_KEY,
        original_type: str = "transaction",
    ) -> Notification:
        resource = wechatpay.encrypt(apiv3_key.encode(), plain, associated_data=original_type)
        resource["original_type"] = original_type
        body = json.dumps(
            {
                "id": "EV-" + secrets.token_hex(10),
                "create_time": "2026-12-01T08:05:00+08:00",
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "支付成功",
                "resource": resource,
            }
        )
        return Notification(self.signed_headers(body, timestamp=timestamp, key=key), body.encode())

    def paid_notification(self, out_trade_no: str, **changes: Any) -> Notification:
        return self.notification(self.transaction(out_trade_no, **changes))

    def refund_notification(self, out_refund_no: str, status: str = "SUCCESS") -> Notification:
        refund = self.refunds[out_refund_no]
        refund["status"] = status
        return self.notification(
            {
                "mchid": MCHID,
                "out_trade_no": refund["out_trade_no"],
                "transaction_id": self.orders[refund["out_trade_no"]].get("transaction_id", ""),
                "out_refund_no": out_refund_no,
                "refund_id": refund["refund_id"],
                "refund_status": status,
                "amount": {
                    "total": refund["total"],
                    "refund": refund["refund"],
                    "payer_total": refund["total"],
                    "payer_refund": refund["refund"],
                },
            },
            event_type=f"REFUND.{status}",
            original_type="refund",
        )

    @staticmethod
    def deliver(url: str, notification: Notification) -> tuple[int, bytes]:
        """Send a notification over HTTP, as WeChat Pay does."""
        request = urllib.request.Request(
            url,
            data=notification.body,
            method="POST",
            headers={"Content-Type": "application/json", **notification.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    # The API --------------------------------------------------------------------------------

    def answer(self, method: str, raw_path: str, headers: Any, body: str) -> tuple[int, Any]:
        self.requests.append((method, raw_path))
        if self.fail_next > 0:
            self.fail_next -= 1
            return 500, {"code": "SYSTEM_ERROR", "message": "系统错误"}
        why = self.check_request(method, raw_path, headers, body)
        if why is not None:
            self.refused.append(why)
            return 401, {"code": "SIGN_ERROR", "message": why}
        parsed = urllib.parse.urlsplit(raw_path)
        path = parsed.path
        data = json.loads(body) if body else {}
        with self.lock:
            if method == "POST" and path in (
                "/v3/pay/transactions/native",
                "/v3/pay/transactions/jsapi",
            ):
                return self._order(path.rsplit("/", 1)[1].upper(), data)
            prefix = "/v3/pay/transactions/out-trade-no/"
            if path.startswith(prefix):
                no = urllib.parse.unquote(path[len(prefix) :])
                if method == "POST" and no.endswith("/close"):
                    return self._close(no[: -len("/close")], data)
                if method == "GET":
                    query = urllib.parse.parse_qs(parsed.query)
                    if query.get("mchid") != [MCHID]:
                        return 400, {"code": "PARAM_ERROR", "message": "mchid"}
                    if no not in self.orders:
                        return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
                    return 200, self.transaction(no)
            if method == "POST" and path == "/v3/refund/domestic/refunds":
                return self._refund(data)
            refund_prefix = "/v3/refund/domestic/refunds/"
            if method == "GET" and path.startswith(refund_prefix):
                no = urllib.parse.unquote(path[len(refund_prefix) :])
                if no not in self.refunds:
                    return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"}
                return 200, self._refund_answer(no)
        return 404, {"code": "NOT_FOUND", "message": raw_path}

    def _order(self, trade_type: str, data: dict) -> tuple[int, Any]:
        no = data.get("out_trade_no", "")
        total = (data.get("amount") or {}).get("total")
        if (
            data.get("mchid") != MCHID
            or data.get("appid") != self.appid
            or not isinstance(total, int)
            or total <= 0
            or not no
            or not str(data.get("notify_url", "")).startswith("http")
            or (trade_type == "JSAPI" and not (data.get("payer") or {}).get("openid"))
        ):
            return 400, {"code": "PARAM_ERROR", "message": "参数错误"}
        existing = self.orders.get(no)
        if existing is not None and existing["total"] != total:
            return 400, {"code": "INVALID_REQUEST", "message": "订单号重复"}
        self.orders.setdefault(
            no,
            {
                "appid": data["appid"],
                "mchid": data["mchid"],
                "total": total,
                "trade_type": trade_type,
                "trade_state": "NOTPAY",
                "notify_url": data["notify_url"],
                "openid": (data.get("payer") or {}).get("openid", ""),
            },
        )
        if trade_type == "NATIVE":
            return 200, {"code_url": f"weixin://wxpay/bizpayurl?pr={secrets.token_hex(4)}"}
        prepay_id = "wx" + secrets.token_hex(14)
        self.orders[no].setdefault("prepay_id", prepay_id)
        return 200, {"prepay_id": self.orders[no]["prepay_id"]}

    def _close(self, no: str, data: dict) -> tuple[int, Any]:
        if data.get("mchid") != MCHID or no not in self.orders:
            return 400, {"code": "PARAM_ERROR", "message": "参数错误"}
        if self.orders[no]["trade_state"] == "SUCCESS":
            return 400, {"code": "ORDERPAID", "message": "订单已支付"}
        self.orders[no]["trade_state"] = "CLOSED"
        return 204, None

    def _refund(self, data: dict) -> tuple[int, Any]:
        no = data.get("out_refund_no", "")
        order = self.orders.get(data.get("out_trade_no", ""))
        amount = data.get("amount") or {}
        if order is None or order["trade_state"] != "SUCCESS":
            return 400, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在或未支付"}
        if no in self.refunds:  # the same number: the same refund, once
            return 200, self._refund_answer(no)
        already = sum(
            r["refund"] for r in self.refunds.values() if r["out_trade_no"] == data["out_trade_no"]
        )
        if (
            amount.get("total") != order["total"]
            or not isinstance(amount.get("refund"), int)
            or amount["refund"] <= 0
            or already + amount["refund"] > order["total"]
        ):
            return 400, {"code": "INVALID_REQUEST", "message": "退款金额错误"}
        self.refunds[no] = {
            "out_trade_no": data["out_trade_no"],
            "refund_id": "5030" + secrets.token_hex(12),
            "refund": amount["refund"],
            "total": order["total"],
            "status": self.refund_status,
            "reason": data.get("reason", ""),
        }
        return 200, self._refund_answer(no)

    def _refund_answer(self, no: str) -> dict[str, Any]:
        refund = self.refunds[no]
        return {
            "refund_id": refund["refund_id"],
            "out_refund_no": no,
            "out_trade_no": refund["out_trade_no"],
            "status": refund["status"],
            "amount": {"total": refund["total"], "refund": refund["refund"], "currency": "CNY"},
        }

    def order_of_prepay(self, prepay_id: str) -> str | None:
        """The out_trade_no whose JSAPI order WeChat answered with `prepay_id`."""
        for no, order in self.orders.items():
            if order.get("prepay_id") == prepay_id:
                return no
        return None

    def refunded_total(self, out_trade_no: str) -> int:
        return sum(r["refund"] for r in self.refunds.values() if r["out_trade_no"] == out_trade_no)


def serve(standin: StandIn) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            status, data = standin.answer(self.command, self.path, self.headers, body)
            text = "" if data is None else json.dumps(data, ensure_ascii=False)
            self.send_response(status)
            if status < 500:
                for name, value in standin.signed_headers(text).items():
                    self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text.encode())))
            self.end_headers()
            self.wfile.write(text.encode())

        do_GET = do_POST = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
