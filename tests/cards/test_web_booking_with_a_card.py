"""Booking on the web with a member card: the confirm page offers the customer's usable
cards; choosing one reserves it instead of any deposit (docs/cards.md#booking-with-a-card)."""

from decimal import Decimal

import pytest

from tests.helpers import browser_for, confirm_url, html_of, owner_of
from yuyue.bookings.models import Appointment, Status
from yuyue.catalog.services import service_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

TEN = "2026-12-02T10:00+08:00"


def test_the_confirm_page_offers_the_card_and_booking_with_it_reserves_a_use(
    package_card, service, stylist, customer
):
    service_update(
        service=service, actor=owner_of(service), payment_mode="deposit", deposit_amount=Decimal(20)
    )
    browser = browser_for(customer, english=True)
    url = confirm_url(service, staff=stylist.id, start=TEN)
    html = html_of(browser.get(url))
    assert f'value="{package_card.public_id}"' in html
    assert "10 uses left" in html
    response = browser.post(
        url, {"start": TEN, "staff": str(stylist.id), "key": "k1", "card": package_card.public_id}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED
    assert appointment.online_due == 0
    package_card.balance.refresh_from_db()
    assert package_card.balance.reserved_uses == 1


def test_someone_elses_card_books_nothing(package_card, service, stylist, stranger):
    url = confirm_url(service, staff=stylist.id, start=TEN)
    response = browser_for(stranger, english=True).post(
        url, {"start": TEN, "staff": str(stylist.id), "key": "k1", "card": package_card.public_id}
    )
    assert response.status_code == 400
    assert not Appointment.objects.exists()
