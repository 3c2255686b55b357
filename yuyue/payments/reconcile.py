"""A day's ledger against WeChat Pay's answers (docs/payments.md#reconciliation).

For each business, the day is its own local day, as its payments page shows it. In scope: the
WeChat Pay orders made that day or whose payment or refunds were recorded that day, and the
refunds asked, answered or recorded that day. Each is asked of WeChat Pay (the order query
and the refund query, answers verified like every other) and every difference is reported.
What WeChat Pay holds that we never ordered cannot be found this way (that needs its daily
bill); an order ours but paid at WeChat Pay is.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from yuyue.catalog.models import Business
from yuyue.payments import wechatpay
from yuyue.payments.models import Order, PaymentEntry, Refund
from yuyue.payments.selectors import WECHAT_CHANNELS

# WeChat Pay's trade states in which the customer's money arrived ("REFUND": part or all of
# it has gone back since, which the refund query reports).
PAID_STATES = ("SUCCESS", "REFUND")
# WeChat Pay's refund status → ours.
REFUND_STATES = {
    "SUCCESS": Refund.State.SUCCEEDED,
    "PROCESSING": Refund.State.PENDING,
    "CLOSED": Refund.State.FAILED,
    "ABNORMAL": Refund.State.FAILED,
}
UNKNOWN_ORDER = "ORDER_NOT_EXIST"
UNKNOWN_REFUND = "RESOURCE_NOT_EXISTS"


@dataclass(frozen=True)
class Difference:
    business: str
    number: str  # our out_trade_no or out_refund_no
    what: str  # one sentence, in English: an operator's tool

    def line(self) -> str:
        return f"DIFFERENCE {self.business} {self.number}: {self.what}"


@dataclass
class Reconciliation:
    day: dt.date
    businesses: list[str] = field(default_factory=list)
    orders: int = 0
    refunds: int = 0
    differences: list[Difference] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # asked, not answered


def _yuan(fen_amount: object) -> str:
    return f"{wechatpay.yuan(fen_amount):.2f}" if isinstance(fen_amount, int) else "?"


def day_window(business: Business, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = business.zone
    return (
        dt.datetime.combine(day, dt.time(), tzinfo=zone),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def businesses_with_money(slug: str | None) -> list[Business]:
    found = Business.objects.filter(appointments__payment_account__isnull=False).distinct()
    if slug is not None:
        found = Business.objects.filter(slug=slug)
    return list(found.order_by("slug"))


def reconcile(*, day: dt.date, businesses: list[Business]) -> Reconciliation:
    result = Reconciliation(day=day)
    for business in businesses:
        result.businesses.append(business.slug)
        start, end = day_window(business, day)
        entries = PaymentEntry.objects.filter(
            Q(appointment__business=business) | Q(business=business),
            created_at__gte=start,
            created_at__lt=end,
            channel__in=WECHAT_CHANNELS,
        )
        # An appointment's orders, and the business's sales paid online (member cards).
        orders = Order.objects.filter(
            Q(account__appointment__business=business) | Q(business=business)
        ).filter(
            Q(created_at__gte=start, created_at__lt=end)
            | Q(pk__in=entries.exclude(order=None).values("order"))
        )
        refunds = Refund.objects.filter(account__appointment__business=business).filter(
            Q(created_at__gte=start, created_at__lt=end)
            | Q(updated_at__gte=start, updated_at__lt=end)
            | Q(pk__in=entries.exclude(refund=None).values("refund"))
        )
        for order in orders.order_by("id"):
            _check_order(business.slug, order, result)
        for refund in refunds.select_related("order").order_by("id"):
            _check_refund(business.slug, refund, result)
    return result


def _check_order(slug: str, order: Order, result: Reconciliation) -> None:
    ours = PaymentEntry.objects.filter(
        order=order, kind__in=(PaymentEntry.Kind.PAYMENT, PaymentEntry.Kind.SALE)
    ).first()
    if ours is None and not (order.code_url or order.prepay_id):
        return  # WeChat Pay never made it: ordering failed, nobody could pay
    result.orders += 1

    def differs(what: str) -> None:
        result.differences.append(Difference(slug, order.out_trade_no, what))

    try:
        answer = wechatpay.query_order(order.out_trade_no)
    except wechatpay.WeChatPayRefused as error:
        if error.code != UNKNOWN_ORDER:
            result.unchecked.append(f"{slug} {order.out_trade_no}: {error.code or error}")
        elif ours is not None:
            differs(f"paid {ours.amount} in our ledger, unknown to WeChat Pay")
        return
    except wechatpay.WeChatPayError as error:
        result.unchecked.append(f"{slug} {order.out_trade_no}: {error}")
        return
    state = str(answer.get("trade_state", ""))
    total = (answer.get("amount") or {}).get("total")
    transaction_id = str(answer.get("transaction_id") or "")
    if state not in PAID_STATES:
        if ours is not None:
            differs(f"paid {ours.amount} in our ledger, {state or 'no state'} at WeChat Pay")
        return
    if ours is None:
        differs(
            f"paid {_yuan(total)} at WeChat Pay (transaction {transaction_id}), "
            f"not in our ledger (order {order.state})"
        )
        return
    if total != wechatpay.fen(ours.amount):
        differs(f"amount differs: {ours.amount} in our ledger, {_yuan(total)} at WeChat Pay")
    if transaction_id != ours.transaction_id:
        differs(
            f"transaction differs: {ours.transaction_id or '-'} in our ledger, "
            f"{transaction_id or '-'} at WeChat Pay"
        )


def _check_refund(slug: str, refund: Refund, result: Reconciliation) -> None:
    result.refunds += 1
    ours = PaymentEntry.objects.filter(refund=refund, kind=PaymentEntry.Kind.REFUND).first()

    def differs(what: str) -> None:
        result.differences.append(Difference(slug, refund.out_refund_no, what))

    try:
        answer = wechatpay.query_refund(refund.out_refund_no)
    except wechatpay.WeChatPayRefused as error:
        if error.code != UNKNOWN_REFUND:
            result.unchecked.append(f"{slug} {refund.out_refund_no}: {error.code or error}")
        elif refund.state != Refund.State.FAILED:
            # A failed one may have been refused when asked: WeChat Pay then never made it.
            differs(f"refund {refund.state} here, unknown to WeChat Pay")
        return
    except wechatpay.WeChatPayError as error:
        result.unchecked.append(f"{slug} {refund.out_refund_no}: {error}")
        return
    status = str(answer.get("status", ""))
    theirs = REFUND_STATES.get(status)
    amount = (answer.get("amount") or {}).get("refund")
    if theirs != refund.state:
        differs(f"refund {refund.state} here, {status or 'no status'} at WeChat Pay")
    if amount != wechatpay.fen(refund.amount):
        differs(f"refund amount differs: {refund.amount} here, {_yuan(amount)} at WeChat Pay")
    if ours is not None and amount != wechatpay.fen(ours.amount):
        differs(
            f"refund amount differs: {ours.amount} in our ledger, {_yuan(amount)} at WeChat Pay"
        )
    if theirs == Refund.State.SUCCEEDED and ours is None and refund.state == Refund.State.SUCCEEDED:
        differs("refunded at WeChat Pay, not in our ledger")
