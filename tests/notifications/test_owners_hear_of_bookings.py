"""Owners hear of new bookings and cancellations, on the channel each chose in My notices
(email by default when they have an address), through the real SMTP stand-in; never twice
when the owner is also the staff member booked, never of a change they made themselves."""

import pytest
import time_machine

from tests.helpers import (
    NOW,
    WEDNESDAY,
    at,
    join_business,
    make_staff,
    make_user,
    office_browser_for,
)
from yuyue.bookings.services import appointment_cancel, appointment_create
from yuyue.catalog.models import Membership
from yuyue.catalog.services import membership_notice_channel_set
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification

pytestmark = pytest.mark.django_db


def book(service, customer, staff, hhmm="10:00", **extra):
    return appointment_create(
        service=service, customer=customer, staff=staff, start=at(WEDNESDAY, hhmm), now=NOW, **extra
    )


def owner_rows(owner):
    return sorted((n.kind, n.channel) for n in Notification.objects.filter(recipient=owner))


def test_the_owner_gets_an_email_of_a_new_booking_and_of_its_cancellation(
    mailbox, owner, service, stylist, customer
):
    with time_machine.travel(NOW, tick=False):
        appointment = book(service, customer, stylist)
        drain()
        appointment_cancel(appointment=appointment, actor=customer, reason="ill", now=NOW)
        drain()

    mails = mailbox.to("owner@example.com")
    assert [m["Subject"].strip().split("：")[0] for m in mails] == ["新预约", "预约已取消"]
    assert owner_rows(owner) == [("staff_cancelled", "email"), ("staff_new_booking", "email")]
    assert all(n.status == "sent" for n in Notification.objects.filter(recipient=owner))


def test_an_owner_who_is_the_staff_member_booked_hears_once(
    mailbox, owner, service, location, customer
):
    owner.phone = "+8613500135000"
    owner.save()
    me = make_staff(service=service, location=location, user=owner, name="店主本人")

    book(service, customer, me)
    with time_machine.travel(NOW, tick=False):
        drain()

    assert owner_rows(owner) == [("staff_new_booking", "email")]
    assert len(mailbox.to("owner@example.com")) == 1


def test_the_owner_who_books_for_a_customer_hears_nothing_of_it(owner, service, stylist, customer):
    book(service, customer, stylist, actor=owner)

    assert owner_rows(owner) == []
    # The staff member booked still hears of it.
    assert Notification.objects.filter(kind="staff_new_booking", recipient=stylist.user).exists()


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("sms", [("staff_new_booking", "sms")]),
        ("none", []),
        ("email", [("staff_new_booking", "email")]),
    ],
)
def test_each_owner_chooses_a_channel(
    owner, business, service, stylist, customer, choice, expected
):
    owner.phone = "+8613500135000"
    owner.save()
    membership_notice_channel_set(business=business, actor=owner, channel=choice)

    book(service, customer, stylist)

    assert owner_rows(owner) == expected


def test_the_mini_program_without_a_consent_falls_back_to_the_default(
    owner, business, service, stylist, customer
):
    membership_notice_channel_set(business=business, actor=owner, channel="miniprogram")

    book(service, customer, stylist)

    assert owner_rows(owner) == [("staff_new_booking", "email")]


def test_an_owner_without_email_is_texted_by_default(business, service, stylist, customer):
    second = make_user("second-owner", phone="+8613400134000")
    join_business(business=business, user=second, role=Membership.Role.OWNER)

    book(service, customer, stylist)

    assert owner_rows(second) == [("staff_new_booking", "sms")]


def test_every_owner_hears_each_once(owner, business, service, stylist, customer):
    second = make_user("second-owner", email="second@example.com")
    join_business(business=business, user=second, role=Membership.Role.OWNER)

    book(service, customer, stylist)

    assert owner_rows(owner) == owner_rows(second) == [("staff_new_booking", "email")]


def test_only_a_member_sets_their_own_channel(business, stranger):
    with pytest.raises(NotAllowed):
        membership_notice_channel_set(business=business, actor=stranger, channel="sms")


def test_an_unknown_channel_is_refused(business, owner):
    with pytest.raises(InvalidInput):
        membership_notice_channel_set(business=business, actor=owner, channel="pigeon")


def test_the_owner_chooses_in_my_notices(owner, business):
    browser = office_browser_for(owner)

    page = browser.get(f"/manage/{business.slug}/me/notices/")
    saved = browser.post(f"/manage/{business.slug}/me/notices/", {"notice_channel": "sms"})

    assert page.status_code == 200
    assert 'name="notice_channel"' in page.content.decode()
    # The owner has no staff record: no agenda to choose.
    assert 'name="agenda_hour"' not in page.content.decode()
    assert saved.status_code == 303
    assert Membership.objects.get(business=business, user=owner).notice_channel == "sms"
