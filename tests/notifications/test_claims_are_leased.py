"""Claiming: a lease per batch; expired leases are taken over; outcomes need the lease."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW
from yuyue.notifications.models import Notification
from yuyue.notifications.services import (
    notification_claim_due,
    notification_mark_sent,
    notification_release,
)

from .support import make_due_emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(service, stylist):
    with time_machine.travel(NOW, tick=False):
        return make_due_emails(
            count=5, service=service, staff=stylist, start=NOW + dt.timedelta(days=1)
        )


def test_a_claim_leases_due_rows_to_one_caller_only(due):
    with time_machine.travel(NOW, tick=False):
        token, rows = notification_claim_due(batch_size=3, lease_seconds=60)
        _other, more = notification_claim_due(batch_size=10, lease_seconds=60)
        _third, none = notification_claim_due(batch_size=10, lease_seconds=60)
    assert len(rows) == 3 and len(more) == 2 and none == []
    assert {r.pk for r in rows}.isdisjoint({r.pk for r in more})
    assert all(
        (r.status, r.attempts, r.lease_token, r.lease_until)
        == ("sending", 1, token, NOW + dt.timedelta(seconds=60))
        for r in rows
    )


def test_an_expired_lease_is_claimed_again_and_the_old_holder_cannot_mark_it(due):
    with time_machine.travel(NOW, tick=False) as clock:
        token, rows = notification_claim_due(batch_size=10, lease_seconds=60)
        clock.shift(dt.timedelta(seconds=61))
        new_token, again = notification_claim_due(batch_size=10, lease_seconds=60)
        assert {r.pk for r in again} == {r.pk for r in rows}
        assert all(r.attempts == 2 for r in again)
        assert not notification_mark_sent(notification=rows[0], lease_token=token, address="x")
        assert notification_mark_sent(notification=again[0], lease_token=new_token, address="x")
    assert Notification.objects.get(pk=rows[0].pk).status == "sent"


def test_released_rows_are_due_again_at_once_without_counting_an_attempt(due):
    with time_machine.travel(NOW, tick=False):
        token, _rows = notification_claim_due(batch_size=10, lease_seconds=60)
        assert notification_release(lease_token=token) == 5
        _token, again = notification_claim_due(batch_size=10, lease_seconds=60)
    assert len(again) == 5
    assert all(r.attempts == 1 for r in again)


def test_rows_not_yet_due_are_left_alone(service, stylist):
    with time_machine.travel(NOW, tick=False):
        make_due_emails(count=2, service=service, staff=stylist, start=NOW + dt.timedelta(days=1))
        Notification.objects.update(next_attempt_at=NOW + dt.timedelta(minutes=1))
        _token, rows = notification_claim_due(batch_size=10, lease_seconds=60)
    assert rows == []
