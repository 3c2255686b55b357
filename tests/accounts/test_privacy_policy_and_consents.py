"""The privacy policy: a page in both languages that the operator edits (each edit a new
version), linked from every customer page's footer, registration and the booking confirm
page; consent recorded with the policy's version and the time at registration (API, web, the
seed's route) and at a person's own first booking."""

import datetime as dt

import pytest
from django.test import Client

from tests.helpers import (
    EN,
    NOW,
    WEDNESDAY,
    at,
    browser_for,
    client_for,
    confirm_url,
    first_privacy_policy,
    html_of,
    owner_of,
)
from yuyue.accounts.models import Consent, PrivacyPolicy, User
from yuyue.accounts.selectors import current_privacy_policy
from yuyue.accounts.services import privacy_policy_publish
from yuyue.bookings.services import appointment_create
from yuyue.lib.errors import InvalidInput, NotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture(autouse=True)
def policy(db):
    return first_privacy_policy()


NEW = {"username": "xiaomei", "password": "a-long-Secret-42", "phone": "138 0013 8000"}


@pytest.fixture
def operator(db) -> User:
    return User.objects.create_superuser("operator", "op@example.com", "an-operator-Pass-1")


def consents_of(username: str) -> list[tuple[int, str, dt.datetime]]:
    return [
        (c.policy.version, c.occasion, c.accepted_at)
        for c in Consent.objects.filter(user__username=username).order_by("id")
    ]


# The page ------------------------------------------------------------------------------------


def test_the_first_policy_is_there_from_the_start_in_both_languages(db):
    chinese = html_of(Client().get("/privacy"))
    english = html_of(Client(headers=EN).get("/privacy"))
    assert "<h1>隐私政策</h1>" in chinese and "我们收集的信息" in chinese
    assert "<h1>Privacy policy</h1>" in english and "What we collect" in english
    assert "Version 1" in english


def test_the_footer_registration_and_confirm_page_link_to_it(service, stylist):
    for url in ("/", "/register", confirm_url(service, staff="any", start="2026-12-02T10:00")):
        assert 'href="/privacy"' in html_of(Client().get(url)), url


def test_the_confirm_page_of_a_signed_in_customer_says_booking_agrees(customer, service, stylist):
    html = html_of(
        browser_for(customer, english=True).get(
            confirm_url(service, staff="any", start="2026-12-02T10:00")
        )
    )
    assert 'By booking you agree to the <a href="/privacy">privacy policy</a>.' in html


def test_the_operator_publishes_a_new_version_in_the_admin(operator):
    admin = Client()
    admin.force_login(operator)
    form = html_of(admin.get("/admin/accounts/privacypolicy/add/"))
    assert "我们收集的信息" in form  # a new version starts from the one in force
    response = admin.post(
        "/admin/accounts/privacypolicy/add/",
        {
            "body_zh": "第二版：我们只收集预约所需的信息。",
            "body_en": "Version two: we collect only what a booking needs.",
            "effective_at_0": "2026-11-30",
            "effective_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302, html_of(response)[:2000]
    assert list(PrivacyPolicy.objects.values_list("version", flat=True)) == [2, 1]
    assert "Version two" in html_of(Client(headers=EN).get("/privacy"))
    # Versions are never edited: consents name them.
    assert admin.post("/admin/accounts/privacypolicy/1/change/", {}).status_code == 403


def test_only_the_operator_may_publish(business):
    with pytest.raises(NotAllowed):
        privacy_policy_publish(actor=owner_of(business), body_zh="x", body_en="y")
    owner = Client()
    owner.force_login(owner_of(business))
    assert owner.get("/admin/accounts/privacypolicy/add/").status_code in (302, 403)


def test_a_policy_needs_both_texts(operator):
    with pytest.raises(InvalidInput) as refused:
        privacy_policy_publish(actor=operator, body_zh="  ", body_en="")
    assert set(refused.value.fields) == {"body_zh", "body_en"}


def test_a_version_in_force_later_waits_for_its_time(operator):
    privacy_policy_publish(
        actor=operator, body_zh="新版", body_en="new", effective_at=NOW + dt.timedelta(days=7)
    )
    assert current_privacy_policy().version == 1
    assert current_privacy_policy(now=NOW + dt.timedelta(days=8)).version == 2


# Consents ------------------------------------------------------------------------------------


def test_registering_through_the_api_records_consent_with_version_and_time(db):
    response = Client().post(
        "/api/v1/auth/register", {**NEW, "phone": "13800138000"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert consents_of("xiaomei") == [(1, "registration", NOW)]


def test_registering_on_the_web_records_consent(db):
    assert Client().post("/register", NEW).status_code == 302
    assert consents_of("xiaomei") == [(1, "registration", NOW)]


def test_the_seed_route_records_consent(db, business):
    response = Client(headers={"Accept": "application/json"}).post("/register", NEW)
    assert response.json()["status"] == "success"
    assert consents_of("xiaomei") == [(1, "registration", NOW)]


def test_an_account_made_by_an_owner_for_staff_records_none(business):
    owner = client_for(owner_of(business))
    response = owner.post(
        f"/api/v1/businesses/{business.slug}/staff",
        {
            "name": "Tony",
            "new_account": {
                "username": "tony",
                "password": "a-long-Secret-42",
                "phone": "13900000001",
            },
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert consents_of("tony") == []


def test_the_first_own_booking_records_consent_once_per_version(
    customer, service, stylist, operator
):
    def book(hhmm: str, now: dt.datetime = NOW) -> None:
        appointment_create(
            service=service, customer=customer, staff=stylist, start=at(WEDNESDAY, hhmm), now=now
        )

    book("10:00")
    book("14:00")
    assert consents_of("customer") == [(1, "booking", NOW)]
    privacy_policy_publish(actor=operator, body_zh="第二版", body_en="Version two")
    later = NOW + dt.timedelta(minutes=5)
    book("16:00", later)
    assert consents_of("customer") == [(1, "booking", NOW), (2, "booking", later)]


def test_a_booking_staff_make_for_someone_is_no_consent_of_theirs(customer, service, stylist):
    appointment_create(
        service=service,
        customer=customer,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        actor=owner_of(service.business),
        now=NOW,
    )
    assert consents_of("customer") == []
