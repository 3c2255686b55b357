"""The seed's routes with the seed's form fields: JSON for its clients, pages in a browser, safe."""

import pytest
from django.test import Client

from tests.helpers import WEDNESDAY, at, bearer, make_appointment, owner_of
from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Channel
from yuyue.catalog.services import business_create, service_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def _salon_is_the_default(settings):
    settings.YUYUE_DEFAULT_BUSINESS = "salon"


def json_client(**extra) -> Client:
    return Client(headers={**JSON, **extra.pop("headers", {})}, **extra)


def logged_in(username: str = "customer") -> Client:
    """A seed JSON client that logged in with the form and keeps its cookies."""
    client = json_client(enforce_csrf_checks=True)
    response = client.post("/login", {"username": username, "password": "correct horse battery"})
    assert response.json()["status"] == "success"
    return client


# /register and /login ----------------------------------------------------------------------------


def test_register_takes_the_seed_s_form_and_answers_success(db):
    response = json_client().post(
        "/register", {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "13800138000"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "success"
    assert User.objects.get(username="xiaomei").phone == "+8613800138000"


def test_register_answers_failed_with_the_reason(customer):
    response = json_client().post(
        "/register", {"username": "customer", "password": "short", "phone": "1"}
    )

    body = response.json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "validation_error"
    assert set(body["error"]["details"]["fields"]) == {"password", "phone"}


def test_login_answers_success_with_a_session_and_a_token(customer):
    client = json_client()

    response = client.post("/login", {"username": "customer", "password": "correct horse battery"})

    body = response.json()
    assert (body["status"], body["user_id"]) == ("success", customer.id)
    assert "sessionid" in response.cookies
    token = Client(headers={"Authorization": f"Bearer {body['token']}"})
    assert token.get("/api/v1/me").status_code == 200


def test_login_answers_failed_for_wrong_credentials(customer):
    response = json_client().post("/login", {"username": "customer", "password": "nope"})

    assert response.status_code == 401
    assert response.json()["status"] == "failed"


def test_json_logins_need_no_csrf_token_but_browser_forms_do(customer):
    browser = Client(enforce_csrf_checks=True)
    form = {"username": "customer", "password": "correct horse battery"}

    refused = browser.post("/login", form)
    json_ok = json_client(enforce_csrf_checks=True).post("/login", form)

    assert refused.status_code == 403
    assert json_ok.json()["status"] == "success"


def test_a_browser_login_rotates_the_session(customer):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/login")
    token = browser.cookies["csrftoken"].value
    # A session id an attacker planted before the login must be worthless after it.
    planted = browser.session
    planted["seen"] = True
    planted.save()
    browser.cookies["sessionid"] = planted.session_key

    response = browser.post(
        "/login",
        {"username": "customer", "password": "correct horse battery", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert response["Location"] == "/appointments"
    assert browser.cookies["sessionid"].value != planted.session_key


def test_login_never_redirects_to_another_site(customer):
    response = Client().post(
        "/login",
        {
            "username": "customer",
            "password": "correct horse battery",
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == "/appointments"


def test_logins_are_throttled(customer, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "login_failures_user_ip": "2/h"}
    client = json_client()

    statuses = [
        client.post("/login", {"username": "customer", "password": "x"}).status_code
        for _ in range(3)
    ]

    assert statuses == [401, 401, 429]


# /appointment ------------------------------------------------------------------------------------


def test_booking_with_a_bearer_token_needs_no_csrf(customer, service, stylist):
    client = json_client(headers={"Authorization": bearer(customer)}, enforce_csrf_checks=True)

    response = client.post(
        "/appointment", {"service_id": service.id, "appointment_time": "2026-12-02 10:00:00"}
    )

    body = response.json()
    assert body["status"] == "success"
    appointment = Appointment.objects.get(public_id=body["appointment_id"])
    assert (appointment.customer, appointment.start) == (customer, at(WEDNESDAY, "10:00"))
    assert appointment.channel == Channel.API
    assert body["appointment_time"] == "2026-12-02T10:00:00+08:00"


def test_booking_with_the_session_cookie_needs_the_csrf_token(customer, service, stylist):
    client = logged_in()
    form = {"service_id": service.id, "appointment_time": "2026-12-02 10:00:00"}

    refused = client.post("/appointment", form)
    accepted = client.post(
        "/appointment", form, headers={"X-CSRFToken": client.cookies["csrftoken"].value}
    )

    assert refused.status_code == 403
    assert refused.json()["status"] == "failed"
    assert accepted.json()["status"] == "success"


def test_a_user_id_naming_someone_else_is_refused(customer, stranger, service, stylist):
    client = json_client(headers={"Authorization": bearer(customer)})

    response = client.post(
        "/appointment",
        {
            "service_id": service.id,
            "appointment_time": "2026-12-02 10:00:00",
            "user_id": stranger.id,
        },
    )

    assert response.status_code == 403
    assert response.json()["status"] == "failed"
    assert not Appointment.objects.exists()


def test_a_user_id_naming_oneself_is_fine(customer, service, stylist):
    client = json_client(headers={"Authorization": bearer(customer)})

    response = client.post(
        "/appointment",
        {"service_id": service.id, "appointment_time": "2026-12-02 10:00", "user_id": customer.id},
    )

    assert response.json()["status"] == "success"


def test_booking_without_logging_in_fails(db, service, stylist):
    response = json_client().post(
        "/appointment", {"service_id": service.id, "appointment_time": "2026-12-02 10:00:00"}
    )

    assert response.status_code == 401
    assert response.json()["status"] == "failed"


def test_a_taken_time_fails_with_alternatives(customer, service, stylist, booked):
    client = json_client(headers={"Authorization": bearer(customer)})

    body = client.post(
        "/appointment", {"service_id": service.id, "appointment_time": "2026-12-02 10:00:00"}
    ).json()

    assert body["status"] == "failed"
    assert body["error"]["code"] == "slot_unavailable"
    assert body["error"]["details"]["alternatives"][0]["start"] == "2026-12-02T09:00:00+08:00"


@pytest.mark.parametrize(
    ("field", "value"),
    [("appointment_time", "next tuesday"), ("service_id", "abc"), ("service_id", "99999")],
)
def test_bad_fields_fail_naming_the_field(customer, service, stylist, field, value):
    client = json_client(headers={"Authorization": bearer(customer)})
    form = {"service_id": service.id, "appointment_time": "2026-12-02 10:00:00", field: value}

    response = client.post("/appointment", form)

    assert response.status_code == 422
    assert list(response.json()["error"]["details"]["fields"]) == [field]


def test_only_services_of_the_default_business_are_booked(customer, stylist, other_owner):
    elsewhere = business_create(owner=other_owner, slug="third", name="三店")
    foreign = service_create(
        business=elsewhere, actor=owner_of(elsewhere), name="体检", duration_minutes=30, price="1"
    )
    client = json_client(headers={"Authorization": bearer(customer)})

    response = client.post(
        "/appointment", {"service_id": foreign.id, "appointment_time": "2026-12-02 10:00"}
    )

    assert response.status_code == 422


# /appointments -----------------------------------------------------------------------------------


def test_the_list_answers_as_the_seed_did(customer, booked):
    response = json_client(headers={"Authorization": bearer(customer)}).get("/appointments")

    assert response.json() == [
        {
            "appointment_id": booked.public_id,
            "service_name": "洗剪吹",
            "appointment_time": "2026-12-02T10:00:00+08:00",
            "status": "已确认",
            "status_code": "confirmed",
        }
    ]


def test_the_list_shows_only_the_logged_in_user_s(customer, stranger, service, stylist, booked):
    make_appointment(
        service=service, staff=stylist, customer=stranger, start=at(WEDNESDAY, "14:00")
    )

    rows = logged_in().get("/appointments").json()

    assert [row["appointment_id"] for row in rows] == [booked.public_id]


def test_the_list_refuses_another_user_id(customer, stranger, booked):
    response = logged_in().get(f"/appointments?user_id={stranger.id}")

    assert response.status_code == 403
    assert response.json()["status"] == "failed"


def test_the_list_needs_a_login(db):
    response = json_client().get("/appointments")

    assert response.status_code == 401
    assert response.json() == {
        "status": "failed",
        "error": {
            "code": "not_authenticated",
            "message": response.json()["error"]["message"],
            "details": None,
        },
    }


# In a browser ------------------------------------------------------------------------------------


def test_a_browser_registers_books_and_sees_the_list(db, service, stylist):
    browser = Client()

    assert "<form" in browser.get("/register").content.decode()
    registered = browser.post(
        "/register", {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "13800138000"}
    )
    assert registered.status_code == 302
    assert "洗剪吹" in browser.get("/appointment").content.decode()
    booked = browser.post(
        "/appointment", {"service_id": service.id, "appointment_time": "2026-12-02T10:00"}
    )
    assert booked.status_code == 302
    page = browser.get("/appointments").content.decode()
    assert "洗剪吹" in page
    assert "已确认" in page
    assert Appointment.objects.get().channel == Channel.WEB


def test_a_browser_that_is_not_logged_in_is_sent_to_the_login_page(db):
    response = Client().get("/appointments")

    assert response.status_code == 302
    assert response["Location"] == "/login?next=/appointments"


def test_a_browser_form_error_is_shown_on_the_page(customer, service, stylist):
    browser = Client()
    browser.force_login(customer)

    response = browser.post(
        "/appointment", {"service_id": service.id, "appointment_time": "whenever"}
    )

    assert response.status_code == 422
    assert "<form" in response.content.decode()


@pytest.mark.parametrize("path", ["/register", "/login", "/appointment"])
def test_a_nul_character_in_a_form_field_is_refused_not_a_crash(customer, service, path):
    client = json_client(headers={"Authorization": bearer(customer)})
    form = {
        "username": "cus\x00tomer",
        "password": "x",
        "phone": "1",
        "service_id": service.id,
        "appointment_time": "2026-12-02 10:00\x00",
    }

    response = client.post(path, form)

    assert response.status_code == 422
    assert response.json()["status"] == "failed"
