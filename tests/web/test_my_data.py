"""My data: a signed-in customer downloads everything held about them — on the web as JSON and
their appointments as CSV, through the API as JSON — with the notes they see and never a
business's private notes about them, nor anyone else's appointments."""

import csv
import io
import json

import pytest
from django.test import Client

from tests.helpers import (
    NOW,
    WEDNESDAY,
    at,
    browser_for,
    client_for,
    first_privacy_policy,
    html_of,
    owner_of,
)
from yuyue.bookings.services import appointment_create
from yuyue.customers.services import customer_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def policy(db):
    return first_privacy_policy()


PRIVATE = "难缠，先收定金"


@pytest.fixture
def booked(customer, stranger, service, stylist):
    mine = appointment_create(
        service=service,
        customer=customer,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        notes='=HYPERLINK("http://evil") 请剪短一点',
        now=NOW,
    )
    appointment_create(
        service=service, customer=stranger, staff=stylist, start=at(WEDNESDAY, "14:00"), now=NOW
    )
    customer_update(actor=owner_of(service.business), customer=mine.client, notes=PRIVATE)
    return mine


def test_the_json_holds_the_account_consents_and_own_appointments(customer, booked):
    response = browser_for(customer).get("/me/data/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "customer"
    assert data["account"]["phone"] == customer.phone
    assert [a["id"] for a in data["appointments"]] == [booked.public_id]
    assert data["appointments"][0]["notes"].endswith("请剪短一点")
    assert data["consents"] == [
        {"policy_version": 1, "occasion": "booking", "accepted_at": "2026-12-01T00:00:00+00:00"}
    ]
    assert {m["kind"] for m in data["messages"]} == {"booked", "reminder"}
    assert PRIVATE not in response.content.decode()
    assert "stranger" not in response.content.decode()


def test_the_csv_has_a_bom_a_header_and_a_row_per_appointment(customer, booked):
    response = browser_for(customer, english=True).get("/me/data/appointments.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["Start", "End", "Time zone"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Appointment"] == booked.public_id
    assert row["Time zone"] == "Asia/Shanghai"
    # A spreadsheet must not run the customer's text as a formula.
    assert row["Notes"].startswith("'=HYPERLINK")
    assert PRIVATE not in text


def test_the_page_offers_both_downloads(customer, booked):
    html = html_of(browser_for(customer).get("/me/data/"))
    assert 'href="/me/data/data.json"' in html
    assert 'href="/me/data/appointments.csv"' in html
    assert "<h1>我的数据</h1>" in html
    assert 'href="/me/data/"' in html_of(browser_for(customer).get("/appointments"))


@pytest.mark.parametrize("path", ["/me/data/", "/me/data/data.json", "/me/data/appointments.csv"])
def test_anonymous_visitors_are_sent_to_log_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_the_api_answers_the_same_data(customer, booked):
    response = client_for(customer).get("/api/v1/me/data")
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body["appointments"]] == [booked.public_id]
    assert body["account"]["username"] == "customer"
    assert PRIVATE not in response.content.decode()
    assert Client().get("/api/v1/me/data").status_code == 401
