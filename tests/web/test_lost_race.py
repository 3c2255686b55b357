"""When the chosen time is gone: say so with 409, keep what the customer typed, offer the
nearest free times as buttons, and book one of them with a tap."""

import pytest

from tests.helpers import (
    WEDNESDAY,
    at,
    browser_for,
    confirm_url,
    html_of,
    make_appointment,
    page_alerts,
    page_of,
)
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TEN = "2026-12-02T10:00+08:00"


@pytest.fixture
def taken(service, stylist, stranger):
    """The stranger holds Wednesday 10:00, Tony's only 10:00."""
    return make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "10:00")
    )


def test_confirming_a_time_already_taken_answers_409_with_alternatives(
    customer, service, stylist, taken
):
    response = browser_for(customer, english=True).get(confirm_url(service, staff="any", start=TEN))

    page = page_of(response)
    assert response.status_code == 409
    assert "Sorry, that time was just taken." in page_alerts(html_of(response))[0]
    assert page.start_buttons() == [
        "2026-12-02T09:00+08:00",
        "2026-12-02T11:00+08:00",
        "2026-12-02T13:00+08:00",
    ]
    assert "Wed 2 Dec, 11:00" in html_of(response)
    assert "Book now" not in html_of(response)


def test_a_time_taken_meanwhile_answers_409_keeps_the_notes_and_writes_nothing(
    customer, stranger, service, stylist
):
    client = browser_for(customer, english=True)
    action = f"/b/salon/book/{service.id}/confirm/"
    page = page_of(client.get(confirm_url(service, staff="any", start=TEN)))
    key = page.hidden(page.form_to(action), "key")
    # The stranger books the same time while the customer is still typing.
    appointment_create(service=service, customer=stranger, start=at(WEDNESDAY, "10:00"))

    response = client.post(
        action, {"start": TEN, "staff": "any", "key": key, "notes": "请剪短一点"}
    )

    refused = page_of(response)
    assert response.status_code == 409
    assert refused.textareas["notes"].strip() == "请剪短一点"
    assert refused.start_buttons() == [
        "2026-12-02T09:00+08:00",
        "2026-12-02T11:00+08:00",
        "2026-12-02T13:00+08:00",
    ]
    form = refused.form_to(action)
    assert refused.hidden(form, "key") == key
    assert refused.hidden(form, "staff") == "any"
    assert not Appointment.objects.filter(customer=customer).exists()


def test_tapping_one_of_the_alternatives_books_it_with_the_notes(customer, service, stylist, taken):
    client = browser_for(customer)
    action = f"/b/salon/book/{service.id}/confirm/"
    refused = page_of(
        client.post(action, {"start": TEN, "staff": "any", "key": "k", "notes": "短发"})
    )
    form = refused.form_to(action)

    response = client.post(
        action,
        {
            "start": refused.start_buttons()[1],
            "staff": refused.hidden(form, "staff"),
            "key": refused.hidden(form, "key"),
            "notes": refused.textareas["notes"].strip(),
        },
    )

    appointment = Appointment.objects.get(customer=customer)
    assert response["Location"] == f"/appointments/{appointment.public_id}/done/"
    assert appointment.start == at(WEDNESDAY, "11:00")
    assert appointment.notes == "短发"


def test_when_nothing_is_free_nearby_it_says_so_and_links_to_other_days(
    customer, stranger, service, stylist
):
    # The last bookable day is 31 December; book every hour of it and the days before.
    for day in range(24, 32):
        date = WEDNESDAY.replace(day=day)
        if date.weekday() < 5:
            for hour in (9, 10, 11, 13, 14, 15, 16, 17):
                make_appointment(
                    service=service,
                    staff=stylist,
                    customer=stranger,
                    start=at(date, f"{hour:02d}:00"),
                )

    response = browser_for(customer, english=True).get(
        confirm_url(service, staff="any", start="2026-12-31T10:00+08:00")
    )

    html = html_of(response)
    assert response.status_code == 409
    assert page_of(response).start_buttons() == []
    assert "No free times nearby." in html
    assert f'href="/b/salon/book/{service.id}/?staff=any&amp;start=2026-12-31' in html
