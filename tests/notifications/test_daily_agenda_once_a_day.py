"""The daily agenda (明日预约): at the hour a staff member chose, in their shop's zone, the
worker's periodic step queues tomorrow's appointments for their account, once per person and
day however many workers run; sent through the real SMTP stand-in."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from tests.helpers import (
    TUESDAY,
    WEDNESDAY,
    at,
    make_appointment,
    make_user,
    office_browser_for,
)
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.notifications.dispatcher import Dispatcher, drain
from yuyue.notifications.models import Notification
from yuyue.notifications.services import agendas_schedule
from yuyue.scheduling.services import staff_agenda_set

pytestmark = pytest.mark.django_db

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
EVENING = at(TUESDAY, "20:00")


@pytest.fixture
def tony(stylist, staff_user):
    staff_user.email = "tony@example.com"
    staff_user.save()
    staff_agenda_set(staff=stylist, actor=staff_user, hour=20)
    return stylist


@pytest.fixture
def tomorrow(service, tony, customer):
    customer.display_name = "张小美"
    customer.save()
    other = make_user("lisi", phone="+8613300133000", display_name="李四")
    return [
        make_appointment(
            service=service, staff=tony, customer=customer, start=at(WEDNESDAY, "10:00")
        ),
        make_appointment(
            service=service,
            staff=tony,
            customer=other,
            start=at(WEDNESDAY, "14:00"),
            status="pending",
        ),
        make_appointment(
            service=service,
            staff=tony,
            customer=other,
            start=at(WEDNESDAY, "16:00"),
            status="cancelled",
        ),
        make_appointment(service=service, staff=tony, customer=other, start=at(THURSDAY, "11:00")),
    ]


def agendas():
    return list(Notification.objects.filter(kind="agenda").order_by("id"))


def test_nothing_is_queued_before_the_hour(tony, tomorrow):
    with time_machine.travel(EVENING - dt.timedelta(minutes=1), tick=False):
        drain()

    assert agendas() == []


def test_at_the_hour_tomorrows_appointments_are_mailed(mailbox, tony, tomorrow):
    with time_machine.travel(EVENING + dt.timedelta(seconds=30), tick=False):
        drain()

    [row] = agendas()
    assert (row.status, row.channel, row.agenda_date) == ("sent", "email", WEDNESDAY)
    assert row.send_after == EVENING
    [mail] = mailbox.to("tony@example.com")
    assert mail["Subject"].strip() == "明日预约：12月2日 周三，共 2 个"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "10:00–11:00" in body and "张小美" in body
    assert "14:00–15:00" in body and "李四" in body
    assert "16:00" not in body  # cancelled
    assert "11:00–12:00" not in body  # Thursday's
    assert body.index("10:00–11:00") < body.index("14:00–15:00")
    assert f"/manage/salon/?date={WEDNESDAY.isoformat()}" in body


def test_exactly_once_a_day_whatever_the_number_of_workers_and_rounds(mailbox, tony, tomorrow):
    with time_machine.travel(EVENING + dt.timedelta(minutes=1), tick=False) as clock:
        first, second = Dispatcher(), Dispatcher()
        first.run_once()
        second.run_once()
        clock.shift(dt.timedelta(hours=2))
        Dispatcher().run_once()
        agendas_schedule()

    assert len(agendas()) == 1
    assert len(mailbox.to("tony@example.com")) == 1


def test_the_database_refuses_a_second_agenda_for_the_same_day(tony, tomorrow):
    with time_machine.travel(EVENING, tick=False):
        agendas_schedule()
    [row] = agendas()

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            business_id=row.business_id,
            recipient=row.recipient,
            channel="sms",
            kind="agenda",
            language="zh-hans",
            agenda_date=row.agenda_date,
            send_after=row.send_after,
            next_attempt_at=row.send_after,
        )


def test_the_next_evening_brings_the_next_day(mailbox, tony, tomorrow):
    with time_machine.travel(EVENING, tick=False) as clock:
        drain()
        clock.move_to(EVENING + dt.timedelta(days=1))
        drain()

    assert [(a.agenda_date, a.status) for a in agendas()] == [
        (WEDNESDAY, "sent"),
        (THURSDAY, "sent"),
    ]


def test_a_day_without_appointments_sends_nothing(mailbox, tony):
    with time_machine.travel(EVENING, tick=False):
        drain()

    [row] = agendas()
    assert (row.status, row.last_error) == ("skipped", "Skipped: no appointments that day.")
    assert mailbox.to("tony@example.com") == []


def test_a_staff_member_without_email_gets_a_text(tony, tomorrow, staff_user, caplog):
    staff_user.email = ""
    staff_user.save()
    with time_machine.travel(EVENING, tick=False):
        drain()

    [row] = agendas()
    assert (row.channel, row.status) == ("sms", "sent")
    assert "张小美" in caplog.text


def test_the_hour_is_in_the_shops_zone(mailbox, tony, tomorrow, location):
    # The shop moves to Berlin (UTC+1): 20:00 there is 03:00 in Shanghai.
    location.timezone = "Europe/Berlin"
    location.save()
    with time_machine.travel(EVENING, tick=False):
        drain()
    assert agendas() == []

    berlin_evening = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with time_machine.travel(berlin_evening, tick=False):
        drain()
    [row] = agendas()
    assert row.agenda_date == WEDNESDAY
    assert row.send_after == berlin_evening


def test_choosing_no_channel_means_no_agenda(tony, tomorrow, business, staff_user):
    from yuyue.catalog.services import membership_notice_channel_set

    membership_notice_channel_set(business=business, actor=staff_user, channel="none")
    with time_machine.travel(EVENING, tick=False):
        drain()

    assert agendas() == []


def test_the_staff_member_chooses_the_hour_in_my_notices(business, stylist, staff_user):
    browser = office_browser_for(staff_user)

    page = browser.get(f"/manage/{business.slug}/me/notices/")
    saved = browser.post(
        f"/manage/{business.slug}/me/notices/", {"notice_channel": "", "agenda_hour": "19"}
    )

    assert 'name="agenda_hour"' in page.content.decode()
    assert saved.status_code == 303
    stylist.refresh_from_db()
    assert stylist.agenda_hour == 19


def test_only_the_staff_member_or_an_owner_sets_it(stylist, stranger, owner):
    with pytest.raises(NotAllowed):
        staff_agenda_set(staff=stylist, actor=stranger, hour=20)
    with pytest.raises(InvalidInput):
        staff_agenda_set(staff=stylist, actor=owner, hour=24)
    assert staff_agenda_set(staff=stylist, actor=owner, hour=None).agenda_hour is None


def test_a_staff_record_without_an_account_gets_no_agenda(service, location, owner):
    from tests.helpers import make_staff

    chair = make_staff(service=service, location=location, name="Chair 2")
    with pytest.raises(InvalidInput):
        staff_agenda_set(staff=chair, actor=owner, hour=20)
