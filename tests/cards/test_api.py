"""Member cards in the API: a business's products for anyone, a customer's cards and their
history for the holder (and the business), booking with `card_id` (docs/cards.md)."""

import pytest

from tests.helpers import NOW, client_for, error_of
from yuyue.bookings.models import Appointment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_anyone_sees_the_cards_on_sale(client, package, stored, service):
    body = client.get("/api/v1/businesses/salon/card-products").json()
    by_name = {item["name"]: item for item in body["items"]}
    assert by_name["洗剪吹 10 次卡"]["uses"] == 10
    assert by_name["洗剪吹 10 次卡"]["services"] == [{"id": service.id, "name": "洗剪吹"}]
    assert by_name["充 1000 送 200"]["bonus"] == "200.00"
    assert by_name["充 1000 送 200"]["discount_percent"] == 10


def test_a_customer_lists_their_cards(package_card, stored_card, customer):
    body = client_for(customer).get("/api/v1/me/cards").json()
    assert body["count"] == 2
    package = next(item for item in body["items"] if item["kind"] == "package")
    assert (package["uses_left"], package["uses_reserved"]) == (10, 0)
    assert package["expires_at"] == "2026-12-31T00:00:00+08:00"
    stored = next(item for item in body["items"] if item["kind"] == "stored_value")
    assert (stored["principal"], stored["bonus"], stored["balance_available"]) == (
        "1000.00",
        "200.00",
        "1200.00",
    )


def test_booking_with_a_card_reserves_a_use_and_shows_in_its_history(
    package_card, service, stylist, customer
):
    api = client_for(customer)
    response = api.post(
        "/api/v1/businesses/salon/appointments",
        {
            "service_id": service.id,
            "staff_id": stylist.id,
            "start": "2026-12-02T10:00:00",
            "card_id": package_card.public_id,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed"
    card = api.get(f"/api/v1/cards/{package_card.public_id}").json()
    assert (card["uses_left"], card["uses_reserved"]) == (10, 1)
    assert [entry["kind"] for entry in card["history"]] == ["sale", "reserve"]
    assert card["history"][1]["appointment_id"] == response.json()["id"]


def test_a_card_of_someone_else_books_nothing(package_card, service, stylist, stranger):
    response = client_for(stranger).post(
        "/api/v1/businesses/salon/appointments",
        {
            "service_id": service.id,
            "start": "2026-12-02T10:00:00",
            "card_id": package_card.public_id,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "card_id" in error_of(response)["details"]["fields"]
    assert not Appointment.objects.exists()


def test_a_card_that_cannot_pay_is_409(package_card, service, stylist, customer, owner):
    from yuyue.cards.services import card_adjust

    card_adjust(card=package_card, actor=owner, reason="用完", uses=-10, now=NOW)
    response = client_for(customer).post(
        "/api/v1/businesses/salon/appointments",
        {
            "service_id": service.id,
            "start": "2026-12-02T10:00:00",
            "card_id": package_card.public_id,
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "card_unusable"


def test_a_card_is_its_holders_and_its_business_only(package_card, stranger, staff_user):
    url = f"/api/v1/cards/{package_card.public_id}"
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(staff_user).get(url).status_code == 200
    assert client_for(stranger).get("/api/v1/me/cards").json()["count"] == 0
