"""The back office: the booking rules on the policies page, an owner lifting the no-show rule
on the customer's page (with a reason), and a series booked for a customer after its check."""

import datetime as dt
import re

import pytest

from tests.helpers import NOW, html_of, make_appointment, owner_of
from yuyue.bookings.models import Appointment, Series, Status
from yuyue.catalog.services import business_update, service_update
from yuyue.customers.models import Customer
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_policies_page_sets_the_booking_rules(as_owner, business):
    page = html_of(as_owner.get("/manage/salon/settings/policies/"))
    for name in ("max_future_bookings", "no_show_limit", "release_days_before", "release_time"):
        assert f'name="{name}"' in page
    response = as_owner.post(
        "/manage/salon/settings/policies/",
        {
            "name": business.name,
            "phone": "",
            "max_future_bookings": "3",
            "max_future_bookings_scope": "service",
            "no_show_limit": "2",
            "no_show_window_days": "60",
            "no_show_action": "refuse",
            "no_show_deposit": "20.00",
            "release_days_before": "7",
            "release_time": "08:00",
            "customers_book_series": "on",
        },
    )
    assert response.status_code == 303, html_of(response)
    business.refresh_from_db()
    assert (business.max_future_bookings, business.max_future_bookings_scope) == (3, "service")
    assert (business.no_show_limit, business.no_show_window_days) == (2, 60)
    assert (business.release_days_before, business.release_time) == (7, dt.time(8, 0))
    assert business.customers_book_series


@pytest.fixture
def missed(business, service, stylist, customer):
    business_update(
        business=business, actor=owner_of(business), no_show_limit=1, no_show_action="refuse"
    )
    make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=NOW - dt.timedelta(days=2),
        status=Status.NO_SHOW,
    )
    return Customer.objects.get(user=customer)


def test_an_owner_lifts_the_no_show_rule_with_a_reason(as_owner, as_staff, missed):
    url = f"/manage/salon/customers/{missed.id}/"
    page = html_of(as_owner.get(url))
    assert "data-no-show-rule" in page and "no-shows/lift/" in page
    # Staff see the rule but may not lift it.
    assert "no-shows/lift/" not in html_of(as_staff.get(url))
    refused = as_staff.post(url + "no-shows/lift/", {"reason": "熟客"})
    assert refused.status_code in {403, 404}
    empty = as_owner.post(url + "no-shows/lift/", {"reason": ""})
    assert empty.status_code == 303
    missed.refresh_from_db()
    assert missed.no_shows_lifted_at is None
    lifted = as_owner.post(url + "no-shows/lift/", {"reason": "熟客，已电话确认"})
    assert lifted.status_code == 303
    missed.refresh_from_db()
    assert missed.no_shows_lifted_reason == "熟客，已电话确认"
    assert "熟客，已电话确认" in html_of(as_owner.get(url))


def test_staff_book_a_series_for_a_customer_after_the_check(
    as_staff, service, stylist, customer, owner
):
    service_update(service=service, actor=owner, allows_series=True)
    staff_override_set(staff=stylist, actor=owner, date=dt.date(2026, 12, 9), closed=True)
    record = Customer.objects.create(business=service.business, name="王先生", phone="")
    url = f"/manage/salon/customers/{record.id}/series/"
    query = {
        "service": service.id,
        "staff": "",
        "date": "2026-12-02",
        "time": "10:00",
        "every_weeks": "1",
        "count": "3",
        "until": "",
    }
    page = html_of(as_staff.get(url, query))
    ticked = re.findall(r'name="start" value="([^"]+)" checked', page)
    assert ticked == ["2026-12-02T10:00+08:00", "2026-12-16T10:00+08:00"]
    offered = re.findall(r'name="start" value="([^"]+)">', page)
    assert offered, "the closed day offers alternatives"
    # Booking the conflicting date as asked books nothing and shows the check again.
    asked = [*ticked, "2026-12-09T10:00+08:00"]
    refused = as_staff.post(url, {**query, "action": "book", "start": asked})
    assert refused.status_code == 200
    assert not Appointment.objects.filter(client=record).exists()
    booked = as_staff.post(url, {**query, "action": "book", "start": [*ticked, offered[0]]})
    assert booked.status_code == 303
    series = Series.objects.get(client=record)
    assert series.appointments.count() == 3
    assert set(series.appointments.values_list("channel", flat=True)) == {"backoffice"}


def test_staff_cancel_this_one_of_a_series(as_staff, service, stylist, customer, owner):
    from yuyue.bookings.services import series_create

    service_update(service=service, actor=owner, allows_series=True)
    starts = [dt.datetime(2026, 12, day, 10, tzinfo=stylist.zone) for day in (2, 9)]
    series = series_create(
        service=service, starts=starts, every_weeks=1, customer=customer, actor=owner, now=NOW
    )
    first, _second = series.appointments.order_by("start")
    page = html_of(as_staff.get(f"/manage/salon/appointments/{first.public_id}/cancel/"))
    assert 'name="following"' in page
    done = as_staff.post(
        f"/manage/salon/appointments/{first.public_id}/cancel/",
        {"reason": "店休", "confirmed": "1"},
    )
    assert done.status_code == 303
    statuses = list(series.appointments.order_by("start").values_list("status", flat=True))
    assert statuses == [Status.CANCELLED, Status.CONFIRMED]
