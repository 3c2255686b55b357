"""Owners set up their business through the API: business, locations, services, staff, hours."""

import pytest

from tests.helpers import client_for, error_of
from yuyue.catalog.models import Business, Membership, Service
from yuyue.scheduling.models import DateOverride, StaffMember, WorkingInterval

pytestmark = pytest.mark.django_db

SERVICE = {"name": "烫发", "duration_minutes": 120, "price": "398.00"}


def send(client, method: str, path: str, body=None):
    return getattr(client, method)(path, body, content_type="application/json")


# Businesses and locations ---------------------------------------------------------------------


def test_anyone_with_an_account_creates_a_business_and_owns_it(as_customer, customer):
    response = send(
        as_customer,
        "post",
        "/api/v1/businesses",
        {"slug": "studio", "name": "瑜伽馆", "timezone": "Asia/Hong_Kong", "currency": "HKD"},
    )

    assert response.status_code == 201
    assert response.json()["timezone"] == "Asia/Hong_Kong"
    membership = Membership.objects.get(business__slug="studio")
    assert (membership.user, membership.role) == (customer, "owner")


def test_a_taken_slug_is_a_duplicate(as_customer, business):
    response = send(as_customer, "post", "/api/v1/businesses", {"slug": "salon", "name": "x"})

    assert response.status_code == 409
    assert error_of(response)["code"] == "duplicate"
    assert "slug" in error_of(response)["details"]["fields"]


def test_an_unknown_time_zone_is_a_validation_error(as_customer):
    response = send(
        as_customer,
        "post",
        "/api/v1/businesses",
        {"slug": "x", "name": "x", "timezone": "Mars/Base"},
    )

    assert response.status_code == 422
    assert "timezone" in error_of(response)["details"]["fields"]
    assert not Business.objects.filter(slug="x").exists()


def test_creating_a_business_needs_a_token(anon):
    assert send(anon, "post", "/api/v1/businesses", {"slug": "x", "name": "x"}).status_code == 401


def test_the_owner_changes_the_business(as_owner, business):
    response = send(
        as_owner, "patch", "/api/v1/businesses/salon", {"name": "新名字", "phone": "021"}
    )

    assert response.status_code == 200
    business.refresh_from_db()
    assert (business.name, business.phone, business.timezone) == ("新名字", "021", "Asia/Shanghai")


def test_staff_may_not_change_the_business(as_staff, business):
    response = send(as_staff, "patch", "/api/v1/businesses/salon", {"name": "新名字"})

    assert response.status_code == 403


def test_null_is_not_a_name(as_owner, business):
    response = send(as_owner, "patch", "/api/v1/businesses/salon", {"name": None})

    assert response.status_code == 422


def test_the_owner_adds_and_changes_a_location(as_owner, business):
    created = send(
        as_owner,
        "post",
        "/api/v1/businesses/salon/locations",
        {"name": "浦东店", "address": "世纪大道 1 号", "timezone": ""},
    )
    location_id = created.json()["id"]
    changed = send(
        as_owner,
        "patch",
        f"/api/v1/businesses/salon/locations/{location_id}",
        {"timezone": "Asia/Tokyo"},
    )

    assert created.status_code == 201
    assert created.json()["timezone"] == "Asia/Shanghai"
    assert changed.json()["timezone"] == "Asia/Tokyo"


# Services -------------------------------------------------------------------------------------


def test_the_owner_adds_a_service(as_owner, business):
    response = send(as_owner, "post", "/api/v1/businesses/salon/services", SERVICE)

    assert response.status_code == 201
    body = response.json()
    assert (body["price"], body["currency"], body["capacity"]) == ("398.00", "CNY", 1)
    assert Service.objects.get().name == "烫发"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", 0),
        ("price", "-1"),
        ("price", 12.5),
        ("price", "1.234"),
        ("capacity", 0),
        ("max_days_ahead", 10_000),
        ("name", ""),
        ("name", "a\x00b"),
    ],
)
def test_a_bad_service_value_names_its_field(as_owner, business, field, value):
    response = send(
        as_owner, "post", "/api/v1/businesses/salon/services", {**SERVICE, field: value}
    )

    assert response.status_code == 422
    assert field in error_of(response)["details"]["fields"]
    assert not Service.objects.exists()


def test_the_owner_changes_only_what_is_sent(as_owner, service):
    response = send(
        as_owner,
        "patch",
        f"/api/v1/businesses/salon/services/{service.id}",
        {"price": "99.5", "slot_interval_minutes": 30},
    )

    assert response.status_code == 200
    service.refresh_from_db()
    assert (str(service.price), service.slot_interval_minutes, service.name) == (
        "99.50",
        30,
        "洗剪吹",
    )


def test_deleting_a_service_withdraws_it(as_owner, service, anon):
    response = as_owner.delete(f"/api/v1/businesses/salon/services/{service.id}")

    assert response.status_code == 204
    service.refresh_from_db()
    assert service.active is False
    assert anon.get("/api/v1/businesses/salon/services").json()["count"] == 0
    assert as_owner.get(f"/api/v1/businesses/salon/services/{service.id}").json()["active"] is False


def test_a_service_of_another_business_is_404(as_owner, service, other_owner):
    foreign = Service.objects.create(
        business=Business.objects.get(slug="elsewhere"), name="体检", duration_minutes=30, price=1
    )

    response = send(
        as_owner, "patch", f"/api/v1/businesses/salon/services/{foreign.id}", {"name": "mine"}
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "体检"


def test_staff_may_read_but_not_change_services(as_staff, service):
    assert as_staff.get(f"/api/v1/businesses/salon/services/{service.id}").status_code == 200
    response = send(
        as_staff, "patch", f"/api/v1/businesses/salon/services/{service.id}", {"name": "x"}
    )
    assert response.status_code == 403


# Staff -----------------------------------------------------------------------------------------


def test_the_owner_adds_a_staff_member_with_a_brand_new_account(
    as_owner, business, service, location
):
    response = send(
        as_owner,
        "post",
        "/api/v1/businesses/salon/staff",
        {
            "name": "Amy",
            "service_ids": [service.id],
            "location_id": location.id,
            "new_account": {
                "username": "amy",
                "password": "a-long-Secret-42",
                "phone": "+8613911112222",
            },
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["service_ids"], body["location_id"], body["username"]) == (
        [service.id],
        location.id,
        "amy",
    )
    amy = Membership.objects.get(user__username="amy")
    assert amy.role == "staff" and amy.user.is_staff


def test_an_existing_account_cannot_be_taken_over_as_a_new_staff_account(
    as_owner, business, customer
):
    response = send(
        as_owner,
        "post",
        "/api/v1/businesses/salon/staff",
        {
            "name": "Amy",
            "new_account": {
                "username": "customer",
                "password": "a-long-Secret-42",
                "phone": "+8613911112222",
            },
        },
    )

    assert response.status_code == 409
    assert not StaffMember.objects.filter(name="Amy").exists()
    customer.refresh_from_db()
    assert not customer.is_staff


def test_services_of_another_business_cannot_be_given_to_staff(as_owner, stylist, other_owner):
    foreign = Service.objects.create(
        business=Business.objects.get(slug="elsewhere"), name="体检", duration_minutes=30, price=1
    )

    response = send(
        as_owner,
        "patch",
        f"/api/v1/businesses/salon/staff/{stylist.id}",
        {"service_ids": [foreign.id]},
    )

    assert response.status_code == 422
    assert "service_ids" in error_of(response)["details"]["fields"]


def test_the_owner_moves_a_staff_member_to_no_location(as_owner, stylist):
    response = send(
        as_owner, "patch", f"/api/v1/businesses/salon/staff/{stylist.id}", {"location_id": None}
    )

    assert response.status_code == 200
    stylist.refresh_from_db()
    assert stylist.location is None


def test_deleting_a_staff_member_retires_them(as_owner, stylist):
    response = as_owner.delete(f"/api/v1/businesses/salon/staff/{stylist.id}")

    assert response.status_code == 204
    stylist.refresh_from_db()
    assert stylist.active is False


def test_inviting_to_a_staff_member_links_only_the_account_that_accepts(
    as_owner, stylist, customer, business
):
    response = send(as_owner, "post", f"/api/v1/businesses/salon/staff/{stylist.id}/members")

    assert response.status_code == 201
    token = response.json()["token"]
    assert not Membership.objects.filter(user=customer, business=business).exists()
    accepted = send(client_for(customer), "post", "/api/v1/invitations/accept", {"token": token})
    assert accepted.status_code == 200
    assert Membership.objects.get(user=customer, business=business).role == "staff"
    stylist.refresh_from_db()
    assert stylist.user == customer


# Hours and overrides ----------------------------------------------------------------------------


def test_the_owner_sets_weekly_hours_and_reads_them_back(as_owner, stylist):
    hours = {"mon": [["09:00", "12:00"], ["12:00", "18:00"]], "sat": [["10:00", "24:00"]]}

    response = send(as_owner, "put", f"/api/v1/businesses/salon/staff/{stylist.id}/hours", hours)

    assert response.status_code == 200
    expected = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    expected |= {"mon": [["09:00", "18:00"]], "sat": [["10:00", "24:00"]]}
    assert response.json() == expected
    assert as_owner.get(f"/api/v1/businesses/salon/staff/{stylist.id}/hours").json() == expected


def test_overlapping_hours_name_the_weekday_and_save_nothing(as_owner, stylist):
    before = WorkingInterval.objects.filter(staff=stylist).count()

    response = send(
        as_owner,
        "put",
        f"/api/v1/businesses/salon/staff/{stylist.id}/hours",
        {"mon": [["09:00", "12:00"]], "tue": [["09:00", "12:00"], ["11:00", "13:00"]]},
    )

    assert response.status_code == 422
    assert list(error_of(response)["details"]["fields"]) == ["tue"]
    assert WorkingInterval.objects.filter(staff=stylist).count() == before


@pytest.mark.parametrize(
    "hours",
    [{"funday": []}, {"mon": [["9:00", "12:00"]]}, {"mon": [["09:00"]]}, {"mon": "09:00-12:00"}],
)
def test_malformed_hours_are_validation_errors(as_owner, stylist, hours):
    response = send(as_owner, "put", f"/api/v1/businesses/salon/staff/{stylist.id}/hours", hours)

    assert response.status_code == 422


def test_the_owner_closes_a_day_and_reopens_it(as_owner, stylist):
    base = f"/api/v1/businesses/salon/staff/{stylist.id}/overrides"

    closed = send(as_owner, "post", base, {"date": "2026-12-24", "closed": True, "note": "平安夜"})
    special = send(
        as_owner, "post", base, {"date": "2026-12-31", "intervals": [["10:00", "14:00"]]}
    )
    listed = as_owner.get(f"{base}?date_from=2026-12-01&date_to=2026-12-31").json()
    removed = as_owner.delete(f"{base}/2026-12-24")

    assert closed.status_code == special.status_code == 201
    assert closed.json() == {
        "date": "2026-12-24",
        "closed": True,
        "intervals": [],
        "note": "平安夜",
    }
    assert [item["date"] for item in listed["items"]] == ["2026-12-24", "2026-12-31"]
    assert removed.status_code == 204
    assert [d.day for d in DateOverride.objects.values_list("date", flat=True)] == [31]


def test_an_override_needs_hours_or_closed(as_owner, stylist):
    response = send(
        as_owner,
        "post",
        f"/api/v1/businesses/salon/staff/{stylist.id}/overrides",
        {"date": "2026-12-24"},
    )

    assert response.status_code == 422
    assert "intervals" in error_of(response)["details"]["fields"]


def test_staff_may_read_hours_but_not_change_them(as_staff, stylist):
    path = f"/api/v1/businesses/salon/staff/{stylist.id}/hours"

    assert as_staff.get(path).status_code == 200
    assert send(as_staff, "put", path, {"mon": []}).status_code == 403


def test_management_needs_a_token(anon, stylist):
    assert (
        send(anon, "put", f"/api/v1/businesses/salon/staff/{stylist.id}/hours", {}).status_code
        == 401
    )
