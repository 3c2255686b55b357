"""The private calendar feed shows one staff member's appointments and nothing after it is
revoked; the message log names message statuses (queued, not 待确认), shows why a message
failed, and resends it."""

import datetime as dt
import re

import icalendar
import pytest
import time_machine

from tests.helpers import NOW, TUESDAY, at, html_of, make_appointment, make_user, office_browser_for
from yuyue.catalog.models import Membership
from yuyue.catalog.services import membership_end
from yuyue.notifications.models import Notification
from yuyue.scheduling.selectors import has_calendar_feed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def issue(client, staff) -> str:
    html = html_of(client.post(f"/manage/salon/staff/{staff.id}/feed/", {"do": "issue"}))
    return re.search(r'id="address" readonly value="http://testserver([^"]+)"', html).group(1)


def summaries(response) -> list[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


def test_the_feed_shows_one_staff_members_appointments_only(
    as_staff, stylist, colleague, pending, service, customer
):
    make_appointment(
        service=service, staff=colleague, customer=customer, start=at(TUESDAY, "15:00")
    )

    address = issue(as_staff, stylist)
    response = office_browser_for(None).get(address)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries(response) == ["张小美 · 洗剪吹"]


def test_nothing_after_revocation_or_a_new_address(as_staff, stylist, pending):
    first = issue(as_staff, stylist)
    second = issue(as_staff, stylist)

    assert office_browser_for(None).get(first).status_code == 404
    assert office_browser_for(None).get(second).status_code == 200

    as_staff.post(f"/manage/salon/staff/{stylist.id}/feed/", {"do": "revoke"})

    assert office_browser_for(None).get(second).status_code == 404


def test_staff_cannot_make_a_feed_of_a_colleague(as_staff, colleague):
    response = as_staff.post(f"/manage/salon/staff/{colleague.id}/feed/", {"do": "issue"})

    assert response.status_code == 403
    assert 'id="address"' not in html_of(response)


def test_a_made_up_key_is_a_404(db):
    assert office_browser_for(None).get("/manage/feed/made-up.ics").status_code == 404


def confirmed_with_messages(as_owner, pending):
    as_owner.post(f"/manage/salon/appointments/{pending.public_id}/confirm/")
    return Notification.objects.filter(appointment=pending)


def test_queued_messages_are_queued_not_pending(owner, pending):
    client = office_browser_for(owner, english=False)
    client.post(f"/manage/salon/appointments/{pending.public_id}/confirm/")

    html = html_of(client.get("/manage/salon/messages/"))

    assert "排队中" in html
    assert 'status-msg-pending">待确认' not in html


def test_a_failure_shows_its_reason_and_can_be_resent(as_owner, pending):
    notification = confirmed_with_messages(as_owner, pending).first()
    notification.status = "failed"
    notification.last_error = "550 mailbox unavailable"
    notification.save()

    html = html_of(as_owner.get("/manage/salon/messages/", {"status": "failed"}))
    assert "550 mailbox unavailable" in html and "Resend" in html

    as_owner.post(f"/manage/salon/messages/{notification.id}/resend/")

    notification.refresh_from_db()
    assert notification.status == "pending" and notification.last_error == ""


def test_another_business_cannot_resend(other_owner, as_owner, pending):
    notification = confirmed_with_messages(as_owner, pending).first()
    notification.status = "failed"
    notification.save()

    response = office_browser_for(other_owner).post(
        f"/manage/salon/messages/{notification.id}/resend/"
    )

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.status == "failed"


def test_the_feed_is_never_kept_by_a_cache(as_staff, stylist, pending):
    response = office_browser_for(None).get(issue(as_staff, stylist))

    assert "no-store" in response["Cache-Control"]
    assert "max-age" not in response["Cache-Control"]


def test_the_feed_dies_with_the_staff_members_membership(
    owner, business, as_staff, stylist, staff_user, pending
):
    address = issue(as_staff, stylist)

    membership_end(
        membership=Membership.objects.get(business=business, user=staff_user), actor=owner
    )

    assert office_browser_for(None).get(address).status_code == 404
    assert not has_calendar_feed(staff=stylist)


def test_a_new_account_on_the_staff_record_does_not_revive_the_old_feed(
    owner, business, as_staff, stylist, staff_user, pending
):
    address = issue(as_staff, stylist)
    membership_end(
        membership=Membership.objects.get(business=business, user=staff_user), actor=owner
    )
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        successor = make_user("successor")
        Membership.objects.create(business=business, user=successor, role="staff")
        stylist.user = successor
        stylist.save(update_fields=["user"])

        assert office_browser_for(None).get(address).status_code == 404


def test_a_staff_member_without_an_account_gets_no_feed(as_owner, colleague):
    response = as_owner.post(f"/manage/salon/staff/{colleague.id}/feed/", {"do": "issue"})

    assert response.status_code == 403
    assert 'id="address"' not in html_of(response)
