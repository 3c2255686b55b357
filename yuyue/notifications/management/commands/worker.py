"""`yuyue worker`: the notification dispatcher, long-running (or `--once`)."""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from yuyue.lib import worker_steps
from yuyue.notifications.dispatcher import Dispatcher, Tally
from yuyue.notifications.providers import texts_only_logged

logger = logging.getLogger("yuyue.notifications")


class Command(BaseCommand):
    help = (
        "Send due notifications (email, SMS, mini program). Several workers may run side by "
        "side, on several machines. SIGTERM or Ctrl+C finish the current message and stop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows claimed at a time.")
        parser.add_argument(
            "--lease-seconds",
            type=int,
            default=None,
            help="How long claimed rows stay this worker's before another may take them.",
        )
        parser.add_argument(
            "--poll-interval",
            type=float,
            default=None,
            help="Seconds to wait when nothing is due.",
        )

    def handle(self, *args, **options) -> None:
        stop = threading.Event()

        def request_stop(signum, _frame) -> None:
            logger.info("worker: %s received, stopping", signal.Signals(signum).name)
            stop.set()

        previous = {
            signum: signal.signal(signum, request_stop)
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self._run(stop, options)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run(self, stop: threading.Event, options: dict) -> None:
        poll = options["poll_interval"] or settings.NOTIFY_POLL_SECONDS
        dispatcher = Dispatcher(
            batch_size=options["batch_size"],
            lease_seconds=options["lease_seconds"],
            stop=stop,
        )
        total = Tally()
        logger.info("worker: started")
        if settings.PRODUCTION and texts_only_logged():
            logger.warning(
                "worker: NOTIFY_SMS_PROVIDER=console in production: text messages are only "
                "written to this log, never sent (set NOTIFY_SMS_PROVIDER=tencent or webhook)"
            )
        while not stop.is_set():
            # A long-running process must drop connections the database has closed.
            close_old_connections()
            tally = dispatcher.run_once()
            total.add(tally)
            # Other apps' rounds (the payment sweep: yuyue/lib/worker_steps.py).
            for name, step in worker_steps.steps().items():
                try:
                    step()
                except Exception:
                    logger.exception("worker: step %s failed", name)
            if tally.claimed:
                logger.info(
                    "worker: sent %d, retrying %d, failed %d, skipped %s",
                    tally.sent,
                    tally.retried,
                    tally.failed,
                    tally.skipped_text(),
                )
            elif options["once"]:
                break
            else:
                stop.wait(poll)
        logger.info("worker: stopped (in all: %s)", total)
