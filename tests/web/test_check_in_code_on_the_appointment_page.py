"""The customer's appointment page shows the check-in code and its QR code while it can be
used; nobody else's page shows it."""

import pytest

from tests.helpers import WEDNESDAY, at, browser_for, html_of, make_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(service, stylist, customer):
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )


def test_the_customer_sees_the_code_and_its_qr_code(customer, booked):
    page = html_of(browser_for(customer).get(f"/appointments/{booked.public_id}/"))
    assert "核销码" in page
    assert f"<strong data-checkin-code>{booked.checkin_code}</strong>" in page
    assert "<svg" in page and 'class="checkin-qr"' in page


def test_in_english_too(customer, booked):
    page = html_of(browser_for(customer, english=True).get(f"/appointments/{booked.public_id}/"))
    assert "Check-in code" in page and "Show this code at the counter" in page


def test_the_booked_page_shows_it_as_well(customer, booked):
    page = html_of(browser_for(customer).get(f"/appointments/{booked.public_id}/done/"))
    assert booked.checkin_code in page and 'class="checkin-qr"' in page


@pytest.mark.parametrize("status", ["awaiting_payment", "in_progress", "completed", "cancelled"])
def test_no_code_once_or_before_it_can_be_used(service, stylist, customer, status):
    appointment = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(WEDNESDAY, "10:00"),
        status=status,
    )
    page = html_of(browser_for(customer).get(f"/appointments/{appointment.public_id}/"))
    assert "data-checkin-code" not in page and "checkin-qr" not in page


def test_staff_looking_at_the_customer_page_do_not_get_it(staff_user, booked):
    response = browser_for(staff_user).get(f"/appointments/{booked.public_id}/")
    assert booked.checkin_code not in html_of(response)
