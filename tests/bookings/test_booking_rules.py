"""The business's booking rules (docs/booking.md#booking-rules): a limit on future bookings,
the no-show rule with its deposit or refusal and its lifting, and the release time (放号) at
its boundary, through the services and the API, refused in Chinese and English."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from tests.helpers import (
    EN,
    NOW,
    SHANGHAI,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    at,
    client_for,
    error_of,
    make_appointment,
    owner_of,
)
from yuyue.bookings.errors import BookingLimitReached, NoShowRule, SlotUnavailable
from yuyue.bookings.models import AppointmentEvent, Status
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import business_update
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_no_shows_lift
from yuyue.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db
URL = "/api/v1/businesses/salon/appointments"


def rules(business, **fields):
    business_update(business=business, actor=owner_of(business), **fields)
    business.refresh_from_db()


def book(service, customer, day, hhmm, **extra):
    start = at(day, hhmm)
    return appointment_create(service=service, customer=customer, start=start, now=NOW, **extra)


# At most K future bookings ------------------------------------------------------------------


def test_a_customer_may_hold_at_most_k_future_bookings(business, service, stylist, customer):
    rules(business, max_future_bookings=2)
    book(service, customer, WEDNESDAY, "10:00")
    book(service, customer, WEDNESDAY, "11:00")
    with translation.override("en"), pytest.raises(BookingLimitReached) as refused:
        book(service, customer, THURSDAY, "10:00")
    assert str(refused.value.message) == "You may hold at most 2 upcoming bookings here."
    with translation.override("zh-hans"), pytest.raises(BookingLimitReached) as refused:
        book(service, customer, THURSDAY, "10:00")
    assert "2" in str(refused.value.message) and "预约" in str(refused.value.message)


def test_past_and_cancelled_bookings_do_not_count(business, service, stylist, customer):
    rules(business, max_future_bookings=1)
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "06:00"),
        status=Status.COMPLETED,
    )
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(THURSDAY, "15:00"),
        status=Status.CANCELLED,
    )
    assert book(service, customer, WEDNESDAY, "10:00").status == Status.CONFIRMED


def test_the_limit_per_service_counts_that_service_only(business, service, stylist, customer):
    from yuyue.catalog.services import service_create

    colour = service_create(
        business=business,
        actor=owner_of(business),
        name="染发",
        duration_minutes=60,
        price=Decimal("200.00"),
    )
    stylist.services.add(colour)
    rules(business, max_future_bookings=1, max_future_bookings_scope="service")
    book(service, customer, WEDNESDAY, "10:00")
    book(colour, customer, WEDNESDAY, "11:00")
    with translation.override("en"), pytest.raises(BookingLimitReached) as refused:
        book(service, customer, THURSDAY, "10:00")
    assert str(refused.value.message) == "You may hold at most 1 upcoming booking of 洗剪吹 here."


def test_staff_booking_for_a_customer_are_not_held_by_the_limit(
    business, service, stylist, customer, staff_user
):
    rules(business, max_future_bookings=1)
    book(service, customer, WEDNESDAY, "10:00")
    booked = book(service, customer, WEDNESDAY, "11:00", actor=staff_user)
    assert booked.status == Status.CONFIRMED


def test_the_api_refuses_with_409_and_the_reason_in_both_languages(
    business, service, stylist, customer
):
    rules(business, max_future_bookings=1)
    book(service, customer, WEDNESDAY, "10:00")
    body = {"service_id": service.id, "start": "2026-12-03T10:00:00+08:00"}
    english = client_for(customer, **EN).post(URL, body, content_type="application/json")
    assert english.status_code == 409
    error = error_of(english)
    assert error["code"] == "booking_limit"
    assert error["message"] == "You may hold at most 1 upcoming booking here."
    chinese = client_for(customer).post(URL, body, content_type="application/json")
    assert chinese.status_code == 409
    assert error_of(chinese)["message"] != error["message"]


# N no-shows within M days -------------------------------------------------------------------


def _miss(service, stylist, customer, days_ago):
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=NOW - dt.timedelta(days=days_ago),
        status=Status.NO_SHOW,
    )


def test_no_shows_make_bookings_refused_until_the_owner_lifts_it(
    business, service, stylist, customer, owner, staff_user
):
    rules(business, no_show_limit=2, no_show_window_days=30, no_show_action="refuse")
    _miss(service, stylist, customer, 3)
    _miss(service, stylist, customer, 40)  # outside the window
    assert book(service, customer, WEDNESDAY, "10:00").status == Status.CONFIRMED
    _miss(service, stylist, customer, 10)
    with translation.override("en"), pytest.raises(NoShowRule) as refused:
        book(service, customer, WEDNESDAY, "11:00")
    assert str(refused.value.message) == (
        "After 2 missed appointments in 30 days, 悦己美发沙龙 takes your bookings by phone only."
    )
    with translation.override("zh-hans"), pytest.raises(NoShowRule) as refused:
        book(service, customer, WEDNESDAY, "11:00")
    assert "悦己美发沙龙" in str(refused.value.message)
    record = Customer.objects.get(user=customer)
    with pytest.raises(NotAllowed):
        customer_no_shows_lift(actor=staff_user, customer=record, reason="熟客", now=NOW)
    reason = "熟客，已电话确认"
    lifted = customer_no_shows_lift(actor=owner, customer=record, reason=reason, now=NOW)
    assert lifted.no_shows_lifted_reason == "熟客，已电话确认"
    assert book(service, customer, WEDNESDAY, "11:00").status == Status.CONFIRMED


def test_no_shows_make_bookings_hold_for_a_deposit(business, service, stylist, customer):
    rules(business, no_show_limit=1, no_show_action="deposit", no_show_deposit=Decimal("30.00"))
    _miss(service, stylist, customer, 5)
    held = book(service, customer, WEDNESDAY, "10:00")
    assert held.status == Status.AWAITING_PAYMENT
    assert held.online_due == Decimal("30.00")
    assert held.pay_by is not None
    created = held.events.get(action=AppointmentEvent.Action.CREATED)
    assert created.data["deposit_for"] == "no_shows"


def test_rules_are_off_by_default(business, service, stylist, customer):
    _miss(service, stylist, customer, 1)
    _miss(service, stylist, customer, 2)
    for hhmm in ("10:00", "11:00", "13:00", "14:00"):
        assert book(service, customer, WEDNESDAY, hhmm).status == Status.CONFIRMED


# Release time (放号) ------------------------------------------------------------------------


RELEASED_DAY = TUESDAY + dt.timedelta(days=7)  # 2026-12-08, a Tuesday: opens 12-01 08:00


@pytest.mark.real_clock
@pytest.mark.parametrize(
    ("clock", "free"),
    [(dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=SHANGHAI), False), (NOW, True)],
)
def test_a_day_opens_at_its_release_time_in_the_business_zone(
    business, service, stylist, customer, clock, free
):
    rules(business, release_days_before=7, release_time=dt.time(8, 0))
    with time_machine.travel(clock, tick=False):
        if free:
            booked = appointment_create(
                service=service, customer=customer, start=at(RELEASED_DAY, "10:00")
            )
            assert booked.status == Status.CONFIRMED
        else:
            with pytest.raises(SlotUnavailable):
                appointment_create(
                    service=service, customer=customer, start=at(RELEASED_DAY, "10:00")
                )


@pytest.mark.real_clock
def test_the_listing_says_when_the_next_day_opens(business, service, stylist):
    rules(business, release_days_before=7, release_time=dt.time(8, 0))
    url = (
        f"/api/v1/businesses/salon/availability?service_id={service.id}"
        "&date_from=2026-12-07&date_to=2026-12-09"
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=SHANGHAI), tick=False):
        body = client_for().get(url).json()
    assert body["opens_at"] == "2026-12-01T08:00:00+08:00"
    assert {slot["start"][:10] for slot in body["slots"]} == {"2026-12-07"}
    with time_machine.travel(NOW, tick=False):
        body = client_for().get(url).json()
    assert body["opens_at"] == "2026-12-02T08:00:00+08:00"
    assert {slot["start"][:10] for slot in body["slots"]} == {"2026-12-07", "2026-12-08"}


def test_staff_may_book_a_day_not_open_yet(business, service, stylist, customer, staff_user):
    rules(business, release_days_before=1, release_time=dt.time(8, 0))
    booked = appointment_create(
        service=service,
        customer=customer,
        start=at(RELEASED_DAY, "10:00"),
        now=NOW,
        actor=staff_user,
        staff_override=True,
    )
    assert booked.status == Status.CONFIRMED


def test_the_explainer_says_when_the_day_opens(business, service, stylist):
    from yuyue.bookings.availability import explain_time

    rules(business, release_days_before=7, release_time=dt.time(8, 0))
    reasons = explain_time(
        service=service,
        staff=stylist,
        start=at(RELEASED_DAY + dt.timedelta(days=1), "10:00"),
        now=NOW,
    )
    assert [reason.code for reason in reasons] == ["not_released"]
    assert reasons[0].opens == dt.datetime(2026, 12, 2, 8, 0, tzinfo=SHANGHAI)


def test_the_deposit_reason_is_shown_to_the_customer(business, service, stylist, customer):
    rules(business, no_show_limit=1, no_show_action="deposit", no_show_deposit=Decimal("30.00"))
    _miss(service, stylist, customer, 5)
    held = book(service, customer, WEDNESDAY, "10:00")
    english = client_for(customer, **EN).get(f"/api/v1/appointments/{held.public_id}").json()
    assert english["payment"]["reason"] == "A deposit is asked because of missed appointments here."
    assert english["payment"]["amount_due"] == "30.00"
    from tests.helpers import browser_for, html_of

    page = html_of(browser_for(customer).get(f"/appointments/{held.public_id}/"))
    assert "data-deposit-reason" in page
