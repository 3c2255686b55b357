"""With the console provider, texts are written to the log, not sent: in production the worker
says so when it starts, and the message log (back office page and admin) never calls such a
text sent."""

import logging

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from tests.helpers import NOW, WEDNESDAY, at, html_of, make_user, office_browser_for, owner_of
from yuyue.bookings.services import appointment_create
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

WARNING = "NOTIFY_SMS_PROVIDER=console in production"


@pytest.fixture
def texted(settings, service, stylist):
    settings.NOTIFY_SMS_PROVIDER = "console"
    customer = make_user("texter", phone="+8613700137001")
    appointment_create(
        service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, "10:00"), now=NOW
    )
    with time_machine.travel(NOW, tick=False):
        drain()
    return Notification.objects.get(kind="booked", channel="sms")


# The command closes stale connections, hence transactional tests.
@pytest.mark.django_db(transaction=True)
def test_the_worker_says_at_start_that_production_texts_are_only_logged(settings, caplog):
    settings.PRODUCTION = True
    settings.NOTIFY_SMS_PROVIDER = "console"
    with caplog.at_level(logging.INFO, logger="yuyue.notifications"):
        call_command("worker", "--once")
    lines = [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]
    assert len(lines) == 1
    assert "never sent" in lines[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("production", "provider"), [(False, "console"), (True, "webhook")], ids=["embedded", "webhook"]
)
def test_the_worker_is_quiet_otherwise(settings, caplog, production, provider):
    settings.PRODUCTION = production
    settings.NOTIFY_SMS_PROVIDER = provider
    settings.NOTIFY_WEBHOOK_URL, settings.NOTIFY_WEBHOOK_SECRET = "http://127.0.0.1:9/", "s"
    with caplog.at_level(logging.INFO, logger="yuyue.notifications"):
        call_command("worker", "--once")
    assert not [r for r in caplog.records if WARNING in r.getMessage()]


@pytest.mark.django_db
def test_the_log_labels_console_texts_logged_only(texted, business):
    assert (texted.status, texted.logged_only) == ("sent", True)
    with translation.override("en"):
        assert texted.status_label == "Logged only — not sent"
    page = html_of(
        office_browser_for(owner_of(business), english=False).get(
            f"/manage/{business.slug}/messages/"
        )
    )
    assert "仅记录，未发送" in page
    row = page.split("texter")[1].split("</tr>")[0]
    assert "已发送" not in row


@pytest.mark.django_db
def test_the_appointment_page_and_the_admin_say_so_too(texted, business, admin_client):
    office = office_browser_for(owner_of(business))
    page = html_of(
        office.get(f"/manage/{business.slug}/appointments/{texted.appointment.public_id}/")
    )
    assert "Logged only — not sent" in page
    admin = admin_client.get("/admin/notifications/notification/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Logged only — not sent" in admin.content.decode()


@pytest.mark.django_db
def test_delivered_texts_keep_their_sent_label(texted):
    texted.logged_only = False
    with translation.override("en"):
        assert texted.status_label == "Sent"
