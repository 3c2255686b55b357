"""The check-in code in the API: its customer and the business's staff see it while it can be
used; staff check a customer in with it (POST /businesses/{slug}/check-in)."""

import pytest

from tests.helpers import TUESDAY, at, client_for, error_of, make_appointment
from yuyue.bookings.models import Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

URL = "/api/v1/businesses/salon/check-in"


@pytest.fixture
def arriving(service, stylist, customer):
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "08:30")
    )


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_the_customer_and_staff_see_the_code(as_customer, as_staff, arriving):
    for client in (as_customer, as_staff):
        body = client.get(f"/api/v1/appointments/{arriving.public_id}").json()
        assert body["checkin_code"] == arriving.checkin_code
    listed = as_customer.get("/api/v1/appointments").json()["items"]
    assert [item["checkin_code"] for item in listed] == [arriving.checkin_code]


def test_the_code_is_gone_once_it_cannot_be_used(as_customer, as_staff, arriving):
    post(as_staff, {"code": arriving.checkin_code})
    body = as_customer.get(f"/api/v1/appointments/{arriving.public_id}").json()
    assert body["status"] == "in_progress" and body["checkin_code"] is None


def test_staff_check_in_with_the_code(as_staff, arriving):
    response = post(as_staff, {"code": arriving.checkin_code})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == arriving.public_id and body["status"] == "in_progress"
    arriving.refresh_from_db()
    assert arriving.status == Status.IN_PROGRESS


def test_an_unknown_code_is_404(as_owner, arriving):
    wrong = f"{(int(arriving.checkin_code) + 1) % 1000000:06d}"
    response = post(as_owner, {"code": wrong})
    assert response.status_code == 404
    assert error_of(response)["code"] == "checkin_code_unknown"


def test_a_refusal_names_the_appointment(as_owner, arriving):
    post(as_owner, {"code": arriving.checkin_code})
    response = post(as_owner, {"code": arriving.checkin_code})
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "checkin_refused"
    assert error["details"] == {"appointment_id": arriving.public_id, "status": "in_progress"}
    assert error["message"] == "此预约已核销，正在进行中。"


def test_the_refusal_reads_in_english_when_asked(owner, arriving):
    english = client_for(owner, **{"Accept-Language": "en"})
    post(english, {"code": arriving.checkin_code})
    response = post(english, {"code": arriving.checkin_code})
    assert error_of(response)["message"] == (
        "This appointment is already checked in: it is in progress."
    )


@pytest.mark.parametrize("code", ["12345", "abcdef", ""])
def test_a_malformed_code_is_422_naming_it(as_owner, business, code):
    response = post(as_owner, {"code": code})
    assert response.status_code == 422
    assert "code" in error_of(response)["details"]["fields"]


@pytest.mark.parametrize("who", ["as_customer", "as_stranger", "as_other_owner"])
def test_nobody_else_checks_in(arriving, who, request):
    response = post(request.getfixturevalue(who), {"code": arriving.checkin_code})
    assert response.status_code == 403
    arriving.refresh_from_db()
    assert arriving.status == Status.CONFIRMED


def test_wrong_codes_are_limited(as_owner, arriving, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "checkin_failures": "1/10m"}
    wrong = f"{(int(arriving.checkin_code) + 1) % 1000000:06d}"
    assert post(as_owner, {"code": wrong}).status_code == 404
    limited = post(as_owner, {"code": wrong})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0


def test_the_customer_gets_the_qr_code_as_a_png(as_customer, arriving):
    response = as_customer.get(f"/api/v1/appointments/{arriving.public_id}/checkin-qr")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == arriving.checkin_code
    assert body["png"].startswith("data:image/png;base64,")


@pytest.mark.parametrize("who", ["as_staff", "as_stranger"])
def test_nobody_else_gets_the_qr_code(arriving, who, request):
    client = request.getfixturevalue(who)
    assert client.get(f"/api/v1/appointments/{arriving.public_id}/checkin-qr").status_code == 404


def test_no_qr_code_once_it_cannot_be_used(as_customer, as_staff, arriving):
    post(as_staff, {"code": arriving.checkin_code})
    response = as_customer.get(f"/api/v1/appointments/{arriving.public_id}/checkin-qr")
    assert response.status_code == 404
