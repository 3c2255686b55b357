"""Tencent Cloud SMS: API 2021-01-11 `SendSms`, signed with TC3-HMAC-SHA256, over urllib.

China sends only pre-approved templates with numbered parameters ({1}, {2}, …): each kind of
message names its template (TENCENT_SMS_TEMPLATE_<KIND>) and which of the message's values
fill the parameters, in order (TEMPLATE_FIELDS, or "<id>:<field>,<field>" in the setting).
Values are cut to TENCENT_SMS_PARAM_MAX_LENGTH characters: Tencent limits a parameter to 12
characters on individually verified accounts and leaves enterprise accounts to the 500
characters of the whole message; a verification code is at most 6 digits.

One phone per request. Tencent's answer becomes an outcome of the outbox:
- per phone (`SendStatusSet[].Code`): "Ok" is sent; the per-phone daily caps and a phone on
  Tencent's blacklist skip the message (retrying today cannot help, tomorrow is too late);
  the 30-second and hourly caps, app-wide caps, an empty SMS package and Tencent's internal
  errors retry; anything else (an unapproved template or signature, an invalid number, a
  parameter Tencent refuses) fails it, with Tencent's code and message as the reason;
- per request (`Response.Error`): the same table; AuthFailure.* (wrong or expired keys, a
  clock off by more than five minutes) and RequestLimitExceeded retry, so what queued while
  the operator fixes the keys still goes;
- no answer, a broken answer, HTTP 5xx/408/429: retry; another HTTP 4xx: fail.

The signing follows Tencent's "Signature v3": CanonicalRequest =
POST\\n/\\n\\ncontent-type:application/json; charset=utf-8\\nhost:<host>\\n\\ncontent-type;host\\n
hex(sha256(body)); StringToSign = TC3-HMAC-SHA256\\n<timestamp>\\n<date>/sms/tc3_request\\n
hex(sha256(CanonicalRequest)); the key is HMAC("TC3"+SecretKey, date) → "sms" →
"tc3_request", with <date> the UTC date of the timestamp.
"""

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.utils import timezone

from yuyue.notifications import errors
from yuyue.notifications.errors import PermanentFailure, Skipped, TemporaryFailure

logger = logging.getLogger("yuyue.notifications")

SERVICE = "sms"
ACTION = "SendSms"
VERSION = "2021-01-11"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
MAX_CODE_LENGTH = 6
MAX_ANSWER = 64 * 1024
MAX_REASON = 300
RETRYABLE_HTTP = frozenset({408, 425, 429})

# Which of a message's values fill its template's {1}, {2}, … (the values: see
# notifications/texts.py text_params; a code's: code, minutes).
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("code", "minutes"),
    "booked": ("business", "service", "time"),
    "confirmed": ("business", "service", "time"),
    "rescheduled": ("business", "service", "time", "old_time"),
    "cancelled": ("business", "service", "time"),
    "reminder": ("business", "service", "time", "location"),
    "staff_new_booking": ("customer", "service", "time"),
    "staff_cancelled": ("customer", "service", "time"),
}
DEFAULT_FIELDS = ("business", "service", "time")

# Tencent's codes whose outcome is not the default of their family (see `outcome`).
SKIP = frozenset(
    {
        "LimitExceeded.PhoneNumberDailyLimit",
        "LimitExceeded.PhoneNumberSameContentDailyLimit",
        "FailedOperation.PhoneNumberInBlacklist",
    }
)
RETRY = frozenset(
    {
        "FailedOperation.InsufficientBalanceInSmsPackage",
        "FailedOperation.MarketingSendTimeConstraint",
        "FailedOperation.JsonParseFail",
    }
)
RETRY_FAMILIES = (
    "AuthFailure",
    "InternalError",
    "LimitExceeded",
    "RequestLimitExceeded",
    "ResourceUnavailable",
    "ServiceUnavailable",
)
WAIT = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": dt.timedelta(seconds=30),
    "LimitExceeded.PhoneNumberOneHourLimit": dt.timedelta(hours=1),
}


@dataclasses.dataclass(frozen=True)
class Template:
    id: str
    fields: tuple[str, ...]


def parse_templates(raw: dict[str, str]) -> dict[str, Template]:
    """`{kind: "<id>"}` or `{kind: "<id>:<field>,<field>"}` → the kind's template and fields.

    Raises ValueError naming the kind when a value is malformed.
    """
    templates = {}
    for kind, value in raw.items():
        template_id, _, fields_text = value.strip().partition(":")
        template_id = template_id.strip()
        fields = tuple(f.strip() for f in fields_text.split(",") if f.strip())
        if not template_id or (fields_text and not fields):
            raise ValueError(f"TENCENT_SMS_TEMPLATE_{kind.upper()} must be <id> or <id>:fields")
        templates[kind] = Template(template_id, fields or TEMPLATE_FIELDS.get(kind, DEFAULT_FIELDS))
    return templates


def cut(value: str, limit: int) -> str:
    """One parameter as Tencent takes it: one line, at most `limit` characters."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…" if limit > 1 else text[:limit]


def template_params(template: Template, params: dict[str, str], *, limit: int) -> list[str]:
    values = []
    for field in template.fields:
        value = params.get(field, "")
        if field == "code":
            values.append(str(value)[:MAX_CODE_LENGTH])
        else:
            values.append(cut(value, limit))
    return values


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_signature(*, secret_key: str, host: str, timestamp: int, body: bytes) -> str:
    """The hex signature of a POST of `body` to `host` at `timestamp` (seconds, UTC)."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{CONTENT_TYPE}\nhost:{host}\n",
            "content-type;host",
            _sha256_hex(body),
        ]
    )
    string_to_sign = "\n".join(
        [
            ALGORITHM,
            str(timestamp),
            f"{date}/{SERVICE}/tc3_request",
            _sha256_hex(canonical_request.encode()),
        ]
    )
    key = _hmac(("TC3" + secret_key).encode(), date)
    key = _hmac(key, SERVICE)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(
    *, secret_id: str, secret_key: str, host: str, timestamp: int, body: bytes
) -> str:
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    signature = tc3_signature(secret_key=secret_key, host=host, timestamp=timestamp, body=body)
    return (
        f"{ALGORITHM} Credential={secret_id}/{date}/{SERVICE}/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def outcome(code: str, message: str) -> Exception:
    """The outbox's exception for one of Tencent's error codes (never called for "Ok")."""
    reason = f"Tencent SMS {code}: {message}".strip()[:MAX_REASON]
    family = code.split(".", 1)[0]
    if code in SKIP:
        return Skipped(reason)
    if code in WAIT:
        return TemporaryFailure(reason, not_before=timezone.now() + WAIT[code])
    if code in RETRY or family in RETRY_FAMILIES:
        return TemporaryFailure(reason)
    return PermanentFailure(reason)


class TencentSmsProvider:
    """Sends a text through Tencent Cloud SMS; see the module's docstring for the outcomes."""

    delivers = True

    def __init__(
        self,
        *,
        secret_id: str,
        secret_key: str,
        sdk_app_id: str,
        sign_name: str,
        region: str,
        endpoint: str,
        templates: dict[str, Template],
        param_max_length: int,
        timeout: float,
    ) -> None:
        self.secret_id, self.secret_key = secret_id, secret_key
        self.sdk_app_id, self.sign_name, self.region = sdk_app_id, sign_name, region
        self.endpoint = endpoint.rstrip("/") + "/"
        self.host = urllib.parse.urlsplit(self.endpoint).netloc
        self.templates, self.limit, self.timeout = templates, param_max_length, timeout

    def send(self, *, to: str, template: str, params: dict[str, str], message_id: str) -> str:
        chosen = self.templates.get(template)
        if chosen is None:
            raise Skipped(errors.NO_SMS_TEMPLATE)
        payload = {
            "PhoneNumberSet": [to],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name,
            "TemplateId": chosen.id,
            "TemplateParamSet": template_params(chosen, params, limit=self.limit),
            # Tencent echoes it back: the outbox's id for matching delivery receipts later.
            "SessionContext": message_id[:500],
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        response = self._post(body)
        status = _status_for(response, to)
        code = str(status.get("Code", ""))
        if code != "Ok":
            raise outcome(code, str(status.get("Message", "")))
        return str(status.get("SerialNo", ""))[:200]

    def _post(self, body: bytes) -> dict:
        timestamp = int(time.time())
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={
                "Content-Type": CONTENT_TYPE,
                "Host": self.host,
                "User-Agent": "yuyue-notifications",
                "X-TC-Action": ACTION,
                "X-TC-Version": VERSION,
                "X-TC-Timestamp": str(timestamp),
                "X-TC-Region": self.region,
                "Authorization": authorization(
                    secret_id=self.secret_id,
                    secret_key=self.secret_key,
                    host=self.host,
                    timestamp=timestamp,
                    body=body,
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                raw = answer.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            detail = error.read(MAX_REASON).decode("utf-8", "replace")
            reason = f"Tencent SMS HTTP {error.code} {detail}".strip()[:MAX_REASON]
            if 400 <= error.code < 500 and error.code not in RETRYABLE_HTTP:
                raise PermanentFailure(reason) from None
            raise TemporaryFailure(reason) from None
        except (urllib.error.URLError, OSError) as error:
            # Connection refused, DNS, and timeouts (TimeoutError is an OSError).
            raise TemporaryFailure(f"Tencent SMS {type(error).__name__}: {error}") from None
        try:
            data = json.loads(raw)
            response = data["Response"]
        except (ValueError, KeyError, TypeError):
            raise TemporaryFailure("Tencent SMS answered something that is not its JSON.") from None
        if not isinstance(response, dict):
            raise TemporaryFailure("Tencent SMS answered something that is not its JSON.")
        refusal = response.get("Error")
        if isinstance(refusal, dict):
            code, message = str(refusal.get("Code", "")), str(refusal.get("Message", ""))
            logger.warning("Tencent SMS refused the request: %s %s", code, message)
            raise outcome(code, message)
        return response


def _status_for(response: dict, phone: str) -> dict:
    statuses = response.get("SendStatusSet")
    if not isinstance(statuses, list) or not statuses:
        raise TemporaryFailure("Tencent SMS answered without a status for the phone.")
    for status in statuses:
        if isinstance(status, dict) and status.get("PhoneNumber") == phone:
            return status
    first = statuses[0]
    return first if isinstance(first, dict) else {}
