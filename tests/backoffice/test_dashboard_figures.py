"""The dashboard on a small data set checked by hand; its CSV export read back with Python's
csv module; its cost in queries independent of the data; owners only.

Two days, Tuesday 1 and Wednesday 2 December. Tony and Amy work 09:00–12:00 and 13:00–18:00
(480 minutes a day) but Amy is off on Wednesday (a date override): 960 + 480 = 1,440 minutes
available. Six one-hour appointments at ¥88:
  Tony Tue 09:00 completed, 10:00 completed, 11:00 no-show; Wed 09:00 cancelled;
  Amy  Tue 14:00 confirmed, 15:00 pending.
Booked (not cancelled): Tony 180, Amy 120 → 300 / 1,440 = 20.8 %; Tony 180 / 960 = 18.8 %,
Amy 120 / 480 = 25.0 %; Tuesday 300 / 960 = 31.3 %, Wednesday 0 / 480 = 0.0 %.
No-show rate 1 / (2 completed + 1 no-show) = 33.3 %; cancellation rate 1 / 6 = 16.7 %;
value of completed services 2 × ¥88 = ¥176 (revenue, from the payments ledger, ¥0).
"""

import csv
import io
import re

import pytest

from tests.helpers import TUESDAY, WEDNESDAY, at, html_of, make_appointment, make_user, owner_of
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

PERIOD = {"from": TUESDAY.isoformat(), "to": WEDNESDAY.isoformat()}
DASHBOARD_QUERIES = 10  # 9, and the ledger's sums


@pytest.fixture
def data_set(service, stylist, colleague, customer):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    staff_override_set(staff=colleague, actor=owner_of(colleague), date=WEDNESDAY, closed=True)
    for staff, day, hhmm, status in [
        (stylist, TUESDAY, "09:00", "completed"),
        (stylist, TUESDAY, "10:00", "completed"),
        (stylist, TUESDAY, "11:00", "no_show"),
        (stylist, WEDNESDAY, "09:00", "cancelled"),
        (colleague, TUESDAY, "14:00", "confirmed"),
        (colleague, TUESDAY, "15:00", "pending"),
    ]:
        make_appointment(
            service=service, staff=staff, customer=customer, start=at(day, hhmm), status=status
        )


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def test_the_headline_figures_are_exact(as_owner, data_set):
    html = html_of(as_owner.get("/manage/salon/dashboard/", PERIOD))

    assert figure(html, "total") == "6"
    assert figure(html, "utilization") == "20.8%"
    assert figure(html, "no-show-rate") == "33.3%"
    assert figure(html, "cancellation-rate") == "16.7%"
    assert figure(html, "completed-value") == "¥176"
    # Nothing in the ledger; money received: tests/payments/test_payments_page.py.
    assert figure(html, "revenue") == "¥0"


def test_bookings_by_status_and_utilization_tables(as_owner, data_set):
    html = html_of(as_owner.get("/manage/salon/dashboard/", PERIOD))

    counts = dict(re.findall(r'data-status="(\w+)">(\d+)<', html))
    assert counts == {
        "awaiting_payment": "0",
        "offered": "0",
        "pending": "1",
        "confirmed": "1",
        "in_progress": "0",
        "completed": "2",
        "cancelled": "1",
        "no_show": "1",
    }
    cells = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)</td><td class="num">([\d.]+%)',
        html,
    )
    assert cells == [
        ("Amy 老师", "120", "480", "25.0%"),
        ("Tony 老师", "180", "960", "18.8%"),
        ("1 Dec", "300", "960", "31.3%"),
        ("2 Dec", "0", "480", "0.0%"),
    ]


def test_the_charts_are_svg_without_inline_style(as_owner, data_set):
    html = html_of(as_owner.get("/manage/salon/dashboard/", PERIOD))

    assert html.count("<svg") == 4
    assert "style=" not in html and "<script>" not in html
    # Tuesday 09, 10, 11, 14 and 15 h hold the peak (one start each): the darkest shade.
    assert html.count('class="heat-5"') == 5


def test_the_csv_opens_in_excel_and_round_trips_chinese(as_owner, data_set):
    response = as_owner.get("/manage/salon/dashboard/appointments.csv", PERIOD)

    body = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Start", "End", "Status"]
    assert len(rows) == 7
    assert rows[1][:7] == [
        "2026-12-01 09:00",
        "2026-12-01 10:00",
        "Completed",
        "洗剪吹",
        "Tony 老师",
        "张小美",
        "+8613700137000",
    ]


def test_a_formula_in_a_name_is_not_a_formula_in_the_csv(as_owner, service, stylist):
    sly = make_user("sly", phone="+8613311119999", display_name="=HYPERLINK(1)")
    make_appointment(service=service, staff=stylist, customer=sly, start=at(TUESDAY, "09:00"))

    body = as_owner.get("/manage/salon/dashboard/appointments.csv", PERIOD).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))

    assert rows[1][5] == "'=HYPERLINK(1)"


def test_the_dashboard_costs_the_same_queries_for_little_or_much_data(
    as_owner, business, stylist, django_assert_num_queries
):
    with django_assert_num_queries(DASHBOARD_QUERIES):
        as_owner.get("/manage/salon/dashboard/", PERIOD)


def test_the_dashboard_costs_the_same_with_the_data_set(
    as_owner, data_set, django_assert_num_queries
):
    with django_assert_num_queries(DASHBOARD_QUERIES):
        as_owner.get("/manage/salon/dashboard/", PERIOD)


def test_staff_without_the_owner_role_get_neither_dashboard_nor_export(as_staff, data_set):
    assert as_staff.get("/manage/salon/dashboard/").status_code == 403
    assert as_staff.get("/manage/salon/dashboard/appointments.csv").status_code == 403


def test_a_reversed_or_huge_period_is_corrected_not_refused(as_owner, data_set):
    reversed_ = as_owner.get("/manage/salon/dashboard/", {"from": "2026-12-02", "to": "2026-12-01"})
    huge = as_owner.get("/manage/salon/dashboard/", {"from": "2000-01-01", "to": "2026-12-02"})

    assert reversed_.status_code == huge.status_code == 200
    assert figure(html_of(reversed_), "total") == "6"
