"""The admin saves a new staff member and their weekly hours in one service call: hours that
the service refuses leave no staff member behind."""

import pytest
from django.urls import reverse

from yuyue.scheduling.models import StaffMember, WorkingInterval

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, owner):
    client.force_login(owner)
    return client


def add_form(client, business, service, intervals: list[tuple[int, str, str]]) -> dict:
    """The add page's own form, filled in: a name, the service and the weekly-hours rows."""
    page = client.get(reverse("admin:scheduling_staffmember_add"))
    assert page.status_code == 200
    hours, overrides = (formset.formset for formset in page.context["inline_admin_formsets"])
    data = {
        "business": business.pk,
        "name": "新员工",
        "services": [service.pk],
        "timezone": "",
        "active": "on",
        f"{hours.prefix}-TOTAL_FORMS": len(intervals),
        f"{hours.prefix}-INITIAL_FORMS": 0,
        f"{overrides.prefix}-TOTAL_FORMS": 0,
        f"{overrides.prefix}-INITIAL_FORMS": 0,
    }
    for index, (weekday, start, end) in enumerate(intervals):
        data[f"{hours.prefix}-{index}-weekday"] = weekday
        data[f"{hours.prefix}-{index}-start_minute"] = start
        data[f"{hours.prefix}-{index}-end_minute"] = end
    return data


def test_a_new_staff_member_is_saved_with_their_hours(admin_client, business, service):
    data = add_form(admin_client, business, service, [(0, "09:00", "12:00"), (0, "13:00", "18:00")])

    response = admin_client.post(reverse("admin:scheduling_staffmember_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    member = StaffMember.objects.get(name="新员工")
    assert list(
        WorkingInterval.objects.filter(staff=member)
        .order_by("start_minute")
        .values_list("weekday", "start_minute", "end_minute")
    ) == [(0, 540, 720), (0, 780, 1080)]
    assert list(member.services.all()) == [service]


def test_overlapping_hours_save_nobody(admin_client, business, service):
    data = add_form(admin_client, business, service, [(1, "09:00", "12:00"), (1, "11:00", "13:00")])

    response = admin_client.post(reverse("admin:scheduling_staffmember_add"), data)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not StaffMember.objects.filter(name="新员工").exists()
    assert not WorkingInterval.objects.exists()
