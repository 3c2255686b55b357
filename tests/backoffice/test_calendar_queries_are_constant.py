"""The day and week calendars cost the same number of queries for one staff member with one
appointment as for many staff with many appointments."""

import pytest

from tests.helpers import TUESDAY, at, make_appointment, make_staff, make_user, owner_of
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

# Session, user, business, role, staff (+ their services), shops, hours, overrides,
# appointments, pending, and for owners the set-up checklist (backoffice/setup.py).
DAY_QUERIES = 12
WEEK_QUERIES = 9


def crowd(business, service, location, pending_customer, people: int) -> None:
    for n in range(people):
        member = make_staff(service=service, location=location, name=f"员工 {n}")
        staff_override_set(
            staff=member, actor=owner_of(member), date=TUESDAY, intervals=[["10:00", "16:00"]]
        )
        for hour in ("10:00", "11:00", "14:00"):
            make_appointment(
                service=service,
                staff=member,
                customer=make_user(f"c{n}-{hour}", phone="+8613000000000", display_name="客人"),
                start=at(TUESDAY, hour),
                status="pending" if hour == "14:00" else "confirmed",
            )


def test_the_day_calendar_costs_the_same_for_one_or_twenty_staff(
    as_owner, business, service, location, stylist, pending, django_assert_num_queries
):
    with django_assert_num_queries(DAY_QUERIES):
        assert as_owner.get("/manage/salon/").status_code == 200
    crowd(business, service, location, pending.customer, 20)
    with django_assert_num_queries(DAY_QUERIES):
        response = as_owner.get("/manage/salon/")
    assert response.content.decode().count('<section class="cal-col') == 21


def test_the_week_costs_the_same_with_one_or_many_appointments(
    as_owner, business, service, location, stylist, pending, customer, django_assert_num_queries
):
    with django_assert_num_queries(WEEK_QUERIES):
        as_owner.get(f"/manage/salon/week/{stylist.id}/")
    for day in range(5):
        for hour in ("13:00", "15:00", "16:00"):
            make_appointment(
                service=service,
                staff=stylist,
                customer=customer,
                start=at(TUESDAY.replace(day=TUESDAY.day + day), hour),
            )
    with django_assert_num_queries(WEEK_QUERIES):
        as_owner.get(f"/manage/salon/week/{stylist.id}/")
