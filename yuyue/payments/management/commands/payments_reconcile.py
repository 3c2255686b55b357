"""`yuyue payments_reconcile --date D [--business slug]`: a day's ledger against WeChat Pay
(docs/payments.md#reconciliation)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yuyue.payments import wechatpay
from yuyue.payments.reconcile import businesses_with_money, reconcile

# As for a command-line usage error (yuyue.cli.EXIT_REFUSED): bad input, nothing checked.
EXIT_USAGE = 2


class Command(BaseCommand):
    help = (
        "Compare one day's WeChat Pay orders, payments and refunds in the ledger with WeChat "
        "Pay's answers and print every difference, one a line. D is a date (YYYY-MM-DD), read "
        "as each business's own local day. Exit status 0: no difference; 1: differences, or "
        "something WeChat Pay did not answer; 2: bad input or WeChat Pay not configured."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="The day, YYYY-MM-DD (local).")
        parser.add_argument("--business", default=None, help="Only this business (its slug).")

    def handle(self, *args, **options) -> None:
        raw = options["date"]
        try:
            day = dt.date.fromisoformat(raw) if raw.isascii() and len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise CommandError(
                f"--date {raw!r} is not a date: give YYYY-MM-DD, e.g. 2026-12-01",
                returncode=EXIT_USAGE,
            )
        if not wechatpay.configured():
            raise CommandError(
                "WeChat Pay is not configured (WECHATPAY_MCHID): nothing to reconcile",
                returncode=EXIT_USAGE,
            )
        slug = options["business"]
        businesses = businesses_with_money(slug)
        if slug is not None and not businesses:
            raise CommandError(f"--business {slug!r}: no such business", returncode=EXIT_USAGE)
        result = reconcile(day=day, businesses=businesses)
        for difference in result.differences:
            self.stdout.write(difference.line())
        for unanswered in result.unchecked:
            self.stdout.write(f"UNCHECKED {unanswered}")
        summary = (
            f"{day.isoformat()}: {len(result.businesses)} business(es), {result.orders} "
            f"order(s) and {result.refunds} refund(s) checked, {len(result.differences)} "
            f"difference(s), {len(result.unchecked)} not answered"
        )
        if result.differences or result.unchecked:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
