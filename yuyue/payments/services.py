"""Every write to money: paying online, WeChat Pay's notifications, refunds, the counter.

Each write that moves money locks the appointment row first (the lock the booking services
take for a status change), then its payment account, then the order or refund; it writes the
ledger entry and the account's totals in that one transaction (docs/payments.md#the-ledger).
Calls to WeChat Pay happen outside any transaction.
"""

import datetime as dt
import json
import logging
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.errors import InvalidTransition
from yuyue.bookings.lock_objects import appointment_for_update
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import appointment_mark_paid, appointment_note_paid_late
from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_role
from yuyue.lib.audit import audit
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.lib.writers import writer_turn
from yuyue.payments import hooks, policy, wechatpay
from yuyue.payments.errors import (
    NothingToPay,
    NotifyRefused,
    PaymentsNotConfigured,
    PaymentUnavailable,
)
from yuyue.payments.models import (
    COUNTER_CHANNELS,
    ZERO,
    Method,
    Order,
    PaymentAccount,
    PaymentEntry,
    Refund,
    SeenNotification,
)
from yuyue.wechat.models import WeChatIdentity

logger = logging.getLogger("yuyue.payments")
NOTIFY_PATH = "/api/v1/payments/wechat/notify"
MAX_NOTIFY_BYTES = 16 * 1024
MAX_NOTE_LENGTH = 200
# Pending refunds WeChat Pay has not answered for this long are asked again (same number).
REFUND_RETRY_AFTER = dt.timedelta(minutes=2)
# Our order and refund numbers as WeChat Pay allows them, and WeChat Pay's nonces: checked
# before any query, so nothing odd (a NUL, which PostgreSQL refuses) reaches the database.
MERCHANT_NUMBER = re.compile(r"[0-9A-Za-z_\-|*@]{1,64}")
NONCE = re.compile(r"[0-9A-Za-z_\-]{1,64}")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def notify_url() -> str:
    return settings.YUYUE_PUBLIC_URL + NOTIFY_PATH


def _account_for_update(appointment: Appointment) -> PaymentAccount:
    """The appointment's account, locked; the caller holds the appointment's row lock, so
    only one transaction can be creating it."""
    account, _created = PaymentAccount.objects.get_or_create(
        appointment=appointment, defaults={"currency": appointment.currency}
    )
    return PaymentAccount.objects.select_for_update().get(pk=account.pk)


def _new_number(prefix: str, appointment: Appointment) -> str:
    # At most 32 characters of [0-9A-Za-z], unguessable: WeChat Pay's rule for both numbers.
    return f"{prefix}{appointment.pk}x{secrets.token_hex(8)}"[:32]


@dataclass
class PayStart:
    order: Order
    code_url: str = ""
    jsapi: dict[str, str] = field(default_factory=dict)


def payment_start(
    *, appointment: Appointment, actor: User, method: str, now: dt.datetime | None = None
) -> PayStart:
    """Start paying a booking awaiting payment: the Native code_url, or the JSAPI parameters
    for wx.requestPayment. The customer only; an order still open for the same method is
    offered again rather than a second one made."""
    now = _now(now)
    if actor.pk != appointment.customer_id or not actor.is_active:
        raise NotAllowed()
    if not wechatpay.configured():
        raise PaymentsNotConfigured()
    if method not in Method.values:
        raise InvalidInput({"method": [_("Choose wechat_native or wechat_jsapi.")]})
    openid = ""
    if method == Method.WECHAT_JSAPI:
        # The payer's openid in the app that pays (WECHATPAY_APPID, the mini program's by default).
        identity = WeChatIdentity.objects.filter(appid=settings.WECHATPAY_APPID, user=actor).first()
        if identity is None:
            raise InvalidInput({"method": [_("Log in with WeChat to pay in the mini program.")]})
        openid = identity.openid
    with writer_turn(), transaction.atomic():
        locked = appointment_for_update(appointment)
        if locked.status != Status.AWAITING_PAYMENT or locked.pay_by is None:
            raise NothingToPay()
        if locked.pay_by <= now:
            raise InvalidTransition(_("The time to pay has passed; please book again."))
        account = _account_for_update(locked)
        due = locked.online_due - account.paid
        if due <= 0:
            raise NothingToPay()
        order = (
            Order.objects.filter(account=account, method=method, state=Order.State.OPEN)
            .exclude(code_url="", prepay_id="")
            .first()
        )
        if order is None:
            order = Order.objects.create(
                account=account,
                out_trade_no=_new_number("YY", locked),
                method=method,
                amount=due,
                expires_at=locked.pay_by,
            )
            reused = False
        else:
            reused = True
    if not reused:
        description = f"{locked.business.name} {locked.service.name}"
        terms = {
            "out_trade_no": order.out_trade_no,
            "description": description,
            "amount": order.amount,
            "expires_at": order.expires_at,
            "notify_url": notify_url(),
        }
        try:
            if method == Method.WECHAT_NATIVE:
                order.code_url = wechatpay.native_order(**terms)
            else:
                order.prepay_id = wechatpay.jsapi_order(openid=openid, **terms)
        except wechatpay.WeChatPayError as error:
            logger.warning("payments: ordering %s failed: %s", order.out_trade_no, error)
            raise PaymentUnavailable() from None
        order.save(update_fields=["code_url", "prepay_id", "updated_at"])
    if method == Method.WECHAT_NATIVE:
        return PayStart(order=order, code_url=order.code_url)
    return PayStart(order=order, jsapi=wechatpay.jsapi_parameters(order.prepay_id))


# Sales paid online (docs/cards.md#money) ------------------------------------------------


def _payer_openid(actor: User, method: str) -> str:
    if method not in Method.values:
        raise InvalidInput({"method": [_("Choose wechat_native or wechat_jsapi.")]})
    if method != Method.WECHAT_JSAPI:
        return ""
    # The payer's openid in the app that pays (WECHATPAY_APPID, the mini program's by default).
    identity = WeChatIdentity.objects.filter(appid=settings.WECHATPAY_APPID, user=actor).first()
    if identity is None:
        raise InvalidInput({"method": [_("Log in with WeChat to pay in the mini program.")]})
    return identity.openid


def sale_order_open(
    *,
    business: Business,
    actor: User,
    purpose: str,
    method: str,
    amount: Decimal,
    expires_at: dt.datetime,
) -> Order:
    """An order for something a business sells on its own, in the caller's transaction (the
    caller writes its own row naming the order in it). Anyone with an active account may buy;
    the caller checks what may be bought. WeChat Pay is asked by `sale_order_send`, after."""
    if not actor.is_active:
        raise NotAllowed()
    if not wechatpay.configured():
        raise PaymentsNotConfigured()
    _payer_openid(actor, method)
    with transaction.atomic():
        return Order.objects.create(
            business=business,
            purpose=purpose,
            out_trade_no=f"YS{business.pk}x{secrets.token_hex(8)}"[:32],
            method=method,
            amount=amount,
            expires_at=expires_at,
        )


def sale_order_send(*, order: Order, actor: User, description: str) -> PayStart:
    """Ask WeChat Pay for a sale's order (outside any transaction), once: an order already
    asked for is offered again."""
    if not wechatpay.configured():
        raise PaymentsNotConfigured()
    if not order.code_url and not order.prepay_id:
        openid = _payer_openid(actor, order.method)
        terms = {
            "out_trade_no": order.out_trade_no,
            "description": description[:127],
            "amount": order.amount,
            "expires_at": order.expires_at,
            "notify_url": notify_url(),
        }
        try:
            if order.method == Method.WECHAT_NATIVE:
                order.code_url = wechatpay.native_order(**terms)
            else:
                order.prepay_id = wechatpay.jsapi_order(openid=openid, **terms)
        except wechatpay.WeChatPayError as error:
            logger.warning("payments: ordering %s failed: %s", order.out_trade_no, error)
            raise PaymentUnavailable() from None
        order.save(update_fields=["code_url", "prepay_id", "updated_at"])
    if order.method == Method.WECHAT_NATIVE:
        return PayStart(order=order, code_url=order.code_url)
    return PayStart(order=order, jsapi=wechatpay.jsapi_parameters(order.prepay_id))


def _sale_record(*, order_id: int, transaction_id: str, now: dt.datetime) -> bool:
    """Record a sale's order as paid, once, and let the app that sold it finish the sale in
    the same transaction. A payment arriving after the order lapsed is recorded all the same:
    the money arrived, and the buyer gets what they paid for. True when this call recorded it."""
    with writer_turn(), transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("business")
            .get(pk=order_id)
        )
        if order.state == Order.State.PAID:
            return False
        order.state = Order.State.PAID
        order.transaction_id = transaction_id
        order.save(update_fields=["state", "transaction_id", "updated_at"])
        assert order.business is not None
        entry = PaymentEntry.objects.create(
            business=order.business,
            kind=PaymentEntry.Kind.SALE,
            channel=order.method,
            amount=order.amount,
            currency=order.business.currency,
            order=order,
            transaction_id=transaction_id,
        )
        hooks.run_sale_paid(order, entry, now)
        audit(
            "payments.sale_paid",
            actor="-",
            out_trade_no=order.out_trade_no,
            purpose=order.purpose,
            amount=str(order.amount),
        )
    return True


def sale_orders_check(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """The sales' orders whose time to pay has ended: ask WeChat Pay about each (a payment
    whose notification was lost is recorded then), close the rest there and here."""
    now = _now(now)
    done = {"sales_paid": 0, "sales_lapsed": 0}
    due = list(
        Order.objects.filter(
            account__isnull=True, state=Order.State.OPEN, expires_at__lte=now
        ).order_by("expires_at", "id")[:limit]
    )
    if due and not wechatpay.configured():
        return done
    for order in due:
        try:
            answer = wechatpay.query_order(order.out_trade_no)
        except wechatpay.WeChatPayRefused as error:
            if error.code != "ORDER_NOT_EXIST":
                raise
            answer = {}
        if (
            answer.get("trade_state") == "SUCCESS"
            and answer.get("out_trade_no") == order.out_trade_no
            and (answer.get("amount") or {}).get("total") == wechatpay.fen(order.amount)
            and _wechat_id(answer.get("transaction_id"))
        ):
            if _sale_record(
                order_id=order.pk, transaction_id=str(answer["transaction_id"]), now=now
            ):
                done["sales_paid"] += 1
            continue
        if answer:
            wechatpay.close_order(order.out_trade_no)
        done["sales_lapsed"] += Order.objects.filter(pk=order.pk, state=Order.State.OPEN).update(
            state=Order.State.CLOSED, updated_at=now
        )
    return done


# Paid -------------------------------------------------------------------------------------


def _payment_record(
    *, order_id: int, transaction_id: str, now: dt.datetime
) -> tuple[bool, list[int]]:
    """Record an order as paid, once. Returns (whether this call recorded it, the ids of the
    refunds to send): a payment for a hold that was released or already paid is refunded in
    full at once (docs/payments.md#the-race)."""
    if Order.objects.filter(pk=order_id, account__isnull=True).exists():
        return _sale_record(order_id=order_id, transaction_id=transaction_id, now=now), []
    to_send: list[int] = []
    with writer_turn(), transaction.atomic():
        appointment = Appointment.objects.get(payment_account__orders=order_id)
        locked = appointment_for_update(appointment)
        account = _account_for_update(locked)
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.state == Order.State.PAID:
            return False, to_send
        order.state = Order.State.PAID
        order.transaction_id = transaction_id
        order.save(update_fields=["state", "transaction_id", "updated_at"])
        PaymentEntry.objects.create(
            appointment=locked,
            kind=PaymentEntry.Kind.PAYMENT,
            channel=order.method,
            amount=order.amount,
            currency=account.currency,
            order=order,
            transaction_id=transaction_id,
        )
        PaymentAccount.objects.filter(pk=account.pk).update(paid=F("paid") + order.amount)
        account.refresh_from_db()
        if appointment_mark_paid(appointment=locked, now=now) is None:
            refund = _refund_reserve(
                account=account, order=order, amount=order.amount, reason="released"
            )
            to_send.append(refund.pk)
            if locked.status == Status.CANCELLED:
                # Released or given up meanwhile: tell the customer their money comes back.
                # (A second order paid for a booking already paid is refunded silently.)
                appointment_note_paid_late(appointment=locked, now=now)
            audit(
                "payments.refund_late_payment",
                actor="-",
                appointment=locked.public_id,
                out_trade_no=order.out_trade_no,
                status=locked.status,
            )
        else:
            audit(
                "payments.paid",
                actor="-",
                appointment=locked.public_id,
                out_trade_no=order.out_trade_no,
                amount=str(order.amount),
            )
    return True, to_send


def payment_orders_check(*, appointment: Appointment, now: dt.datetime | None = None) -> bool:
    """Ask WeChat Pay about an appointment's open orders: record those paid, close the rest
    once its window has ended. True when one was paid (the hold then stays)."""
    now = _now(now)
    paid = False
    orders = list(Order.objects.filter(account__appointment=appointment, state=Order.State.OPEN))
    if orders and not wechatpay.configured():
        return False
    for order in orders:
        try:
            answer = wechatpay.query_order(order.out_trade_no)
        except wechatpay.WeChatPayRefused as error:
            if error.code != "ORDER_NOT_EXIST":
                raise
            answer = {}
        if (
            answer.get("trade_state") == "SUCCESS"
            and answer.get("out_trade_no") == order.out_trade_no
            and (answer.get("amount") or {}).get("total") == wechatpay.fen(order.amount)
        ):
            _recorded, refunds = _payment_record(
                order_id=order.pk,
                transaction_id=str(answer.get("transaction_id", ""))[:64],
                now=now,
            )
            _refunds_send(refunds)
            paid = True
            continue
        if order.expires_at <= now:
            if answer:
                wechatpay.close_order(order.out_trade_no)
            Order.objects.filter(pk=order.pk, state=Order.State.OPEN).update(
                state=Order.State.CLOSED, updated_at=now
            )
    return paid


# Notifications ----------------------------------------------------------------------------


def _refuse(status: int, message: str, reason: str, **fields: Any) -> NotifyRefused:
    audit("payments.notify_refused", actor="-", reason=reason, **fields)
    return NotifyRefused(status, message, reason=reason)


def payment_notification_handle(
    *, headers: Any, body: bytes, now: dt.datetime | None = None
) -> None:
    """One notification from WeChat Pay, exactly once (docs/payments.md#notifications).

    Raises NotifyRefused (the status and message to answer) for anything that is not a genuine,
    fresh notification about one of our orders or refunds; it then changed nothing.
    """
    now = _now(now)
    if not wechatpay.configured():
        raise NotifyRefused(404, "payments are not configured", reason="not_configured")
    if len(body) > MAX_NOTIFY_BYTES:
        raise _refuse(413, "too large", "too_large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(400, "not UTF-8", "malformed") from None
    m = wechatpay.merchant()
    try:
        wechatpay.check_signed(m, headers, text, now=now.timestamp())
    except wechatpay.BadSignature as error:
        raise _refuse(401, "signature refused", "forged", detail=str(error)) from None
    try:
        envelope = json.loads(text)
        resource = envelope["resource"]
        event_type = str(envelope["event_type"])
        notification_id = str(envelope.get("id", ""))
        if not MERCHANT_NUMBER.fullmatch(notification_id):
            notification_id = ""  # kept for the log only; the nonce is what counts
    except (ValueError, KeyError, TypeError):
        raise _refuse(400, "malformed notification", "malformed") from None
    try:
        data = wechatpay.decrypt(m, resource)
    except wechatpay.BadSignature as error:
        raise _refuse(400, "resource refused", "tampered", detail=str(error)) from None
    nonce = str(headers.get("Wechatpay-Nonce"))
    if not NONCE.fullmatch(nonce):
        raise _refuse(400, "malformed nonce", "malformed")
    if SeenNotification.objects.filter(nonce=nonce).exists():
        raise _refuse(400, "replayed", "replayed", notification=notification_id)
    if event_type.startswith("TRANSACTION."):
        refunds = _notified_payment(m, data, nonce, notification_id, now)
    elif event_type.startswith("REFUND."):
        refunds = _notified_refund(m, data, nonce, notification_id)
    else:
        raise _refuse(400, "unknown event", "unknown_event", event_type=event_type[:64])
    _refunds_send(refunds)


def _wechat_id(value: object) -> bool:
    """WeChat Pay's transaction and refund ids: up to 64 letters and digits."""
    return isinstance(value, str) and 0 < len(value) <= 64 and value.isascii() and value.isalnum()


def _remember(nonce: str, notification_id: str) -> None:
    try:
        with transaction.atomic():
            SeenNotification.objects.create(nonce=nonce, notification_id=notification_id)
    except IntegrityError:
        raise _refuse(400, "replayed", "replayed", notification=notification_id) from None


def _notified_payment(
    m: wechatpay.Merchant, data: dict, nonce: str, notification_id: str, now: dt.datetime
) -> list[int]:
    out_trade_no = data.get("out_trade_no")
    if not isinstance(out_trade_no, str) or not MERCHANT_NUMBER.fullmatch(out_trade_no):
        raise _refuse(400, "no out_trade_no", "malformed")
    if data.get("appid") != m.appid or data.get("mchid") != m.mchid:
        raise _refuse(400, "not our merchant", "mismatch", out_trade_no=out_trade_no)
    order = Order.objects.filter(out_trade_no=out_trade_no).first()
    if order is None:
        raise _refuse(400, "unknown order", "unknown_order", out_trade_no=out_trade_no)
    amount = data.get("amount")
    total = amount.get("total") if isinstance(amount, dict) else None
    if total != wechatpay.fen(order.amount) or (
        isinstance(amount, dict) and amount.get("currency", "CNY") != "CNY"
    ):
        raise _refuse(400, "amount differs from the order", "mismatch", out_trade_no=out_trade_no)
    if data.get("trade_state") != "SUCCESS":
        with transaction.atomic():
            _remember(nonce, notification_id)
        return []
    transaction_id = data.get("transaction_id")
    if not _wechat_id(transaction_id):
        raise _refuse(400, "no transaction_id", "malformed", out_trade_no=out_trade_no)
    with writer_turn(), transaction.atomic():
        _remember(nonce, notification_id)
        _recorded, refunds = _payment_record(
            order_id=order.pk, transaction_id=str(transaction_id), now=now
        )
    return refunds


# Refunds ----------------------------------------------------------------------------------


def _refund_reserve(
    *, account: PaymentAccount, order: Order, amount: Decimal, reason: str
) -> Refund:
    """A refund asked and its amount counted against the account (under its lock): the
    database check refuses it beyond what was paid."""
    PaymentAccount.objects.filter(pk=account.pk).update(refunding=F("refunding") + amount)
    account.refresh_from_db()
    return Refund.objects.create(
        account=account,
        order=order,
        out_refund_no=_new_number("RF", account.appointment),
        amount=amount,
        reason=reason[:80],
    )


def _refund_finish(*, refund_id: int, wechat_refund_id: str, succeeded: bool) -> bool:
    """Record a refund's outcome, once: the money back in the ledger, or the reservation
    given back. True when this call recorded it."""
    if Refund.objects.filter(pk=refund_id, account__isnull=True).exists():
        return _sale_refund_finish(
            refund_id=refund_id, wechat_refund_id=wechat_refund_id, succeeded=succeeded
        )
    with writer_turn(), transaction.atomic():
        appointment = Appointment.objects.get(payment_account__refunds=refund_id)
        locked = appointment_for_update(appointment)
        account = _account_for_update(locked)
        refund = Refund.objects.select_for_update().select_related("order").get(pk=refund_id)
        if refund.state != Refund.State.PENDING:
            return False
        refund.state = Refund.State.SUCCEEDED if succeeded else Refund.State.FAILED
        refund.wechat_refund_id = wechat_refund_id[:64]
        refund.save(update_fields=["state", "wechat_refund_id", "updated_at"])
        if succeeded:
            PaymentEntry.objects.create(
                appointment=locked,
                kind=PaymentEntry.Kind.REFUND,
                channel=refund.order.method,
                amount=refund.amount,
                currency=account.currency,
                order=refund.order,
                refund=refund,
                transaction_id=refund.order.transaction_id,
                wechat_refund_id=refund.wechat_refund_id,
            )
            PaymentAccount.objects.filter(pk=account.pk).update(
                refunding=F("refunding") - refund.amount, refunded=F("refunded") + refund.amount
            )
        else:
            PaymentAccount.objects.filter(pk=account.pk).update(
                refunding=F("refunding") - refund.amount
            )
            audit("payments.refund_failed", actor="-", out_refund_no=refund.out_refund_no)
        return True


def sale_refund_start(*, order: Order, amount: Decimal, reason: str) -> Refund:
    """Give back part or all of a sale paid online, through WeChat Pay, in the caller's
    transaction (the selling app takes what was sold back in it): the refund asked, never more
    than the order's amount less what was refunded of it already. Send it with
    `sale_refunds_send` once the transaction is committed (docs/cards.md#refunds)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        if locked.account_id is not None or locked.state != Order.State.PAID:
            raise InvalidInput({"order": [_("This was not paid online.")]})
        asked = sum(
            Refund.objects.filter(order=locked)
            .exclude(state=Refund.State.FAILED)
            .values_list("amount", flat=True),
            ZERO,
        )
        if amount <= 0 or asked + amount > locked.amount:
            raise InvalidInput({"amount": [_("That is more than is left to refund.")]})
        return Refund.objects.create(
            order=locked,
            out_refund_no=f"RS{locked.pk}x{secrets.token_hex(8)}"[:32],
            amount=amount,
            reason=reason[:80],
        )


def sale_refunds_send(refund_ids: list[int]) -> None:
    """Ask WeChat Pay for sales' refunds (outside any transaction); one not answered is asked
    again by the sweep with the same out_refund_no."""
    _refunds_send(refund_ids)


def sale_refundable(order: Order) -> Decimal:
    """What may still be refunded of a sale paid online through WeChat Pay."""
    if order.account_id is not None or order.state != Order.State.PAID:
        return ZERO
    asked = sum(
        Refund.objects.filter(order=order)
        .exclude(state=Refund.State.FAILED)
        .values_list("amount", flat=True),
        ZERO,
    )
    return max(ZERO, order.amount - asked)


def _sale_refund_finish(*, refund_id: int, wechat_refund_id: str, succeeded: bool) -> bool:
    """A sale's refund's outcome, once: the money back in the ledger (a refund of the
    business), or its failure audited (the owner gives the money back otherwise)."""
    with writer_turn(), transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("order__business")
            .get(pk=refund_id)
        )
        if refund.state != Refund.State.PENDING:
            return False
        refund.state = Refund.State.SUCCEEDED if succeeded else Refund.State.FAILED
        refund.wechat_refund_id = wechat_refund_id[:64]
        refund.save(update_fields=["state", "wechat_refund_id", "updated_at"])
        business = refund.order.business
        assert business is not None
        if succeeded:
            PaymentEntry.objects.create(
                business=business,
                kind=PaymentEntry.Kind.REFUND,
                channel=refund.order.method,
                amount=refund.amount,
                currency=business.currency,
                order=refund.order,
                refund=refund,
                transaction_id=refund.order.transaction_id,
                wechat_refund_id=refund.wechat_refund_id,
            )
        else:
            audit(
                "payments.refund_failed",
                actor="-",
                out_refund_no=refund.out_refund_no,
                business=business.slug,
            )
        return True


def _refund_send(refund: Refund) -> None:
    order = refund.order
    # WeChat Pay shows the reason to the payer: the system's codes go as words, in the
    # business's language.
    business = order.business if refund.account is None else refund.account.appointment.business
    assert business is not None
    with translation.override(business.default_language):
        reason = policy.refund_reason_text(refund.reason)
    try:
        answer = wechatpay.refund(
            out_trade_no=order.out_trade_no,
            out_refund_no=refund.out_refund_no,
            amount=refund.amount,
            total=order.amount,
            reason=reason,
            notify_url=notify_url(),
        )
    except wechatpay.WeChatPayUnavailable as error:
        logger.warning("payments: refund %s not sent yet: %s", refund.out_refund_no, error)
        return
    except wechatpay.WeChatPayRefused as error:
        logger.warning("payments: refund %s refused: %s", refund.out_refund_no, error)
        _refund_finish(refund_id=refund.pk, wechat_refund_id="", succeeded=False)
        return
    status = answer.get("status")
    if status == "SUCCESS":
        _refund_finish(
            refund_id=refund.pk, wechat_refund_id=str(answer.get("refund_id", "")), succeeded=True
        )
    elif status in ("CLOSED", "ABNORMAL"):
        _refund_finish(
            refund_id=refund.pk, wechat_refund_id=str(answer.get("refund_id", "")), succeeded=False
        )
    # PROCESSING: the notification (or the next sweep's retry) says how it ended.


def _refunds_send(refund_ids: list[int]) -> None:
    for refund in Refund.objects.filter(pk__in=refund_ids).select_related(
        "order__business", "account__appointment__business"
    ):
        _refund_send(refund)


def refunds_retry(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Ask again, with the same out_refund_no, the refunds WeChat Pay has not answered."""
    now = _now(now)
    stale = list(
        Refund.objects.filter(
            state=Refund.State.PENDING, updated_at__lte=now - REFUND_RETRY_AFTER
        ).select_related("order__business", "account__appointment__business")[:limit]
    )
    for refund in stale:
        Refund.objects.filter(pk=refund.pk).update(updated_at=now)
        _refund_send(refund)
    return len(stale)


def _notified_refund(
    m: wechatpay.Merchant, data: dict, nonce: str, notification_id: str
) -> list[int]:
    out_refund_no = data.get("out_refund_no")
    if not isinstance(out_refund_no, str) or not MERCHANT_NUMBER.fullmatch(out_refund_no):
        raise _refuse(400, "no out_refund_no", "malformed")
    if data.get("mchid") != m.mchid:
        raise _refuse(400, "not our merchant", "mismatch", out_refund_no=out_refund_no)
    refund = Refund.objects.filter(out_refund_no=out_refund_no).first()
    if refund is None:
        raise _refuse(400, "unknown refund", "unknown_refund", out_refund_no=out_refund_no)
    amount = data.get("amount")
    if not isinstance(amount, dict) or amount.get("refund") != wechatpay.fen(refund.amount):
        raise _refuse(
            400, "amount differs from the refund", "mismatch", out_refund_no=out_refund_no
        )
    status = data.get("refund_status")
    if status == "SUCCESS" and not _wechat_id(data.get("refund_id")):
        raise _refuse(400, "no refund_id", "malformed", out_refund_no=out_refund_no)
    with writer_turn(), transaction.atomic():
        _remember(nonce, notification_id)
        if status in ("SUCCESS", "CLOSED", "ABNORMAL"):
            _refund_finish(
                refund_id=refund.pk,
                wechat_refund_id=str(data.get("refund_id", "")),
                succeeded=status == "SUCCESS",
            )
    return []


def payment_account_settle(*, account: PaymentAccount, now: dt.datetime | None = None) -> bool:
    """Apply the refund policy to a cancelled or no-show appointment, once
    (docs/payments.md#refunds-by-policy). True when it settled the account now."""
    now = _now(now)
    to_send: list[int] = []
    with writer_turn(), transaction.atomic():
        locked = appointment_for_update(account.appointment)
        account = _account_for_update(locked)
        if account.settled_at is not None or locked.status not in policy.SETTLED_STATUSES:
            return False
        back = policy.refund_due(appointment=locked, account=account)
        for order, amount in policy.split_over_orders(account=account, amount=back):
            refund = _refund_reserve(account=account, order=order, amount=amount, reason="policy")
            to_send.append(refund.pk)
        PaymentAccount.objects.filter(pk=account.pk).update(settled_at=now)
    _refunds_send(to_send)
    return True


def payment_refund_partial(
    *,
    appointment: Appointment,
    actor: User,
    amount: Decimal,
    reason: str,
    now: dt.datetime | None = None,
) -> list[Refund]:
    """An owner gives back part of what was paid online, with a reason."""
    reason = reason.strip()
    if business_role(user=actor, business_id=appointment.business_id) != "owner":
        raise NotAllowed()
    errors: dict[str, list[str]] = {}
    if not reason or len(reason) > 80:
        errors["reason"] = [_("Say why, in at most 80 characters.")]
    if amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["amount"] = [_("Give an amount of more than 0, in yuan and fen.")]
    if errors:
        raise InvalidInput(errors)
    to_send: list[int] = []
    with writer_turn(), transaction.atomic():
        locked = appointment_for_update(appointment)
        account = _account_for_update(locked)
        parts = policy.split_over_orders(account=account, amount=amount)
        if sum((part for _order, part in parts), ZERO) != amount:
            raise InvalidInput({"amount": [_("That is more than is left to refund.")]})
        refunds = [
            _refund_reserve(account=account, order=order, amount=part, reason=reason)
            for order, part in parts
        ]
        to_send = [refund.pk for refund in refunds]
        audit(
            "payments.refund_asked",
            actor=actor,
            appointment=locked.public_id,
            amount=str(amount),
        )
    _refunds_send(to_send)
    return list(Refund.objects.filter(pk__in=to_send))


def payment_record_counter(
    *,
    appointment: Appointment,
    actor: User,
    channel: str,
    amount: Decimal,
    note: str = "",
) -> PaymentEntry:
    """Staff record what was paid in the shop (cash, card, the shop's WeChat or Alipay QR)."""
    if business_role(user=actor, business_id=appointment.business_id) is None:
        raise NotAllowed()
    _counter_input(channel=channel, amount=amount, note=note)
    with writer_turn(), transaction.atomic():
        locked = appointment_for_update(appointment)
        if locked.status not in (Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED):
            raise InvalidTransition(_("Payments at the counter are for appointments kept."))
        account = _account_for_update(locked)
        entry = PaymentEntry.objects.create(
            appointment=locked,
            kind=PaymentEntry.Kind.COUNTER,
            channel=channel,
            amount=amount,
            currency=account.currency,
            note=note.strip(),
            recorded_by=actor,
        )
        PaymentAccount.objects.filter(pk=account.pk).update(paid=F("paid") + amount)
        return entry


def _counter_input(*, channel: str, amount: Decimal, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if channel not in COUNTER_CHANNELS:
        errors["channel"] = [_("Choose cash, card, wechat_qr or alipay_qr.")]
    if amount <= 0 or amount > Decimal("99999999.99") or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["amount"] = [_("Give an amount of more than 0, in yuan and fen.")]
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [_("A note is limited to %(n)d characters.") % {"n": MAX_NOTE_LENGTH}]
    if errors:
        raise InvalidInput(errors)


def payment_record_sale(
    *,
    business: Business,
    actor: User,
    channel: str,
    amount: Decimal,
    note: str,
    refund: bool = False,
) -> PaymentEntry:
    """Staff record money taken (or, `refund`, given back) at the counter for something sold
    on its own, no appointment's (a member card): one ledger entry naming the business. The
    caller writes its own record of what was sold in the same transaction and links it to the
    entry (docs/cards.md#money)."""
    if business_role(user=actor, business_id=business.pk) is None:
        raise NotAllowed()
    _counter_input(channel=channel, amount=amount, note=note)
    with transaction.atomic():
        return PaymentEntry.objects.create(
            business=business,
            kind=PaymentEntry.Kind.REFUND if refund else PaymentEntry.Kind.SALE,
            channel=channel,
            amount=amount,
            currency=business.currency,
            note=note.strip(),
            recorded_by=actor,
        )
