"""A stand-in for Tencent Cloud SMS (`SendSms`, API 2021-01-11) on a real loopback port.

It checks what Tencent checks, written out from its documentation rather than from our client:
the TC3-HMAC-SHA256 signature recomputed from the secret key over the canonical request
(AuthFailure.SignatureFailure when it differs), the credential's SecretId and scope
(AuthFailure.SecretIdNotFound, AuthFailure.SignatureFailure), the timestamp within five minutes
of its own clock (AuthFailure.SignatureExpire), the action and version headers, the SMS app,
the signature name, the template and its number of parameters, each parameter's length, and
the phone number. Tests queue the answers Tencent gives in other cases: a code per phone
(`phone_codes`), a request-level error (`request_errors`), or an HTTP status (`http_statuses`).
"""

import hashlib
import hmac
import json
import re
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MESSAGES = {
    "Ok": "send success",
    "AuthFailure.SignatureFailure": "The provided credentials could not be validated.",
    "AuthFailure.SignatureExpire": "Signature expired. Timestamp and server time are too far.",
    "AuthFailure.SecretIdNotFound": "The SecretId is not found.",
    "InternalError": "An internal error has occurred.",
    "RequestLimitExceeded": "Your request rate is too high.",
    "LimitExceeded.PhoneNumberDailyLimit": "the number of sms messages sent today exceeds",
    "LimitExceeded.PhoneNumberThirtySecondLimit": "the number of sms messages sent in 30s",
    "LimitExceeded.PhoneNumberOneHourLimit": "the number of sms messages sent in 1 hour",
    "FailedOperation.TemplateIncorrectOrUnapproved": "template is not approved or not exist",
    "FailedOperation.SignatureIncorrectOrUnapproved": "signature is not approved or not exist",
    "FailedOperation.InsufficientBalanceInSmsPackage": "insufficient balance in SMS package",
    "FailedOperation.PhoneNumberInBlacklist": "phone number in black list",
    "InvalidParameterValue.IncorrectPhoneNumber": "incorrect phone number",
    "InvalidParameterValue.TemplateParameterFormatError": "template parameters do not match",
    "InvalidParameterValue.TemplateParameterLengthLimit": "single variable length is over limit",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": "SmsSdkAppId verify fail",
    "InvalidAction": "The action is not valid for this service and version.",
}
AUTH = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)"
    r"/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<signature>[0-9a-f]{64})$"
)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


class TencentStandin:
    def __init__(
        self,
        *,
        secret_id: str = "AKIDstandin0000000000000000",
        secret_key: str = "standin-secret-key",
        sdk_app_id: str = "1400000001",
        sign_name: str = "悦约",
        templates: dict[str, int] | None = None,
        param_limit: int = 12,
    ) -> None:
        self.secret_id, self.secret_key = secret_id, secret_key
        self.sdk_app_id, self.sign_name = sdk_app_id, sign_name
        # Approved template id → how many parameters ({1}, {2}, …) it has.
        self.templates = templates if templates is not None else {}
        self.param_limit = param_limit
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.sent: list[dict] = []
        self.phone_codes: list[str] = []
        self.request_errors: list[str] = []
        self.http_statuses: list[int] = []
        self.serial = 0
        # Seconds Tencent's clock is ahead of ours (a server whose clock drifted).
        self.clock_skew = 0

    # -- what Tencent computes --------------------------------------------------------------
    def expected_signature(self, headers: dict[str, str], body: bytes, date: str) -> str:
        signed = "content-type;host"
        canonical_headers = (
            f"content-type:{headers.get('content-type', '')}\nhost:{headers.get('host', '')}\n"
        )
        canonical = "\n".join(
            ["POST", "/", "", canonical_headers, signed, hashlib.sha256(body).hexdigest()]
        )
        to_sign = "\n".join(
            [
                "TC3-HMAC-SHA256",
                headers.get("x-tc-timestamp", ""),
                f"{date}/sms/tc3_request",
                hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            ]
        )
        key = _hmac(("TC3" + self.secret_key).encode("utf-8"), date)
        key = _hmac(key, "sms")
        key = _hmac(key, "tc3_request")
        return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()

    def check_request(self, headers: dict[str, str], body: bytes) -> str | None:
        """The request-level error Tencent would answer, or None."""
        auth = AUTH.match(headers.get("authorization", ""))
        if auth is None:
            return "AuthFailure.SignatureFailure"
        if auth["id"] != self.secret_id:
            return "AuthFailure.SecretIdNotFound"
        try:
            timestamp = int(headers.get("x-tc-timestamp", ""))
        except ValueError:
            return "AuthFailure.SignatureFailure"
        if abs(time.time() + self.clock_skew - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        if (
            auth["service"] != "sms"
            or auth["date"] != date
            or auth["signed"] != "content-type;host"
        ):
            return "AuthFailure.SignatureFailure"
        if not hmac.compare_digest(auth["signature"], self.expected_signature(headers, body, date)):
            return "AuthFailure.SignatureFailure"
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return "InvalidAction"
        if not headers.get("x-tc-region"):
            return "InvalidParameter"
        return None

    def answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if self.http_statuses:
                return self.http_statuses.pop(0), {}
            queued_error = self.request_errors.pop(0) if self.request_errors else None
        request_id = f"req-{len(self.requests)}"
        error = self.check_request(headers, body) or queued_error
        if error is None:
            try:
                payload = json.loads(body)
            except ValueError:
                error = "FailedOperation.JsonParseFail"
        if error is not None:
            return 200, {
                "Response": {
                    "Error": {"Code": error, "Message": MESSAGES.get(error, error)},
                    "RequestId": request_id,
                }
            }
        return 200, {
            "Response": {
                "SendStatusSet": [
                    self._status(payload, phone) for phone in payload["PhoneNumberSet"]
                ],
                "RequestId": request_id,
            }
        }

    def _status(self, payload: dict, phone: str) -> dict:
        code = self._check_payload(payload, phone)
        with self.lock:
            if code == "Ok" and self.phone_codes:
                code = self.phone_codes.pop(0)
            serial = ""
            if code == "Ok":
                self.serial += 1
                serial = f"2433:{self.serial:010d}"
                self.sent.append({"phone": phone, **payload})
        return {
            "SerialNo": serial,
            "PhoneNumber": phone,
            "Fee": 1 if code == "Ok" else 0,
            "SessionContext": payload.get("SessionContext", ""),
            "Code": code,
            "Message": MESSAGES.get(code, code),
            "IsoCode": "CN" if phone.startswith("+86") else "",
        }

    def _check_payload(self, payload: dict, phone: str) -> str:
        if payload.get("SmsSdkAppId") != self.sdk_app_id:
            return "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
        if payload.get("SignName") != self.sign_name:
            return "FailedOperation.SignatureIncorrectOrUnapproved"
        count = self.templates.get(payload.get("TemplateId", ""))
        if count is None:
            return "FailedOperation.TemplateIncorrectOrUnapproved"
        params = payload.get("TemplateParamSet") or []
        if len(params) != count or not all(isinstance(p, str) for p in params):
            return "InvalidParameterValue.TemplateParameterFormatError"
        if any(len(p) > self.param_limit for p in params):
            return "InvalidParameterValue.TemplateParameterLengthLimit"
        if not E164.match(phone):
            return "InvalidParameterValue.IncorrectPhoneNumber"
        return "Ok"


def serve(standin: TencentStandin) -> tuple[ThreadingHTTPServer, str]:
    """Start the stand-in on a free loopback port; returns the server and its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, data = standin.answer(headers, body)
            raw = json.dumps(data, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
