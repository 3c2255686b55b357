"""The customer pages: a weekly series where the business allows it (checked, a closed day
with alternatives, all or nothing), and the day strip saying when later days open (放号)."""

import datetime as dt
import re

import pytest

from tests.helpers import html_of, owner_of
from yuyue.bookings.models import Appointment, Series
from yuyue.catalog.services import business_update, service_update
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def url(service):
    return f"/b/salon/book/{service.id}/series/"


def test_no_series_page_unless_the_business_and_the_service_allow_it(
    as_customer, business, service, stylist
):
    query = {"start": "2026-12-02T10:00+08:00"}
    assert as_customer.get(url(service), query).status_code == 404
    service_update(service=service, actor=owner_of(service), allows_series=True)
    assert as_customer.get(url(service), query).status_code == 404
    business_update(business=business, actor=owner_of(business), customers_book_series=True)
    assert as_customer.get(url(service), query).status_code == 200
    confirm = html_of(as_customer.get(f"/b/salon/book/{service.id}/confirm/", query))
    assert "data-series-link" in confirm


def test_a_customer_books_a_series_after_the_check(
    as_customer, business, service, stylist, customer
):
    owner = owner_of(business)
    service_update(service=service, actor=owner, allows_series=True)
    business_update(business=business, actor=owner, customers_book_series=True)
    staff_override_set(staff=stylist, actor=owner, date=dt.date(2026, 12, 9), closed=True)
    query = {"start": "2026-12-02T10:00+08:00", "every_weeks": "1", "count": "3"}
    page = html_of(as_customer.get(url(service), query))
    ticked = re.findall(r'name="pick" value="([^"]+)" checked', page)
    assert ticked == ["2026-12-02T10:00+08:00", "2026-12-16T10:00+08:00"]
    offered = re.findall(r'name="pick" value="([^"]+)">', page)
    assert offered
    asked = [*ticked, "2026-12-09T10:00+08:00"]
    refused = as_customer.post(url(service), {**query, "pick": asked})
    assert refused.status_code == 409
    assert not Appointment.objects.exists()
    booked = as_customer.post(url(service), {**query, "pick": [*ticked, offered[0]]})
    assert booked.status_code == 303
    series = Series.objects.get()
    assert series.appointments.filter(customer=customer).count() == 3


def test_the_day_strip_says_when_later_days_open(browser, business, service, stylist):
    business_update(
        business=business,
        actor=owner_of(business),
        release_days_before=1,
        release_time=dt.time(9, 0),
    )
    page = html_of(browser.get(f"/b/salon/book/{service.id}/"))
    # At Tue 1 Dec 08:00, Wednesday's times open today at 09:00, a day before.
    note = re.search(r"<p[^>]*data-opens>(.*?)</p>", page)
    assert note is not None
    assert "12月1日 09:00" in note.group(1)


def test_a_customer_cancels_this_and_the_following(
    as_customer, business, service, stylist, customer
):
    from tests.helpers import NOW
    from yuyue.bookings.models import Status
    from yuyue.bookings.services import series_create

    owner = owner_of(business)
    service_update(service=service, actor=owner, allows_series=True)
    starts = [dt.datetime(2026, 12, day, 10, tzinfo=stylist.zone) for day in (2, 9, 16)]
    series = series_create(
        service=service, starts=starts, every_weeks=1, customer=customer, actor=owner, now=NOW
    )
    _first, second, _third = series.appointments.order_by("start")
    page = html_of(as_customer.get(f"/appointments/{second.public_id}/cancel/"))
    assert 'name="following"' in page
    done = as_customer.post(
        f"/appointments/{second.public_id}/cancel/", {"reason": "搬家了", "following": "1"}
    )
    assert done.status_code == 302
    statuses = list(series.appointments.order_by("start").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED]
