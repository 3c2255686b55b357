"""A small client of WeChat Pay API v3 (direct merchant, WeChat Pay public-key mode), on
`cryptography` (docs/payments.md#wechat-pay; why not the `wechatpayv3` package: README).

Requests are signed with the merchant's private key (the WECHATPAY2-SHA256-RSA2048
Authorization header over "METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n"); answers and
notifications are verified with the WeChat Pay public key, their serial checked against its id
and their timestamp within 5 minutes; a notification's resource is decrypted with the APIv3 key
(AEAD_AES_256_GCM).
"""

import base64
import datetime as dt
import functools
import http.client
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

SCHEME = "WECHATPAY2-SHA256-RSA2048"
# How far a signed answer's or notification's timestamp may be from our clock.
MAX_SKEW_SECONDS = 5 * 60
MAX_ANSWER_BYTES = 64 * 1024


class WeChatPayError(Exception):
    """WeChat Pay could not be asked or answered wrongly; `code` is WeChat's when it gave one."""

    def __init__(self, message: str, *, code: str = "", status: int = 0) -> None:
        self.code = code
        self.status = status
        super().__init__(message)


class WeChatPayUnavailable(WeChatPayError):
    """Unreachable, timed out or a 5xx: try again later."""


class WeChatPayRefused(WeChatPayError):
    """A 4xx with WeChat's code: this request will not succeed as it is."""


class BadSignature(Exception):
    """A signed message (an answer or a notification) that is not WeChat Pay's."""


@dataclass(frozen=True)
class Merchant:
    mchid: str
    appid: str
    api_base: str
    private_key: rsa.RSAPrivateKey
    cert_serial: str
    apiv3_key: bytes
    public_key: rsa.RSAPublicKey
    public_key_id: str


def configured() -> bool:
    return bool(settings.WECHATPAY_MCHID)


@functools.cache
def _load(private_path: str, public_path: str) -> tuple[rsa.RSAPrivateKey, rsa.RSAPublicKey]:
    private = serialization.load_pem_private_key(Path(private_path).read_bytes(), password=None)
    public = serialization.load_pem_public_key(Path(public_path).read_bytes())
    if not isinstance(private, rsa.RSAPrivateKey) or not isinstance(public, rsa.RSAPublicKey):
        raise ValueError("WeChat Pay keys are RSA keys")
    return private, public


def merchant() -> Merchant:
    private, public = _load(settings.WECHATPAY_PRIVATE_KEY_PATH, settings.WECHATPAY_PUBLIC_KEY_PATH)
    return Merchant(
        mchid=settings.WECHATPAY_MCHID,
        appid=settings.WECHATPAY_APPID,
        api_base=settings.WECHATPAY_API_BASE,
        private_key=private,
        cert_serial=settings.WECHATPAY_CERT_SERIAL,
        apiv3_key=settings.WECHATPAY_APIV3_KEY.encode(),
        public_key=public,
        public_key_id=settings.WECHATPAY_PUBLIC_KEY_ID,
    )


def fen(amount: Decimal) -> int:
    """Yuan to fen, exactly."""
    return int((amount * 100).to_integral_exact())


def yuan(fen_amount: int) -> Decimal:
    return (Decimal(fen_amount) / 100).quantize(Decimal("0.01"))


def sign(private_key: rsa.RSAPrivateKey, message: str) -> str:
    signature = private_key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def verify(public_key: rsa.RSAPublicKey, message: str, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def nonce() -> str:
    return secrets.token_hex(16)


def authorization(
    m: Merchant, method: str, url: str, body: str, *, timestamp: int, nonce_str: str
) -> str:
    """The Authorization header of a request to WeChat Pay; `url` is the path and query."""
    message = f"{method}\n{url}\n{timestamp}\n{nonce_str}\n{body}\n"
    return (
        f'{SCHEME} mchid="{m.mchid}",nonce_str="{nonce_str}",'
        f'signature="{sign(m.private_key, message)}",timestamp="{timestamp}",'
        f'serial_no="{m.cert_serial}"'
    )


def check_signed(m: Merchant, headers: Any, body: str, *, now: float | None = None) -> None:
    """Raise BadSignature unless `body` with these Wechatpay-* headers is WeChat Pay's, now.

    `headers`: anything with a case-insensitive .get (a request's or an answer's headers).
    """
    timestamp = headers.get("Wechatpay-Timestamp") or ""
    nonce_str = headers.get("Wechatpay-Nonce") or ""
    signature = headers.get("Wechatpay-Signature") or ""
    serial = headers.get("Wechatpay-Serial") or ""
    if not (timestamp and nonce_str and signature and serial):
        raise BadSignature("missing Wechatpay-* headers")
    if serial != m.public_key_id:
        raise BadSignature(f"unknown Wechatpay-Serial {serial[:64]!r}")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise BadSignature("malformed Wechatpay-Timestamp")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise BadSignature("Wechatpay-Timestamp more than 5 minutes away")
    if not verify(m.public_key, f"{timestamp}\n{nonce_str}\n{body}\n", signature):
        raise BadSignature("wrong Wechatpay-Signature")


def decrypt(m: Merchant, resource: Any) -> dict[str, Any]:
    """The plaintext of a notification's resource (AEAD_AES_256_GCM with the APIv3 key)."""
    try:
        if resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise BadSignature("unknown algorithm")
        plain = AESGCM(m.apiv3_key).decrypt(
            resource["nonce"].encode(),
            base64.b64decode(resource["ciphertext"], validate=True),
            (resource.get("associated_data") or "").encode(),
        )
        data = json.loads(plain)
    except (InvalidTag, KeyError, TypeError, ValueError, AttributeError) as error:
        raise BadSignature(f"the resource does not decrypt: {type(error).__name__}") from None
    if not isinstance(data, dict):
        raise BadSignature("the resource is not an object")
    return data


def encrypt(key: bytes, plain: dict[str, Any], *, associated_data: str) -> dict[str, str]:
    """A resource as WeChat Pay encrypts it (for the stand-in; kept beside decrypt)."""
    nonce_str = secrets.token_hex(6)
    ciphertext = AESGCM(key).encrypt(
        nonce_str.encode(), json.dumps(plain).encode(), associated_data.encode()
    )
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "associated_data": associated_data,
        "original_type": "transaction",
        "nonce": nonce_str,
    }


def call(
    method: str, path: str, body: dict[str, Any] | None = None, *, m: Merchant | None = None
) -> tuple[int, dict[str, Any]]:
    """One signed request; the answer's signature checked. Returns (status, JSON or {})."""
    m = m or merchant()
    text = "" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    request = urllib.request.Request(
        m.api_base + path,
        data=None if body is None else text.encode(),
        method=method,
        headers={
            "Authorization": authorization(
                m, method, path, text, timestamp=int(time.time()), nonce_str=nonce()
            ),
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "yuyue",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.WECHATPAY_TIMEOUT) as answer:
            status, headers, raw = answer.status, answer.headers, answer.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read(MAX_ANSWER_BYTES)
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise WeChatPayUnavailable(f"WeChat Pay unreachable: {error}") from None
    if status >= 500:
        raise WeChatPayUnavailable(f"WeChat Pay answered {status}", status=status)
    answer_text = raw.decode("utf-8", errors="replace")
    try:
        check_signed(m, headers, answer_text)
    except BadSignature as error:
        raise WeChatPayUnavailable(f"WeChat Pay's answer is not signed: {error}") from None
    try:
        data = json.loads(answer_text) if answer_text else {}
    except ValueError:
        raise WeChatPayUnavailable("WeChat Pay's answer is not JSON") from None
    if not isinstance(data, dict):
        raise WeChatPayUnavailable("WeChat Pay's answer is not an object")
    if status >= 400:
        raise WeChatPayRefused(
            str(data.get("message") or status), code=str(data.get("code") or ""), status=status
        )
    return status, data


def _expire(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def order_body(
    m: Merchant,
    *,
    out_trade_no: str,
    description: str,
    amount: Decimal,
    expires_at: dt.datetime,
    notify_url: str,
) -> dict[str, Any]:
    return {
        "appid": m.appid,
        "mchid": m.mchid,
        "description": description[:127],
        "out_trade_no": out_trade_no,
        "time_expire": _expire(expires_at),
        "notify_url": notify_url,
        "amount": {"total": fen(amount), "currency": "CNY"},
    }


def native_order(**order: Any) -> str:
    """POST /v3/pay/transactions/native → the code_url to show as a QR code."""
    m = merchant()
    _status, data = call("POST", "/v3/pay/transactions/native", order_body(m, **order), m=m)
    code_url = data.get("code_url")
    if not isinstance(code_url, str) or not code_url:
        raise WeChatPayUnavailable("WeChat Pay gave no code_url")
    return code_url


def jsapi_order(*, openid: str, **order: Any) -> str:
    """POST /v3/pay/transactions/jsapi → the prepay_id for wx.requestPayment."""
    m = merchant()
    body = {**order_body(m, **order), "payer": {"openid": openid}}
    _status, data = call("POST", "/v3/pay/transactions/jsapi", body, m=m)
    prepay_id = data.get("prepay_id")
    if not isinstance(prepay_id, str) or not prepay_id:
        raise WeChatPayUnavailable("WeChat Pay gave no prepay_id")
    return prepay_id


def jsapi_parameters(prepay_id: str) -> dict[str, str]:
    """What the mini program passes to wx.requestPayment, signed (paySign, RSA)."""
    m = merchant()
    timestamp, nonce_str, package = str(int(time.time())), nonce(), f"prepay_id={prepay_id}"
    return {
        "appId": m.appid,
        "timeStamp": timestamp,
        "nonceStr": nonce_str,
        "package": package,
        "signType": "RSA",
        "paySign": sign(m.private_key, f"{m.appid}\n{timestamp}\n{nonce_str}\n{package}\n"),
    }


def query_order(out_trade_no: str) -> dict[str, Any]:
    """GET /v3/pay/transactions/out-trade-no/{no}?mchid=… → the order as WeChat Pay has it."""
    m = merchant()
    no = urllib.parse.quote(out_trade_no, safe="")
    _status, data = call(
        "GET",
        f"/v3/pay/transactions/out-trade-no/{no}?mchid={urllib.parse.quote(m.mchid)}",
        m=m,
    )
    return data


def close_order(out_trade_no: str) -> None:
    """POST …/close: nobody can pay this order any more."""
    m = merchant()
    no = urllib.parse.quote(out_trade_no, safe="")
    call("POST", f"/v3/pay/transactions/out-trade-no/{no}/close", {"mchid": m.mchid}, m=m)


def refund(
    *,
    out_trade_no: str,
    out_refund_no: str,
    amount: Decimal,
    total: Decimal,
    reason: str,
    notify_url: str,
) -> dict[str, Any]:
    """POST /v3/refund/domestic/refunds; the same out_refund_no is refunded once."""
    body = {
        "out_trade_no": out_trade_no,
        "out_refund_no": out_refund_no,
        "reason": reason[:80],
        "notify_url": notify_url,
        "amount": {"refund": fen(amount), "total": fen(total), "currency": "CNY"},
    }
    _status, data = call("POST", "/v3/refund/domestic/refunds", body)
    return data


def query_refund(out_refund_no: str) -> dict[str, Any]:
    no = urllib.parse.quote(out_refund_no, safe="")
    _status, data = call("GET", f"/v3/refund/domestic/refunds/{no}")
    return data
