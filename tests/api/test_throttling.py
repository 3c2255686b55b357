"""Logins and registrations are limited per IP and per username, bookings per user."""

import pytest
from django.test import Client

from tests.helpers import client_for, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {
        **settings.API_THROTTLE_RATES,
        "login_ip": "3/m",
        "login_failures_user_ip": "5/h",
        "login_failures_ip": "20/h",
        "register_ip": "2/h",
        "register_username": "5/h",
        "booking_user": "2/m",
    }


def login(username: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        "/api/v1/auth/login",
        {"username": username, "password": "wrong"},
        content_type="application/json",
    )


def test_logins_from_one_ip_are_limited(low_rates, customer):
    statuses = [login(f"user{i}").status_code for i in range(4)]

    assert statuses == [401, 401, 401, 429]
    response = login("user9")
    assert error_of(response)["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_guessing_one_username_from_one_ip_is_limited(low_rates, customer, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "login_ip": "100/m"}
    statuses = [login("customer", ip="10.0.1.1").status_code for i in range(6)]

    assert statuses == [401] * 5 + [429]


def test_guesses_from_many_ips_never_lock_the_real_user_out(low_rates, customer):
    for i in range(8):
        login("customer", ip=f"10.0.1.{i}")

    response = Client(REMOTE_ADDR="10.0.2.1").post(
        "/api/v1/auth/login",
        {"username": "customer", "password": "correct horse battery"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_another_ip_is_not_slowed_by_the_first(low_rates, customer):
    for i in range(3):
        login(f"user{i}", ip="10.0.0.1")

    assert login("customer", ip="10.0.0.2").status_code == 401


def test_registrations_are_limited_per_ip(low_rates):
    def register(name):
        return Client(REMOTE_ADDR="10.0.0.3").post(
            "/api/v1/auth/register",
            {"username": name, "password": "a-long-Secret-42", "phone": "13800138000"},
            content_type="application/json",
        )

    statuses = [register(name).status_code for name in ("a1", "a2", "a3")]

    assert statuses == [201, 201, 429]


def test_bookings_are_limited_per_user(low_rates, customer, stranger, service, stylist, frozen_now):
    def book(client, hour):
        return client.post(
            "/api/v1/businesses/salon/appointments",
            {"service_id": service.id, "start": f"2026-12-02T{hour}:00:00"},
            content_type="application/json",
        )

    mine = client_for(customer)
    statuses = [book(mine, hour).status_code for hour in ("09", "10", "11")]

    assert statuses == [201, 201, 429]
    assert book(client_for(stranger), "14").status_code == 201


def test_forwarded_for_is_ignored_unless_proxies_are_configured(low_rates, customer):
    def spoofed(i):
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").post(
            "/api/v1/auth/login",
            {"username": f"user{i}", "password": "x"},
            content_type="application/json",
        )

    assert [spoofed(i).status_code for i in range(4)][-1] == 429
