"""Odd, stale or hostile input: navigation values fall back to the default view, a time to
book must be exact (400 naming the problem), ids that name nothing are 404 — never a 500."""

import pytest
from django.test import Client

from tests.helpers import EN, browser_for, confirm_url, html_of, owner_of, strip_days, times_listed
from yuyue.bookings.models import Appointment
from yuyue.scheduling.services import staff_member_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

HUGE = "99999999999999999999"
FIRST_WEEK = [1, 2, 3, 4, 5, 6, 7]


@pytest.fixture
def anon() -> Client:
    return Client(headers=EN, raise_request_exception=False)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-45"},
        {"start": "yesterday"},
        {"start": "2026-12-1"},
        {"start": "0001-01-01"},
        {"start": "2026-12-01\x00"},
        {"date": "junk"},
        {"date": "2026-02-30"},
        {"date": "9999-12-31"},
        {"date": "2025-12-02"},
        {"staff": "abc"},
        {"staff": HUGE},
        {"staff": "-1"},
        {"staff": "0"},
        {"staff": "١"},  # an Arabic-Indic digit: a digit to str.isdigit, not an id
        {"staff": "1\x00"},
        {"staff": "", "start": "", "date": ""},
    ],
)
def test_junk_picker_values_fall_back_to_the_default_view(anon, service, stylist, query):
    response = anon.get(f"/b/salon/book/{service.id}/", query)

    html = html_of(response)
    assert response.status_code == 200
    assert [number for number, _free in strip_days(html)] == FIRST_WEEK
    assert 'aria-current="true" data-swap>Anyone available</a>' in html
    assert times_listed(html)[0] == "09:00"


def test_a_staff_member_who_does_not_offer_the_service_means_anyone(
    anon, business, service, stylist
):
    trainee = staff_member_create(business=business, actor=owner_of(business), name="实习生")

    html = html_of(anon.get(f"/b/salon/book/{service.id}/", {"staff": trainee.id}))

    assert 'aria-current="true" data-swap>Anyone available</a>' in html
    assert "实习生" not in html


def test_a_start_far_ahead_is_clamped_to_the_last_bookable_day(anon, service, stylist):
    html = html_of(anon.get(f"/b/salon/book/{service.id}/", {"start": "9999-12-31"}))

    assert [number for number, _free in strip_days(html)] == [31]


@pytest.mark.parametrize(
    "path",
    [
        f"/b/salon/book/{HUGE}/",
        f"/b/salon/book/{HUGE}/confirm/?start=2026-12-02T10:00%2B08:00",
        f"/b/salon/book/{2**63}/",
        "/b/salon/book/0/",
    ],
)
def test_an_enormous_or_zero_service_id_is_a_404_not_a_500(anon, service, stylist, path):
    assert anon.get(path).status_code == 404


@pytest.mark.parametrize(
    "start",
    [
        "",
        "tomorrow",
        "2026-12-02",
        "2026-02-30T10:00+08:00",
        "2026-12-02T25:00+08:00",
        "2026-12-02T10:00+99:00",
        "2026-12-02T10:00+08:00\x00",
        "9999-12-31T23:00-12:00",  # later than any datetime once in UTC
        "0001-01-01T00:00+14:00",  # earlier than any datetime once in UTC
        "9999-12-31T23:59+00:00",
        "x" * 10_000,
    ],
)
def test_a_bad_start_is_a_400_page_naming_the_problem(customer, service, stylist, start):
    client = browser_for(customer, english=True, raise_request_exception=False)

    shown = client.get(confirm_url(service, start=start))
    sent = client.post(
        f"/b/salon/book/{service.id}/confirm/", {"start": start, "staff": "any", "key": "k"}
    )

    for response in (shown, sent):
        assert response.status_code == 400
        assert "<h1>Choose a time</h1>" in html_of(response)
        assert "That link does not name a time to book." in html_of(response)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("start", ["9999-12-31T23:00-12:00", "0001-01-01T00:00+14:00"])
def test_a_reschedule_to_the_ends_of_the_calendar_is_a_400(customer, stylist, booked, start):
    client = browser_for(customer, raise_request_exception=False)
    url = f"/appointments/{booked.public_id}/reschedule/confirm/"

    shown = client.get(url, {"start": start})
    sent = client.post(url, {"start": start, "staff": str(stylist.id)})

    booked.refresh_from_db()
    assert (shown.status_code, sent.status_code) == (400, 400)
    assert booked.sequence == 0


def test_a_time_a_second_off_the_grid_is_not_offered(customer, service, stylist):
    response = browser_for(customer, english=True).get(
        confirm_url(service, start="2026-12-02T10:00:30+08:00")
    )

    assert response.status_code == 409
    assert "Sorry, that time was just taken." in html_of(response)


def test_a_past_time_cannot_be_booked(customer, service, stylist):
    response = browser_for(customer).post(
        f"/b/salon/book/{service.id}/confirm/",
        {"start": "2026-11-30T10:00+08:00", "staff": "any", "key": "k"},
    )

    assert response.status_code == 409
    assert not Appointment.objects.exists()


def test_an_overlong_key_is_cut_and_still_books_once(customer, service, stylist):
    client = browser_for(customer)
    data = {"start": "2026-12-02T10:00+08:00", "staff": "any", "key": "k" * 500}

    first = client.post(f"/b/salon/book/{service.id}/confirm/", data)
    second = client.post(f"/b/salon/book/{service.id}/confirm/", data)

    assert first.status_code == second.status_code == 302
    assert Appointment.objects.get().idempotency_key == "web:" + "k" * 64


@pytest.mark.parametrize(
    "public_id",
    ["x" * 33, "x" * 500, "abc%00def", "..", "%E4%BD%A0%E5%A5%BD", "a b"],
)
def test_odd_appointment_ids_are_404(customer, booked, public_id):
    client = browser_for(customer, raise_request_exception=False)

    for page in ("", "done/", "calendar.ics", "cancel/", "reschedule/"):
        assert client.get(f"/appointments/{public_id}/{page}").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", HUGE, "2\x00"])
def test_odd_page_numbers_show_a_page_of_the_list(customer, booked, page):
    response = browser_for(customer, raise_request_exception=False).get(
        "/appointments", {"page": page}
    )

    assert response.status_code == 200
    assert booked.public_id in html_of(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/b/salon/"),
        ("post", "/"),
        ("delete", "/appointments"),
        ("post", "/appointments"),
        ("patch", "/login"),
        ("put", "/language"),
    ],
)
def test_methods_a_page_does_not_take_are_405(customer, booked, method, path):
    response = getattr(browser_for(customer), method)(path)

    assert response.status_code == 405


def test_the_detail_pages_take_no_post(customer, booked):
    client = browser_for(customer)

    for page in ("", "done/", "calendar.ics", "reschedule/"):
        assert client.post(f"/appointments/{booked.public_id}/{page}").status_code == 405


@pytest.mark.parametrize(
    "start", ["2026-12-02T10:00", "2026-12-02 10:00", "2026-12-02 10:00+08:00"]
)
def test_a_start_without_offset_is_the_shops_local_time(customer, service, stylist, start):
    # The one parser (yuyue.lib.times) reads times the same way on every route: without an
    # offset, a time is wall-clock time where the service is given.
    shown = browser_for(customer, english=True).get(confirm_url(service, start=start))

    assert shown.status_code == 200
    assert "2026-12-02T10:00+08:00" in html_of(shown)
