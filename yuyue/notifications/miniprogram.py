"""The mini-program channel: WeChat subscribe messages, within the consents users gave.

A one-time subscription allows one message. When messages are queued, the mini program is
chosen for a kind only while the recipient has consents left that no queued message has
already counted on (`MiniProgramBudget`); otherwise the usual channel carries it. At send time
the template's values are made valid first (WeChat refuses invalid ones with 47003), a
missing consent (ours, or WeChat's 43101) skips the message for good, an expired token is
refreshed once, and busy / unreachable WeChat goes to the dispatcher's backoff.
"""

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.conf import settings
from django.utils import translation

from yuyue.accounts.models import User
from yuyue.notifications import errors
from yuyue.notifications.context import message_context
from yuyue.notifications.errors import PermanentFailure, Skipped, TemporaryFailure
from yuyue.notifications.models import Notification
from yuyue.wechat import client
from yuyue.wechat.errors import RATE_ERRORS, TOKEN_ERRORS, WeChatError, WeChatUnreachable
from yuyue.wechat.models import SubscribeConsent
from yuyue.wechat.selectors import identity_of, template_for_kind, wechat_enabled
from yuyue.wechat.services import subscribe_consent_clear, subscribe_consent_use
from yuyue.wechat.tokens import with_access_token

LIVE = (Notification.Status.PENDING, Notification.Status.SENDING)
# Status words for `phrase` keys: at most five Chinese characters whatever the language.
PHRASES = {
    "booked": "预约成功",
    "confirmed": "已确认",
    "reminder": "即将开始",
    "rescheduled": "已改期",
    "cancelled": "已取消",
}
PENDING_PHRASE = "待确认"
CJK = re.compile(r"[\u4e00-\u9fff]")
THING_LIMIT, STRING_LIMIT, PHRASE_LIMIT = 20, 32, 5


class MiniProgramBudget:
    """How many more mini-program messages each template may carry for one recipient."""

    def __init__(self, user: User | None) -> None:
        self.left: Counter = Counter()
        if user is None or not wechat_enabled() or identity_of(user) is None:
            return
        for consent in SubscribeConsent.objects.filter(user=user, remaining__gt=0):
            self.left[consent.template_id] += consent.remaining
        queued = Notification.objects.filter(
            recipient=user, channel=Notification.Channel.MINIPROGRAM, status__in=LIVE
        ).values_list("kind", flat=True)
        for kind in queued:
            self.left[template_for_kind(kind)] -= 1

    def take(self, kind: str) -> bool:
        template = template_for_kind(kind)
        if not template or self.left[template] <= 0:
            return False
        self.left[template] -= 1
        return True


# Making values valid ---------------------------------------------------------------------------


def _cut(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def wechat_time(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """WeChat's time format, in `zone` (the appointment's): 2026年12月2日 14:00."""
    local = moment.astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def valid_value(key: str, value: Any) -> str:
    """`value` shaped to the rules of the key's type (thing1 → thing), never empty."""
    kind = re.sub(r"\d+$", "", key)
    text = str(value or "").strip()
    if kind in {"time", "date"}:
        return text or "-"
    if kind == "phrase":
        chinese = "".join(CJK.findall(text))[:PHRASE_LIMIT]
        return chinese or "已更新"
    if kind == "character_string":
        return "".join(ch for ch in text if "\x21" <= ch <= "\x7e")[:STRING_LIMIT] or "-"
    if kind in {"number"}:
        return "".join(ch for ch in text if ch.isdigit() or ch == ".")[:STRING_LIMIT] or "0"
    if kind == "letter":
        return "".join(ch for ch in text if ch.isascii() and ch.isalpha())[:STRING_LIMIT] or "x"
    if kind == "name":
        return _cut(text, 10 if CJK.search(text) else 20) or "-"
    if kind == "phone_number":
        return "".join(ch for ch in text if ch.isdigit() or ch in "+-")[:17] or "-"
    if kind == "amount":
        number = re.search(r"\d{1,10}(\.\d{1,2})?", text)
        return f"¥{number.group(0)}" if number else "¥0"
    return _cut(text, THING_LIMIT) or "-"


# The staff's notices fill the template of the customer's message they share it with.
FIELDS_OF_KIND = {"staff_new_booking": "booked", "staff_cancelled": "cancelled"}


def template_sources(kind: str) -> dict[str, str]:
    """key → source name, from settings: "thing1=service,time2=start"."""
    fields = settings.WECHAT_TEMPLATE_FIELDS
    spec = fields.get(kind) or fields.get(FIELDS_OF_KIND.get(kind, ""), "")
    pairs = (item.split("=", 1) for item in spec.split(","))
    return {key.strip(): source.strip() for key, source in (p for p in pairs if len(p) == 2)}


def template_data(notification: Notification) -> dict[str, dict[str, str]]:
    appointment = notification.appointment
    # The mini program carries no agenda (notice_channels): every row here is about one.
    assert appointment is not None and notification.event is not None
    zone = appointment.zone
    with translation.override(notification.language):
        context = message_context(notification)
    old_start = (notification.event.data.get("old") or {}).get("start")
    status = PHRASES.get(FIELDS_OF_KIND.get(notification.kind, notification.kind), "")
    if notification.kind == "booked" and context["pending"]:
        status = PENDING_PHRASE
    values = {
        "service": context["service"],
        "start": wechat_time(appointment.start, zone),
        "end": wechat_time(appointment.end, zone),
        "old_start": wechat_time(dt.datetime.fromisoformat(old_start), zone) if old_start else "",
        "location": context["location"] or context["business"],
        "address": context["address"] or context["location"] or context["business"],
        "staff": context["staff"],
        "business": context["business"],
        "status": status,
        "reason": context["reason"] or "-",
        "customer": context["customer"],
        "price": context["price"],
        "appointment": appointment.public_id,
    }
    return {
        key: {"value": valid_value(key, values.get(source, ""))}
        for key, source in template_sources(notification.kind).items()
    }


# Sending ---------------------------------------------------------------------------------------


def miniprogram_send(notification: Notification) -> tuple[str, str]:
    """Send one subscribe message; returns (openid, msgid). Raises the dispatcher's errors."""
    if not wechat_enabled():
        raise PermanentFailure(errors.WECHAT_OFF)
    user = notification.recipient
    identity = identity_of(user) if user is not None else None
    if user is None or identity is None:
        raise PermanentFailure(errors.NO_WECHAT)
    template = template_for_kind(notification.kind)
    if not template:
        raise PermanentFailure(errors.NO_TEMPLATE)
    if not SubscribeConsent.objects.filter(
        user=user, template_id=template, remaining__gt=0
    ).exists():
        raise Skipped(errors.NO_CONSENT)
    if notification.appointment is None:
        raise PermanentFailure(errors.NO_TEMPLATE)
    message = {
        "touser": identity.openid,
        "template_id": template,
        "page": f"pages/appointment/appointment?id={notification.appointment.public_id}",
        "data": template_data(notification),
        "miniprogram_state": settings.WECHAT_MINIPROGRAM_STATE,
        "lang": "en_US" if notification.language == "en" else "zh_CN",
    }
    try:
        answer = with_access_token(
            lambda token: client.subscribe_message_send(access_token=token, message=message)
        )
    except WeChatUnreachable as error:
        raise TemporaryFailure(str(error)) from None
    except WeChatError as error:
        reason = f"WeChat errcode {error.errcode}: {error.errmsg}"[:500]
        if error.errcode == 43101:
            subscribe_consent_clear(user=user, template_id=template)
            raise Skipped(errors.WECHAT_REFUSED) from None
        if error.errcode in TOKEN_ERRORS or error.errcode in RATE_ERRORS:
            raise TemporaryFailure(reason) from None
        raise PermanentFailure(reason) from None
    subscribe_consent_use(user=user, template_id=template)
    return identity.openid, str(answer.get("msgid", ""))
