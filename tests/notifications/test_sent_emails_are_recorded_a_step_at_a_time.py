"""The dispatcher records delivered emails a step at a time, in one statement that still needs
the lease: rows taken over meanwhile are not recorded by the old holder, and a step costs the
same queries whatever its size."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import NOW
from yuyue.notifications.dispatcher import Dispatcher
from yuyue.notifications.models import Notification
from yuyue.notifications.services import notification_claim_due, notifications_mark_sent

from .support import make_due_emails


@pytest.mark.django_db
def test_a_record_of_several_deliveries_leaves_rows_another_worker_took(service, stylist):
    with time_machine.travel(NOW, tick=False) as clock:
        make_due_emails(count=5, service=service, staff=stylist, start=NOW + dt.timedelta(days=1))
        token, rows = notification_claim_due(batch_size=5, lease_seconds=60)
        clock.shift(dt.timedelta(seconds=61))
        other, taken = notification_claim_due(batch_size=2, lease_seconds=60)
        recorded = notifications_mark_sent(
            lease_token=token,
            sent={row.pk: (f"to-{row.pk}@example.com", f"gw-{row.pk}") for row in rows},
        )
    kept = {row.pk for row in rows} - {row.pk for row in taken}
    assert len(kept) == 3
    assert recorded == kept
    for row in Notification.objects.filter(pk__in=kept):
        assert (row.status, row.address, row.provider_message_id, row.lease_until) == (
            "sent",
            f"to-{row.pk}@example.com",
            f"gw-{row.pk}",
            None,
        )
        assert row.sent_at == NOW + dt.timedelta(seconds=61)
    for row in Notification.objects.filter(pk__in=[row.pk for row in taken]):
        assert (row.status, row.lease_token, row.address, row.sent_at) == (
            "sending",
            other,
            "",
            None,
        )


@pytest.mark.django_db(transaction=True)
def test_a_lease_taken_over_in_the_middle_of_a_step_is_not_recorded_by_the_old_holder(
    mailbox, service, stylist
):
    taken: list[Notification] = []
    with time_machine.travel(NOW, tick=False) as clock:
        make_due_emails(count=5, service=service, staff=stylist, start=NOW + dt.timedelta(days=1))

        def take_over(count: int) -> None:
            # After the second email, the old holder's lease runs out and another worker
            # claims the two oldest rows: the ones already delivered, not yet recorded.
            if count == 2:
                clock.shift(dt.timedelta(seconds=61))
                taken.extend(notification_claim_due(batch_size=2, lease_seconds=600)[1])
                connection.close()

        mailbox.after_accepting = take_over
        tally = Dispatcher(batch_size=5, lease_seconds=60).run_once()

    assert mailbox.count() == 5
    assert (tally.claimed, tally.sent, tally.lost, tally.released) == (5, 3, 2, 0)
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert {pk for pk, status in statuses.items() if status == "sending"} == {
        row.pk for row in taken
    }
    assert sorted(statuses.values()).count("sent") == 3


@pytest.mark.django_db
def test_a_step_of_emails_costs_the_same_queries_whatever_its_size(mailbox, service, stylist):
    counts = []
    with time_machine.travel(NOW, tick=False):
        make_due_emails(count=25, service=service, staff=stylist, start=NOW + dt.timedelta(days=1))
        for size in (5, 20):
            with CaptureQueriesContext(connection) as queries:
                tally = Dispatcher(batch_size=size).run_once()
            assert tally.sent == size
            counts.append(len(queries))
    assert counts[0] == counts[1]
    assert mailbox.count() == 25
