"""`yuyue worker` as real processes against the test database and a real SMTP server:
killed mid-batch it loses nothing (and sends again at most the step it had not recorded),
stopped politely it hands its rows back, and two of them side by side on PostgreSQL send each
message exactly once."""

import collections
import datetime as dt
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from yuyue.notifications.dispatcher import STEP
from yuyue.notifications.models import Notification

from .support import make_due_emails, start_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
LEASE = "2"
FAST = ["--lease-seconds", LEASE, "--poll-interval", "0.1"]


def sent_count() -> int:
    return Notification.objects.filter(status="sent").count()


def stop(worker, log) -> int:
    worker.send_signal(signal.SIGTERM)
    try:
        return worker.wait(timeout=30)
    except Exception:
        worker.kill()
        raise AssertionError(log.read_text()) from None


def test_a_worker_killed_mid_batch_and_restarted_delivers_everything(
    smtp_server, service, stylist, tmp_path
):
    mailbox, port = smtp_server
    mailbox.delay = 0.01
    count = 200
    make_due_emails(
        count=count, service=service, staff=stylist, start=timezone.now() + dt.timedelta(days=2)
    )
    log = tmp_path / "worker.log"
    began = time.monotonic()
    kills = 0
    for threshold in (40, 110):
        worker = start_worker(smtp_port=port, log=log, args=[*FAST, "--batch-size", "25"])
        wait_until(lambda t=threshold: mailbox.count() >= t, seconds=60, what="some messages")
        worker.kill()  # SIGKILL: no chance to release leases or finish the message
        worker.wait(timeout=10)
        kills += 1
        assert mailbox.count() < count, "the worker was killed mid-batch, not after it"
    worker = start_worker(smtp_port=port, log=log, args=[*FAST, "--batch-size", "25"])
    wait_until(lambda: sent_count() == count, seconds=90, what="every row marked sent")
    drained = time.monotonic() - began
    assert stop(worker, log) == 0

    copies = collections.defaultdict(list)
    for message in mailbox.received():
        copies[message["To"]].append(message["Message-ID"])
    duplicates = sum(len(ids) - 1 for ids in copies.values())
    print(
        f"\nworker kill test ({connection.vendor}): "
        f"messages={count} received={mailbox.count()} kills={kills} "
        f"duplicates={duplicates} drained_in={drained:.1f}s"
    )
    assert set(copies) == {f"bulk-{i}@example.com" for i in range(count)}
    # A killed worker's deliveries not yet recorded go again: at most one step's worth.
    assert duplicates <= kills * STEP
    assert all(len(set(ids)) == 1 for ids in copies.values()), "a duplicate changed Message-ID"
    rows = dict(Notification.objects.values_list("recipient__email", "message_id"))
    assert all(ids[0] == rows[to] for to, ids in copies.items())


def test_sigterm_finishes_the_current_message_and_hands_the_rest_back(
    smtp_server, service, stylist, tmp_path
):
    mailbox, port = smtp_server
    mailbox.delay = 0.1
    make_due_emails(
        count=30, service=service, staff=stylist, start=timezone.now() + dt.timedelta(days=2)
    )
    log = tmp_path / "worker.log"
    worker = start_worker(
        smtp_port=port, log=log, args=["--batch-size", "30", "--lease-seconds", "600"]
    )
    wait_until(lambda: mailbox.count() >= 3, seconds=60, what="the first messages")
    assert stop(worker, log) == 0
    statuses = collections.Counter(Notification.objects.values_list("status", flat=True))
    assert "sending" not in statuses, "a stopped worker must not keep leases"
    assert statuses["sent"] == mailbox.count() < 30
    assert statuses["pending"] == 30 - statuses["sent"]
    # The handed-back rows did not count as attempts and are due at once.
    assert set(
        Notification.objects.filter(status="pending").values_list("attempts", flat=True)
    ) == {0}


def test_once_sends_what_is_due_and_exits(smtp_server, service, stylist, tmp_path):
    mailbox, port = smtp_server
    make_due_emails(
        count=12, service=service, staff=stylist, start=timezone.now() + dt.timedelta(days=2)
    )
    log = tmp_path / "worker.log"
    worker = start_worker(smtp_port=port, log=log, args=["--once", "--batch-size", "5"])
    assert worker.wait(timeout=60) == 0, log.read_text()
    assert mailbox.count() == sent_count() == 12


@pytest.mark.postgres_only
def test_two_workers_on_postgresql_send_each_of_1000_messages_exactly_once(
    smtp_server, service, stylist, tmp_path
):
    mailbox, port = smtp_server
    count = 1000
    make_due_emails(
        count=count, service=service, staff=stylist, start=timezone.now() + dt.timedelta(days=2)
    )
    began = time.monotonic()
    workers = [
        start_worker(
            smtp_port=port, log=tmp_path / f"worker-{i}.log", args=[*FAST, "--batch-size", "20"]
        )
        for i in range(2)
    ]
    try:
        wait_until(lambda: sent_count() == count, seconds=150, what="every row marked sent")
    finally:
        codes = [stop(worker, tmp_path / f"worker-{i}.log") for i, worker in enumerate(workers)]
    drained = time.monotonic() - began
    received = collections.Counter(m["Message-ID"] for m in mailbox.received())
    print(
        f"\ntwo workers: messages={count} received={sum(received.values())} "
        f"distinct={len(received)} drained_in={drained:.1f}s"
    )
    assert codes == [0, 0]
    assert len(received) == count
    assert set(received.values()) == {1}
    assert set(received) == set(Notification.objects.values_list("message_id", flat=True))
