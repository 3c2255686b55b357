"""Text messages (SMS, mini-program) go through a provider chosen by NOTIFY_SMS_PROVIDER.

`console` writes them to the log (the embedded default): nothing is sent, and the message log
says so ("logged only — not sent"). `tencent` sends them through Tencent Cloud SMS
(notifications/tencent.py). `webhook` POSTs JSON
`{to, template, params, message_id}` to NOTIFY_WEBHOOK_URL for a gateway that knows the SMS
vendor's or WeChat's API. The request carries `X-Yuyue-Timestamp` and `X-Yuyue-Signature:
sha256=<hex>`, an HMAC-SHA256 with NOTIFY_WEBHOOK_SECRET over "<timestamp>.<body>", so the
gateway can refuse forged or replayed requests. 2xx = sent, 4xx = failed (except 408 and 429,
which retry), 5xx and timeouts = retry.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

from yuyue.notifications.errors import PermanentFailure, TemporaryFailure
from yuyue.notifications.tencent import TencentSmsProvider, parse_templates

logger = logging.getLogger("yuyue.notifications")
RETRYABLE_4XX = frozenset({408, 425, 429})
MAX_ERROR_BODY = 300


class TextProvider(Protocol):
    # False for a provider that only writes the text down: the log then says "not sent".
    delivers: bool

    def send(self, *, to: str, template: str, params: dict[str, str], message_id: str) -> str:
        """Deliver one message; returns the provider's id for it (may be empty).

        Raises TemporaryFailure or PermanentFailure.
        """


class ConsoleProvider:
    delivers = False

    def send(self, *, to: str, template: str, params: dict[str, str], message_id: str) -> str:
        logger.info(
            "text message %s to %s (%s): %s", message_id, to, template, params.get("text", "")
        )
        return ""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class WebhookProvider:
    delivers = True

    def __init__(self, *, url: str, secret: str, timeout: float) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout

    def send(self, *, to: str, template: str, params: dict[str, str], message_id: str) -> str:
        body = json.dumps(
            {"to": to, "template": template, "params": params, "message_id": message_id},
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "yuyue-notifications",
                "X-Yuyue-Message-Id": message_id,
                "X-Yuyue-Timestamp": timestamp,
                "X-Yuyue-Signature": signature(self.secret, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(64 * 1024)
        except urllib.error.HTTPError as error:
            detail = error.read(MAX_ERROR_BODY).decode("utf-8", "replace")
            reason = f"HTTP {error.code} {detail}".strip()
            if 400 <= error.code < 500 and error.code not in RETRYABLE_4XX:
                raise PermanentFailure(reason) from None
            raise TemporaryFailure(reason) from None
        except (urllib.error.URLError, OSError) as error:
            # Connection refused, DNS, and timeouts (TimeoutError is an OSError).
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from None
        return _provider_id(answer)


def _provider_id(answer: bytes) -> str:
    """The gateway's id for the message, when it answers JSON with an "id"."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return ""
    return str(data.get("id", ""))[:200] if isinstance(data, dict) else ""


def text_provider() -> TextProvider:
    if settings.NOTIFY_SMS_PROVIDER == "tencent":
        return TencentSmsProvider(
            secret_id=settings.TENCENT_SMS_SECRET_ID,
            secret_key=settings.TENCENT_SMS_SECRET_KEY,
            sdk_app_id=settings.TENCENT_SMS_SDK_APP_ID,
            sign_name=settings.TENCENT_SMS_SIGN_NAME,
            region=settings.TENCENT_SMS_REGION,
            endpoint=settings.TENCENT_SMS_ENDPOINT,
            templates=parse_templates(settings.TENCENT_SMS_TEMPLATES),
            param_max_length=settings.TENCENT_SMS_PARAM_MAX_LENGTH,
            timeout=settings.TENCENT_SMS_TIMEOUT,
        )
    if settings.NOTIFY_SMS_PROVIDER == "webhook":
        return WebhookProvider(
            url=settings.NOTIFY_WEBHOOK_URL,
            secret=settings.NOTIFY_WEBHOOK_SECRET,
            timeout=settings.NOTIFY_WEBHOOK_TIMEOUT,
        )
    return ConsoleProvider()


def texts_only_logged() -> bool:
    """True when text messages are written to the log instead of sent (the console provider)."""
    return settings.NOTIFY_SMS_PROVIDER == "console"
