"""The payment sweep, one round of `yuyue worker`: lapse unpaid holds whose window ended
(after asking WeChat Pay about their orders) and apply the refund policy to cancellations and
no-shows (docs/payments.md#the-hold)."""

import datetime as dt
import logging

from django.utils import timezone

from yuyue.bookings.services import appointment_release_unpaid
from yuyue.payments import selectors, services
from yuyue.payments.models import SeenNotification

logger = logging.getLogger("yuyue.payments")
FORGET_NONCES_AFTER = dt.timedelta(minutes=10)


def sweep(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """One round; returns what it did. Each appointment is its own transaction: one that
    fails is logged and tried again next round."""
    now = now or timezone.now()
    done = {"released": 0, "settled": 0, "refunds_retried": 0}
    for appointment in selectors.unpaid_holds_due(now=now, limit=limit):
        try:
            if services.payment_orders_check(appointment=appointment, now=now):
                continue  # paid after all
            if appointment_release_unpaid(appointment=appointment, now=now) is not None:
                done["released"] += 1
        except Exception:
            logger.exception("payments: releasing %s failed", appointment.public_id)
    for account in selectors.accounts_to_settle(limit=limit):
        try:
            if services.payment_account_settle(account=account, now=now):
                done["settled"] += 1
        except Exception:
            logger.exception("payments: settling account %s failed", account.pk)
    try:
        # Sales' orders (member cards bought online) whose time to pay ended: paid or closed.
        done.update(services.sale_orders_check(now=now, limit=limit))
    except Exception:
        logger.exception("payments: checking sales' orders failed")
    try:
        done["refunds_retried"] = services.refunds_retry(now=now, limit=limit)
    except Exception:
        logger.exception("payments: retrying refunds failed")
    # Nonces older than the 5-minute window guard nothing: such a request is refused anyway.
    SeenNotification.objects.filter(created_at__lt=now - FORGET_NONCES_AFTER).delete()
    return done
