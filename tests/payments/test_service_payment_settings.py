"""Each service says what is paid online when booking (nothing, a deposit, the full price) and
how long an unpaid booking holds its time; owners set it through the API and the back office,
and the catalog shows it."""

from decimal import Decimal

import pytest

from tests.helpers import client_for, error_of, html_of, office_browser_for, owner_of
from yuyue.catalog.models import PaymentMode, Service
from yuyue.catalog.services import service_update
from yuyue.lib.errors import InvalidInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_a_service_takes_nothing_online_by_default(service):
    assert service.payment_mode == PaymentMode.NONE
    assert service.payment_window_minutes == 15
    assert service.amount_due_online() == Decimal("0.00")


def test_an_owner_asks_a_deposit_through_the_api_and_customers_see_it(business, service):
    owner = client_for(owner_of(business))
    response = owner.patch(
        f"/api/v1/businesses/salon/services/{service.id}",
        {"payment_mode": "deposit", "deposit_amount": "30.00", "payment_window_minutes": 10},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    listed = client_for().get("/api/v1/businesses/salon/services").json()["items"][0]
    assert listed["payment_mode"] == "deposit"
    assert listed["deposit_amount"] == "30.00"
    assert listed["payment_window_minutes"] == 10
    service.refresh_from_db()
    assert service.amount_due_online() == Decimal("30.00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"payment_mode": "deposit", "deposit_amount": "0"}, "deposit_amount"),
        ({"payment_mode": "deposit", "deposit_amount": "88.01"}, "deposit_amount"),
        ({"payment_mode": "later"}, "payment_mode"),
        ({"payment_window_minutes": 0}, "payment_window_minutes"),
        ({"payment_window_minutes": 24 * 60 + 1}, "payment_window_minutes"),
    ],
)
def test_a_deposit_must_make_sense_and_nothing_is_written(business, service, body, field):
    response = client_for(owner_of(business)).patch(
        f"/api/v1/businesses/salon/services/{service.id}", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert field in error_of(response)["details"]["fields"]
    service.refresh_from_db()
    assert service.payment_mode == PaymentMode.NONE
    assert service.payment_window_minutes == 15


def test_a_free_service_cannot_be_prepaid(business, service):
    with pytest.raises(InvalidInput):
        service_update(
            service=service, actor=owner_of(business), price=Decimal("0"), payment_mode="full"
        )


def test_the_back_office_service_form_sets_full_prepayment(business, service):
    browser = office_browser_for(owner_of(business))
    page = html_of(browser.get(f"/manage/salon/settings/services/{service.id}/"))
    assert 'name="payment_mode"' in page
    assert 'name="payment_window_minutes"' in page
    response = browser.post(
        f"/manage/salon/settings/services/{service.id}/",
        {
            "name": service.name,
            "duration_minutes": 60,
            "price": "88.00",
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "capacity": 1,
            "min_notice_minutes": 60,
            "max_days_ahead": 30,
            "cancel_cutoff_minutes": 120,
            "reschedule_cutoff_minutes": 120,
            "payment_mode": "full",
            "deposit_amount": "0",
            "payment_window_minutes": 20,
            "active": "on",
        },
    )
    assert response.status_code == 303, html_of(response)
    service = Service.objects.get(id=service.id)
    assert service.payment_mode == PaymentMode.FULL
    assert service.payment_window_minutes == 20
    assert service.amount_due_online() == Decimal("88.00")
