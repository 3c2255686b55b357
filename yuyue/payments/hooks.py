"""What the apps that sell things on their own (member cards) do when a sale paid online
through WeChat Pay is paid, registered by them from AppConfig.ready, so payments imports none
of them (imports run downhill; docs/cards.md#money).

The hook runs in the transaction that records the payment (the `sale` ledger entry), under the
order's row lock, once per order: what it writes commits or rolls back with the payment.
"""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yuyue.payments.models import Order, PaymentEntry

SalePaidHook = Callable[["Order", "PaymentEntry", dt.datetime], None]

_SALE_PAID: dict[str, SalePaidHook] = {}


def on_sale_paid(purpose: str, hook: SalePaidHook) -> None:
    """Call `hook(order, entry, now)` when an order whose purpose is `purpose` is paid."""
    _SALE_PAID[purpose] = hook


def run_sale_paid(order: "Order", entry: "PaymentEntry", now: dt.datetime) -> None:
    hook = _SALE_PAID.get(order.purpose)
    if hook is None:
        # The money is recorded all the same; nothing knows what was sold.
        raise LookupError(f"nothing sells {order.purpose!r}")
    hook(order, entry, now)
