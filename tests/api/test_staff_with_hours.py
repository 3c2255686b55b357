"""A staff member and their weekly hours are added in one request, or not at all."""

import pytest

from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import staff_weekly_hours

pytestmark = pytest.mark.django_db


def test_a_staff_member_is_added_with_their_hours(as_owner, business, service):
    response = as_owner.post(
        "/api/v1/businesses/salon/staff",
        {"name": "新人", "service_ids": [service.id], "hours": {"sat": [["10:00", "16:00"]]}},
        content_type="application/json",
    )

    assert response.status_code == 201
    newcomer = StaffMember.objects.get(id=response.json()["id"])
    assert staff_weekly_hours(staff=newcomer)["sat"] == [["10:00", "16:00"]]


def test_refused_hours_add_nobody(as_owner, business, service):
    response = as_owner.post(
        "/api/v1/businesses/salon/staff",
        {"name": "新人", "hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "mon" in response.json()["error"]["details"]["fields"]
    assert not StaffMember.objects.filter(name="新人").exists()
