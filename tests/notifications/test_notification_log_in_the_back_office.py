"""The notification log in the back office: filters, the resend action, business scoping,
and the health check an operator alarms on."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.helpers import NOW, WEDNESDAY, at
from yuyue.bookings.services import appointment_create
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db
LOG = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def failed(service, stylist, customer):
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    row = Notification.objects.get(kind="booked")
    Notification.objects.filter(pk=row.pk).update(
        status="failed", attempts=3, last_error="No email on file."
    )
    return row


def test_the_owner_filters_the_log_and_reads_reasons_in_chinese(client, owner, failed):
    client.force_login(owner)
    page = client.get(LOG, {"status__exact": "failed"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "没有登记邮箱。" in text
    assert text.count('class="action-checkbox"') == 1
    for query in ({"kind__exact": "reminder"}, {"channel__exact": "sms"}):
        assert client.get(LOG, query).status_code == 200


def test_the_owner_resends_a_failed_message_with_the_same_message_id(client, owner, failed):
    client.force_login(owner)
    with time_machine.travel(NOW, tick=False):
        answer = client.post(
            LOG, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
        )
    assert answer.status_code == 200
    again = Notification.objects.get(pk=failed.pk)
    assert (again.status, again.attempts, again.next_attempt_at) == ("pending", 0, NOW)
    assert again.message_id == failed.message_id


def test_staff_see_the_log_but_cannot_resend(client, staff_user, failed):
    client.force_login(staff_user)
    assert client.get(LOG).status_code == 200
    client.post(LOG, {"action": "resend", "_selected_action": [failed.pk]})
    assert Notification.objects.get(pk=failed.pk).status == "failed"


def test_another_business_sees_nothing(client, other_owner, failed):
    client.force_login(other_owner)
    page = client.get(LOG)
    assert page.status_code == 200
    assert 'class="action-checkbox"' not in page.content.decode()


def test_the_health_check_reports_the_oldest_due_row_and_fails_past_a_limit(
    capsys, service, stylist, customer
):
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        call_command("notifications_health")
        report = json.loads(capsys.readouterr().out)
        assert report["oldest_due_age_seconds"] == 600
        # The customer's email, the staff member's text and the owner's email.
        assert report["due"] == 3
        with pytest.raises(CommandError, match="waited 600 s"):
            call_command("notifications_health", "--max-age", "300")
        call_command("notifications_health", "--max-age", "900")
