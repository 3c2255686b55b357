"""The dispatcher: claim due rows, check they still apply, send them, record the outcome.

Sending happens outside any transaction. Each outcome is recorded on the condition that the
lease is still ours; delivery is therefore at least once: a worker killed between a server's
"accepted" and the database's "sent" leaves rows that another worker sends again, with the
same Message-IDs (at most the emails of one step, which are recorded together). The rules,
written out: docs/notifications.md#dispatcher-leases.
"""

import collections
import dataclasses
import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from yuyue.notifications import errors, rules, selectors, services
from yuyue.notifications.emails import email_address, email_send
from yuyue.notifications.errors import DeliveryError, PermanentFailure, Skipped, TemporaryFailure
from yuyue.notifications.miniprogram import miniprogram_send
from yuyue.notifications.models import Notification
from yuyue.notifications.providers import text_provider
from yuyue.notifications.texts import text_address, text_send

logger = logging.getLogger("yuyue.notifications")
# Renew a batch's lease when less than this is left, so a slow batch is never taken over.
LEASE_MARGIN = dt.timedelta(seconds=30)
# A batch is worked through in steps of this many rows: before each step, one query re-reads
# the appointments of its rows and one finds its superseded reminders, so what the skip rules
# see is never older than one step (a fraction of a second), at two queries per step, not
# two per row; after it, one statement records the step's delivered emails. A worker killed
# mid-step sends those again (at least once), so this also bounds the duplicates of a kill.
STEP = 20
# How often a worker looks for daily agendas whose hour has come (a cheap read; a write only
# when one is due, and the outbox's constraint keeps each agenda once however many look).
AGENDA_EVERY = dt.timedelta(seconds=60)


@dataclasses.dataclass
class Tally:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    lost: int = 0
    # Why the skipped ones were skipped: reason (errors.py) → how many.
    skipped_because: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )

    def add(self, other: "Tally") -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    def skipped_text(self) -> str:
        """ "27 (the appointment is over: 20; its time had already passed: 7)": the count and
        why, most common reason first."""
        if not self.skipped:
            return "0"
        reasons = "; ".join(
            f"{reason.removeprefix('Skipped: ').rstrip('.')}: {count}"
            for reason, count in self.skipped_because.most_common()
        )
        return f"{self.skipped} ({reasons})" if reasons else str(self.skipped)

    def __str__(self) -> str:
        return (
            f"claimed {self.claimed}, sent {self.sent}, retrying {self.retried}, "
            f"failed {self.failed}, skipped {self.skipped_text()}, released {self.released}, "
            f"lost {self.lost}"
        )


class Dispatcher:
    def __init__(
        self,
        *,
        batch_size: int | None = None,
        lease_seconds: int | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.batch_size = batch_size or settings.NOTIFY_BATCH_SIZE
        self.lease = dt.timedelta(seconds=lease_seconds or settings.NOTIFY_LEASE_SECONDS)
        self.stop = stop or threading.Event()
        self.next_agendas: dt.datetime | None = None

    def schedule_agendas(self) -> None:
        """The periodic step: queue the daily agendas now due, at most every AGENDA_EVERY."""
        now = timezone.now()
        if self.next_agendas is not None and now < self.next_agendas:
            return
        self.next_agendas = now + AGENDA_EVERY
        try:
            queued = services.agendas_schedule(now=now)
        except Exception:
            # Sending what is due must not stop because scheduling agendas failed.
            logger.exception("scheduling the daily agendas failed")
            return
        if queued:
            logger.info("worker: %d daily agenda(s) queued", queued)

    def run_once(self) -> Tally:
        """Claim one batch and work through it; stop early (releasing the rest) when asked."""
        self.schedule_agendas()
        tally = Tally()
        token, rows = services.notification_claim_due(
            batch_size=self.batch_size, lease_seconds=int(self.lease.total_seconds())
        )
        tally.claimed = len(rows)
        if not rows:
            return tally
        lease_until = timezone.now() + self.lease
        connection = get_connection(fail_silently=False)
        provider = text_provider()
        # Delivered in this step and not yet recorded: id → (address, provider message id).
        sent: dict[int, tuple[str, str]] = {}
        try:
            for first in range(0, len(rows), STEP):
                step = rows[first : first + STEP]
                superseded = self._refresh(step)
                for row in step:
                    if self.stop.is_set():
                        break
                    now = timezone.now()
                    if lease_until - now < min(LEASE_MARGIN, self.lease / 2):
                        services.notification_leases_extend(
                            lease_token=token, lease_seconds=int(self.lease.total_seconds())
                        )
                        lease_until = now + self.lease
                    outcome = self._deliver(
                        row, token, connection, provider, tally, superseded=row.pk in superseded
                    )
                    if isinstance(outcome, tuple):
                        sent[row.pk] = outcome
                    else:
                        setattr(tally, outcome, getattr(tally, outcome) + 1)
                self._record_sent(token, sent, tally)
                if self.stop.is_set():
                    break
        finally:
            try:
                connection.close()
            except Exception:  # the session may already be gone; nothing is lost by it
                logger.debug("closing the mail connection failed", exc_info=True)
            # A delivered row must never be handed back (it would go twice): record it first.
            # Should that fail, nothing is handed back; the leases run out and the rows are
            # claimed again (at least once).
            self._record_sent(token, sent, tally)
            tally.released = services.notification_release(lease_token=token)
        return tally

    @staticmethod
    def _record_sent(token: str, sent: dict[int, tuple[str, str]], tally: Tally) -> None:
        """Record the step's deliveries in one statement, still on condition of the lease."""
        if not sent:
            return
        recorded = services.notifications_mark_sent(lease_token=token, sent=sent)
        for pk in sent.keys() - recorded:
            logger.warning("notification %s was sent, but its lease had been taken", pk)
        tally.sent += len(recorded)
        tally.lost += len(sent) - len(recorded)
        sent.clear()

    @staticmethod
    def _refresh(step: list[Notification]) -> set[int]:
        """Bring the step's appointments up to date; returns its superseded reminders' ids."""
        states = selectors.appointment_states(
            ids={row.appointment_id for row in step if row.appointment_id is not None}
        )
        for row in step:
            for field, value in states.get(row.appointment_id or 0, {}).items():
                setattr(row.appointment, field, value)
        return selectors.reminders_superseded(step, now=timezone.now())

    def _deliver(
        self,
        row: Notification,
        token: str,
        connection,
        provider,
        tally: Tally,
        *,
        superseded: bool,
    ) -> str | tuple[str, str]:
        """Handle one claimed row. Returns the Tally field its outcome counts in, or, for an
        email delivered, (address, provider message id) for the step's record."""
        now = timezone.now()
        reason = rules.skip_reason(row, row.appointment, now, superseded=superseded)
        if reason is not None:
            done = services.notification_mark_skipped(
                notification=row, lease_token=token, reason=reason
            )
            if done:
                tally.skipped_because[reason] += 1
            return "skipped" if done else "lost"
        if row.attempts > settings.NOTIFY_MAX_ATTEMPTS:
            # A row whose leases keep expiring (a worker dying on it) must not loop forever.
            done = services.notification_mark_failed(
                notification=row, lease_token=token, reason=errors.GAVE_UP
            )
            return "failed" if done else "lost"
        address, provider_id, logged_only = "", "", False
        try:
            if row.channel == Notification.Channel.EMAIL:
                address = email_address(row)
                email_send(row, address=address, connection=connection, now=now)
            elif row.channel == Notification.Channel.MINIPROGRAM:
                address, provider_id = miniprogram_send(row)
            else:
                address = text_address(row)
                provider_id = text_send(row, address=address, provider=provider, now=now)
                logged_only = not provider.delivers
        except Skipped as error:
            done = services.notification_mark_skipped(
                notification=row, lease_token=token, reason=error.reason
            )
            if done:
                tally.skipped_because[error.reason] += 1
            return "skipped" if done else "lost"
        except PermanentFailure as error:
            logger.warning("notification %s failed: %s", row.pk, error.reason)
            done = services.notification_mark_failed(
                notification=row, lease_token=token, reason=error.reason, address=address
            )
            return "failed" if done else "lost"
        except DeliveryError as error:
            not_before = error.not_before if isinstance(error, TemporaryFailure) else None
            return self._retry(row, token, error.reason, address, not_before)
        except Exception as error:
            # A bug (a template error, say) must not stop the other rows; retrying is safe.
            logger.exception("notification %s: unexpected error", row.pk)
            return self._retry(row, token, f"{type(error).__name__}: {error}", address, None)
        if row.channel == Notification.Channel.EMAIL:
            # Recorded with the rest of the step (_record_sent). Texts are recorded at once:
            # their hourly caps count the sends already recorded.
            return address, provider_id
        done = services.notification_mark_sent(
            notification=row,
            lease_token=token,
            address=address,
            provider_message_id=provider_id,
            logged_only=logged_only,
        )
        if not done:
            logger.warning("notification %s was sent, but its lease had been taken", row.pk)
        return "sent" if done else "lost"

    def _retry(
        self,
        row: Notification,
        token: str,
        reason: str,
        address: str,
        not_before: dt.datetime | None,
    ) -> str:
        logger.info("notification %s: temporary failure: %s", row.pk, reason)
        done = services.notification_mark_retry(
            notification=row,
            lease_token=token,
            reason=reason,
            not_before=not_before,
            address=address,
        )
        if not done:
            return "lost"
        return "failed" if row.attempts >= settings.NOTIFY_MAX_ATTEMPTS else "retried"


def drain(*, batch_size: int | None = None, max_batches: int = 1000) -> Tally:
    """Send everything due now, batch after batch (for `worker --once` and tests)."""
    dispatcher = Dispatcher(batch_size=batch_size)
    total = Tally()
    for _ in range(max_batches):
        tally = dispatcher.run_once()
        total.add(tally)
        if tally.claimed == 0:
            break
    return total
