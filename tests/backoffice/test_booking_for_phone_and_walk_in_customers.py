"""Booking for a customer who calls or walks in: found among the business's own records by
phone or name, or added with a name and a phone; staff may waive notice and horizon, never
overlap or capacity; a walk-in starts at once."""

import datetime as dt
import re
import zoneinfo
from urllib.parse import unquote

import pytest
import time_machine

from tests.helpers import NOW, TUESDAY, at, html_of, make_staff, make_user, owner_of
from yuyue.accounts.models import User
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create
from yuyue.catalog.services import location_create
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_for_booking
from yuyue.lib.errors import NotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def regular(business, customer):
    """The salon's record of the customer, who has booked there before."""
    return customer_for_booking(business=business, user=customer)


def token_in(html: str) -> str:
    return re.search(r'name="customer" value="([^"]+)"', html).group(1)


def choose(client, query: str) -> str:
    """Search, then follow the first result; the booking form's customer token."""
    found = html_of(client.get("/manage/salon/book/", {"q": query}))
    link = re.search(r'href="\?customer=([^"]+)"', found).group(1)
    return token_in(html_of(client.get("/manage/salon/book/", {"customer": unquote(link)})))


def test_a_caller_is_found_by_phone_number_as_they_say_it(as_owner, regular, stylist):
    html = html_of(as_owner.get("/manage/salon/book/", {"q": "137 0013 7000"}))

    assert "customer" in html and "137 0013 7000" in html


def test_an_account_the_business_has_no_record_of_is_not_found(as_owner, customer, stylist):
    html = html_of(as_owner.get("/manage/salon/book/", {"q": "137 0013 7000"}))

    assert "+8613700137000" not in html and 'href="?customer=' not in html


def test_a_customer_is_found_by_chinese_name(as_owner, pending):
    html = html_of(as_owner.get("/manage/salon/book/", {"q": "小美"}))

    assert "张小美" in html


def test_a_phone_booking_lands_confirmed_for_the_chosen_staff(
    as_owner, regular, customer, service, stylist
):
    token = choose(as_owner, "13700137000")

    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": stylist.id,
            "date": TUESDAY.isoformat(),
            "time": "15:00",
        },
    )

    assert response.status_code == 303
    appointment = Appointment.objects.get(customer=customer)
    assert (appointment.start, appointment.staff, appointment.channel) == (
        at(TUESDAY, "15:00"),
        stylist,
        "backoffice",
    )
    assert appointment.status == "confirmed"


def test_staff_may_book_sooner_than_the_notice_and_off_the_grid(
    as_owner, regular, customer, service, stylist
):
    token = choose(as_owner, "13700137000")

    # The clock says 08:00; 09:10 is within the hour of notice and off the hourly grid.
    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": stylist.id,
            "date": TUESDAY.isoformat(),
            "time": "09:10",
        },
    )

    assert response.status_code == 303
    assert Appointment.objects.get(customer=customer).start == at(TUESDAY, "09:10")


def test_staff_may_book_beyond_the_horizon(owner, customer, service, stylist):
    far = at(NOW.date() + dt.timedelta(days=service.max_days_ahead + 10), "10:00")
    while far.weekday() > 4:
        far += dt.timedelta(days=1)

    appointment = appointment_create(
        service=service,
        customer=customer,
        start=far,
        staff=stylist,
        actor=owner,
        staff_override=True,
    )

    assert appointment.start == far


def test_customers_cannot_waive_the_rules_for_themselves(customer, service, stylist):
    with pytest.raises(NotAllowed):
        appointment_create(
            service=service,
            customer=customer,
            start=at(TUESDAY, "09:10"),
            staff=stylist,
            staff_override=True,
        )


def test_staff_never_book_over_another_appointment(owner, pending, service, stylist):
    other = make_user("other", phone="+8613311112222")
    with pytest.raises(SlotUnavailable):
        appointment_create(
            service=service,
            customer=other,
            start=at(TUESDAY, "10:30"),
            staff=stylist,
            actor=owner,
            staff_override=True,
        )


def test_a_refused_time_links_to_the_explainer(as_owner, pending, customer, service, stylist):
    token = choose(as_owner, "13700137000")

    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": stylist.id,
            "date": TUESDAY.isoformat(),
            "time": "10:30",
        },
    )

    assert response.status_code == 409
    assert "/manage/salon/why/?" in html_of(response)


def test_a_new_customer_needs_only_a_name_and_a_phone(as_owner, service, stylist):
    response = as_owner.post(
        "/manage/salon/book/customer/", {"name": "王先生", "phone": "139 1234 5678"}
    )

    assert response.status_code == 303
    created = Customer.objects.get(business__slug="salon", phone="+8613912345678")
    assert created.name == "王先生" and created.user is None
    assert not User.objects.filter(phone="+8613912345678").exists()


def test_a_walk_in_starts_now(as_owner, service, stylist):
    as_owner.post("/manage/salon/book/customer/", {"name": "路人甲", "phone": "13912345678"})
    token = choose(as_owner, "13912345678")

    with time_machine.travel(at(TUESDAY, "09:02"), tick=False):
        response = as_owner.post(
            "/manage/salon/book/",
            {"customer": token, "service": service.id, "staff": stylist.id, "walk_in": "1"},
        )

    assert response.status_code == 303
    appointment = Appointment.objects.get(client__phone="+8613912345678")
    assert appointment.customer is None
    assert appointment.status == "in_progress"
    assert appointment.start == at(TUESDAY, "09:03")
    assert list(appointment.events.values_list("action", flat=True)) == ["created", "started"]


def test_a_forged_customer_token_books_nothing(as_owner, service, stylist):
    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": "1:forged",
            "service": service.id,
            "staff": stylist.id,
            "date": TUESDAY.isoformat(),
            "time": "15:00",
        },
    )

    assert response.status_code == 400
    assert not Appointment.objects.exists()


def test_a_time_for_staff_at_a_shop_in_another_zone_is_that_shops_time(
    as_owner, business, regular, service
):
    shop = location_create(
        business=business, actor=owner_of(business), name="东京店", timezone="Asia/Tokyo"
    )
    ken = make_staff(service=service, location=shop, name="Ken")
    token = choose(as_owner, "13700137000")

    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": ken.id,
            "date": TUESDAY.isoformat(),
            "time": "15:00",
        },
    )

    assert response.status_code == 303
    booked = Appointment.objects.get(staff=ken)
    assert booked.start == dt.datetime.combine(TUESDAY, dt.time(15), tzinfo=TOKYO)


# Issue 24, item 2: the free times, the calendar's choice carried along, a walk-in refusal
# that says why, and a visit recorded afterwards.


@pytest.fixture
def on_record(customer, service):
    """The customer is one of the salon's records (as after a first booking of their own)."""
    return customer_for_booking(business=service.business, user=customer)


def test_the_free_times_are_offered_and_one_fills_the_form(as_owner, on_record, service, stylist):
    token = choose(as_owner, "13700137000")
    page = html_of(
        as_owner.get(
            "/manage/salon/book/",
            {"customer": token, "service": service.id, "staff": stylist.id},
        )
    )
    links = re.findall(r'<a class="time" href="([^"]+)">(\d\d:\d\d)', page)
    assert [label for _href, label in links][:2] == ["09:00", "10:00"]
    href = {label: href for href, label in links}["10:00"].replace("&amp;", "&")

    filled = html_of(as_owner.get(href))

    assert 'id="time" name="time" type="time" step="300" value="10:00"' in filled
    assert f'name="staff" value="{stylist.id}"' in filled


def test_the_calendars_choice_rides_along_while_the_customer_is_found(as_owner, on_record, stylist):
    query = {"q": "13700137000", "staff": stylist.id, "date": "2026-12-01", "time": "15:00"}
    found = html_of(as_owner.get("/manage/salon/book/", query))

    link = re.search(r'class="card-link" href="\?([^"]+)"', found).group(1).replace("&amp;", "&")
    assert f"staff={stylist.id}" in link and "time=15%3A00" in link
    assert '<input type="hidden" name="time" value="15:00">' in found


def test_a_refused_walk_in_says_why_and_links_the_explainer(
    as_owner, customer, service, stylist, pending
):
    token = choose(as_owner, "13700137000")
    with time_machine.travel(at(TUESDAY, "10:10"), tick=False):
        response = as_owner.post(
            "/manage/salon/book/",
            {"customer": token, "service": service.id, "staff": stylist.id, "walk_in": "1"},
        )

    assert response.status_code == 409
    html = html_of(response)
    assert "It cannot start now." in html and "张小美" in html
    assert "/manage/salon/why/?staff=" in html and "time=10%3A11" in html


def test_yesterdays_visit_is_recorded_as_completed(as_owner, on_record, customer, service, stylist):
    token = choose(as_owner, "13700137000")
    yesterday = (TUESDAY - dt.timedelta(days=1)).isoformat()

    response = as_owner.post(
        "/manage/salon/book/",
        {
            "customer": token,
            "service": service.id,
            "staff": stylist.id,
            "date": yesterday,
            "time": "15:00",
            "past": "1",
        },
    )

    assert response.status_code == 303
    visit = Appointment.objects.get(customer=customer)
    assert visit.status == "completed"
    assert visit.start == at(TUESDAY - dt.timedelta(days=1), "15:00")
