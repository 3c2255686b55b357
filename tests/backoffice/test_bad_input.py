"""Odd, stale or hostile input on back-office pages: junk navigation values fall back to the
default view, ids that name nothing are 404, forms name the problem — never a 500."""

import pytest

from tests.helpers import html_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

HUGE = "99999999999999999999"
JUNK = ["2026-13-45", "yesterday", "0001-01-01", "9999-12-31", "2026-12-01\x00", "١", HUGE, ""]


@pytest.mark.parametrize("value", JUNK)
@pytest.mark.parametrize(
    "path, name",
    [
        ("/manage/salon/", "date"),
        ("/manage/salon/", "location"),
        ("/manage/salon/", "view"),
        ("/manage/salon/dashboard/", "from"),
        ("/manage/salon/dashboard/", "to"),
        ("/manage/salon/dashboard/appointments.csv", "from"),
        ("/manage/salon/why/", "date"),
        ("/manage/salon/why/", "time"),
        ("/manage/salon/why/", "staff"),
        ("/manage/salon/book/", "q"),
        ("/manage/salon/book/", "customer"),
        ("/manage/salon/customers/", "q"),
        ("/manage/salon/customers/", "page"),
        ("/manage/salon/messages/", "status"),
        ("/manage/salon/cards/", "from"),
        ("/manage/salon/cards/", "to"),
    ],
)
def test_junk_query_values_never_break_a_page(as_owner, pending, path, name, value):
    assert as_owner.get(path, {name: value}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/manage/salon/week/{HUGE}/",
        "/manage/salon/week/0/",
        f"/manage/salon/customers/{HUGE}/",
        "/manage/salon/appointments/nope/",
        "/manage/salon/appointments/%00/",
        "/manage/salon/appointments/" + "a" * 40 + "/",
        f"/manage/salon/settings/services/{HUGE}/",
        f"/manage/salon/settings/staff/{2**63}/",
        "/manage/nowhere/",
        "/manage/salon/cards/nope/",
        "/manage/salon/cards/%00/",
        "/manage/salon/cards/" + "a" * 40 + "/",
        f"/manage/salon/cards/products/{HUGE}/",
        "/manage/feed/" + "x" * 300 + ".ics",
    ],
)
def test_ids_that_name_nothing_are_404(as_owner, pending, path):
    assert as_owner.get(path).status_code == 404


def test_an_unknown_action_is_404_and_changes_nothing(as_owner, pending):
    response = as_owner.post(f"/manage/salon/appointments/{pending.public_id}/delete/")

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize(
    "data",
    [
        {"start": "junk"},
        {"start": "2026-12-01T25:00+08:00"},
        {"start": ""},
        {"start": "0001-01-01T00:00+00:00"},
    ],
)
def test_a_malformed_reschedule_time_is_refused_with_a_message(as_owner, pending, data):
    response = as_owner.post(
        f"/manage/salon/appointments/{pending.public_id}/reschedule/confirm/", data, follow=True
    )

    assert response.status_code == 200
    assert 'class="notice"' in html_of(response)


@pytest.mark.parametrize(
    "data",
    [
        {"service": "x", "date": "2026-12-02", "time": "10:00"},
        {"service": HUGE, "date": "2026-12-02", "time": "10:00"},
        {"date": "junk", "time": "25:99"},
        {"date": "2026-12-02", "time": "10:00\x00"},
    ],
)
def test_a_booking_form_with_junk_names_the_problem(as_owner, pending, service, data):
    from tests.backoffice.test_booking_for_phone_and_walk_in_customers import choose

    token = choose(as_owner, "13700137000")
    data = {"customer": token, **data}
    if "service" not in data:
        data["service"] = service.id

    response = as_owner.post("/manage/salon/book/", data)

    assert response.status_code == 400
    assert 'class="alert"' in html_of(response)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "phone": ""},
        {"name": "x" * 300, "phone": "123"},
        {"name": "王", "phone": "abc"},
    ],
)
def test_a_new_customer_without_usable_name_or_phone_is_refused(as_owner, business, data):
    response = as_owner.post("/manage/salon/book/customer/", data, follow=True)

    assert response.status_code == 200
    assert 'class="notice"' in html_of(response)
