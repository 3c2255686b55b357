"""Reads about WeChat identities and consents."""

from django.conf import settings

from yuyue.accounts.models import User
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity

# Which template each kind of message uses.
PURPOSE_OF_KIND = {
    "booked": "confirmation",
    "confirmed": "confirmation",
    "reminder": "reminder",
    "rescheduled": "change",
    "cancelled": "change",
    # Owners and staff who chose the mini program hear of bookings with the customers' templates.
    "staff_new_booking": "confirmation",
    "staff_cancelled": "change",
}


def wechat_enabled() -> bool:
    return bool(settings.WECHAT_APPID and settings.WECHAT_SECRET)


def template_for_kind(kind: str) -> str:
    """The template id configured for this kind of message, or "" when there is none."""
    purpose = PURPOSE_OF_KIND.get(kind)
    return settings.WECHAT_TEMPLATE_IDS.get(purpose, "") if purpose else ""


def known_templates() -> set[str]:
    return {template for template in settings.WECHAT_TEMPLATE_IDS.values() if template}


def identity_of(user: User) -> WeChatIdentity | None:
    if not wechat_enabled():
        return None
    return WeChatIdentity.objects.filter(appid=settings.WECHAT_APPID, user=user).first()


def consents_left(*, user: User, template_id: str) -> int:
    consent = SubscribeConsent.objects.filter(user=user, template_id=template_id).first()
    return consent.remaining if consent else 0
