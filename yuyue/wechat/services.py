"""Writes of the WeChat app: log in with wx.login's code, bind a phone, record consents.

Calls to WeChat happen before the transaction that records their outcome, so no database
lock is held while waiting on the network.
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.accounts.phone import normalize_phone
from yuyue.accounts.services import IssuedToken, token_issue
from yuyue.lib.errors import InvalidInput
from yuyue.wechat import client
from yuyue.wechat.errors import (
    CODE_ERRORS,
    RATE_ERRORS,
    AccountNotClaimable,
    PhoneBoundElsewhere,
    WeChatBusy,
    WeChatCodeInvalid,
    WeChatError,
    WeChatNotConfigured,
    WeChatUnavailable,
    WeChatUnreachable,
)
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity
from yuyue.wechat.selectors import known_templates, wechat_enabled
from yuyue.wechat.tokens import with_access_token

# What wx.requestSubscribeMessage reports per template.
ANSWERS = frozenset({"accept", "reject", "ban", "filter"})
MAX_TEMPLATES_PER_REPORT = 20


@dataclass(frozen=True)
class WeChatLogin:
    issued: IssuedToken
    identity: WeChatIdentity
    created: bool


def _ask_wechat(call, *args, **kwargs) -> dict:
    """Run a call to WeChat, turning its failures into the refusals a client understands."""
    if not wechat_enabled():
        raise WeChatNotConfigured()
    try:
        return call(*args, **kwargs)
    except WeChatError as error:
        if error.errcode in CODE_ERRORS:
            raise WeChatCodeInvalid() from None
        if error.errcode in RATE_ERRORS:
            raise WeChatBusy() from None
        raise WeChatUnavailable() from None
    except WeChatUnreachable:
        raise WeChatUnavailable() from None


def _new_username() -> str:
    return f"wx_{secrets.token_hex(6)}"


def wechat_login(*, code: str, language: str = "", actor: User | None = None) -> WeChatLogin:
    """Exchange wx.login's `code` for the WeChat user's openid, and log that user in.

    A first visit creates an account without a password (it logs in through WeChat only);
    a unionid already linked in another app of the same WeChat account finds its owner.
    `actor` is None: whoever holds a valid code is, by WeChat's word, that user.
    """
    session = _ask_wechat(client.jscode2session, code)
    openid, unionid = str(session.get("openid", "")), str(session.get("unionid", ""))
    if not openid:
        raise WeChatUnavailable()
    appid = settings.WECHAT_APPID
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _login(appid=appid, openid=openid, unionid=unionid, language=language)
        except IntegrityError:
            # Two logins of a new user at once: the second finds the first's identity.
            continue
    raise WeChatUnavailable()


def _login(*, appid: str, openid: str, unionid: str, language: str) -> WeChatLogin:
    identity = (
        WeChatIdentity.objects.select_related("user").filter(appid=appid, openid=openid).first()
    )
    created = identity is None
    if identity is None:
        sibling = (
            WeChatIdentity.objects.select_related("user").filter(unionid=unionid).first()
            if unionid
            else None
        )
        if sibling is not None:
            user = sibling.user
        else:
            user = User(username=_new_username())
            if language in dict(User._meta.get_field("language").choices):
                user.language = language
            user.set_unusable_password()
            user.save(force_insert=True)
        identity = WeChatIdentity.objects.create(
            appid=appid, openid=openid, unionid=unionid, user=user
        )
    elif unionid and identity.unionid != unionid:
        identity.unionid = unionid
        identity.save(update_fields=["unionid", "updated_at"])
    if not identity.user.is_active:
        raise AccountNotClaimable(_("This account is deactivated."))
    return WeChatLogin(issued=token_issue(user=identity.user), identity=identity, created=created)


def wechat_phone_bind(*, actor: User, code: str) -> IssuedToken:
    """Put the phone number WeChat vouches for (the phone button's `code`) on the actor's
    account.

    Another account with the same number is never taken over, whoever made it: a number typed
    at registration proves nothing, so that account stays its holder's. A number already on
    an account of another WeChat user of this app is refused. The businesses' customer
    records with this number are linked by the caller (`customer_link_verified_phone`).
    """
    if not wechat_enabled():
        raise WeChatNotConfigured()
    answer = _ask_wechat(
        with_access_token, lambda token: client.user_phone_number(code=code, access_token=token)
    )
    info = answer.get("phone_info") or {}
    raw = f"+{info.get('countryCode', '86')}{info.get('purePhoneNumber', '')}"
    try:
        phone = normalize_phone(raw)
    except ValidationError:
        raise InvalidInput(
            {"code": [_("WeChat returned a phone number that is not valid.")]}
        ) from None
    with transaction.atomic():
        return _bind(actor=actor, phone=phone)


def _bind(*, actor: User, phone: str) -> IssuedToken:
    appid = settings.WECHAT_APPID
    identity = WeChatIdentity.objects.select_for_update().filter(appid=appid, user=actor).first()
    if identity is None:
        raise AccountNotClaimable(_("Log in with WeChat before binding a phone number."))
    if actor.phone == phone:
        return token_issue(user=actor)
    if (
        WeChatIdentity.objects.filter(appid=appid, user__phone=phone, user__is_active=True)
        .exclude(user=actor)
        .exists()
    ):
        raise PhoneBoundElsewhere()
    actor.phone = phone
    actor.save(update_fields=["phone"])
    return token_issue(user=actor)


@transaction.atomic
def subscribe_consent_record(*, actor: User, results: Mapping[str, str]) -> list[SubscribeConsent]:
    """Record what wx.requestSubscribeMessage reported: each "accept" allows one more message.

    `results` maps template id → "accept" | "reject" | "ban" | "filter". "ban" (the user
    turned the template off in WeChat's settings) also clears what was left.
    """
    templates = known_templates()
    if not results:
        raise InvalidInput({"results": [_("Report at least one template.")]})
    if len(results) > MAX_TEMPLATES_PER_REPORT:
        raise InvalidInput(
            {"results": [_("At most %(n)d templates.") % {"n": MAX_TEMPLATES_PER_REPORT}]}
        )
    for template_id, answer in results.items():
        if template_id not in templates:
            raise InvalidInput(
                {
                    "results": [
                        _("Not a template of this mini program: %(t)s.") % {"t": template_id[:64]}
                    ]
                }
            )
        if answer not in ANSWERS:
            raise InvalidInput({"results": [_("Unknown answer: %(a)s.") % {"a": answer[:20]}]})
    consents = []
    for template_id, answer in sorted(results.items()):
        consent, _created = SubscribeConsent.objects.select_for_update().get_or_create(
            user=actor, template_id=template_id
        )
        consent.last_answer = answer
        if answer == "accept":
            consent.remaining += 1
            consent.accepted_total += 1
        elif answer == "ban":
            consent.remaining = 0
        consent.save()
        consents.append(consent)
    return consents


@transaction.atomic
def subscribe_consent_use(*, user: User, template_id: str) -> bool:
    """Use one consent for a message sent; False when none was left."""
    return bool(
        SubscribeConsent.objects.filter(user=user, template_id=template_id, remaining__gt=0).update(
            remaining=F("remaining") - 1
        )
    )


@transaction.atomic
def subscribe_consent_clear(*, user: User, template_id: str) -> None:
    """WeChat says the user has no consent left (43101): ours agrees from now on."""
    SubscribeConsent.objects.filter(user=user, template_id=template_id).update(remaining=0)
