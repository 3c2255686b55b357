"""Settings are the owners': staff without the owner role are refused. Services, staff with
their services and weekly hours, date overrides, shops and reminder policies are edited
through the catalog and scheduling services, and customers see the change at once."""

import re

import pytest

from tests.helpers import WEDNESDAY, html_of, office_browser_for
from yuyue.catalog.models import Business, Location, Service
from yuyue.scheduling.models import DateOverride, StaffMember
from yuyue.scheduling.selectors import staff_weekly_hours

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

SETTINGS_PAGES = [
    "/manage/salon/settings/",
    "/manage/salon/settings/policies/",
    "/manage/salon/settings/services/new/",
    "/manage/salon/settings/shops/new/",
    "/manage/salon/settings/staff/new/",
    "/manage/salon/settings/invitations/",
]


@pytest.mark.parametrize("path", SETTINGS_PAGES)
def test_staff_without_the_owner_role_cannot_reach_settings(as_staff, stylist, path):
    assert as_staff.get(path).status_code == 403
    assert as_staff.post(path, {"name": "taken over"}).status_code in (403, 405)
    assert not Service.objects.filter(name="taken over").exists()


def test_staff_see_no_settings_tab(as_staff, stylist):
    assert "/manage/salon/settings/" not in html_of(as_staff.get("/manage/salon/"))


def test_an_owner_edits_weekly_hours_with_a_break(as_owner, stylist, service):
    response = as_owner.post(
        f"/manage/salon/settings/staff/{stylist.id}/",
        {
            "name": "Tony 老师",
            "location": stylist.location_id,
            "services": [service.id],
            "active": "on",
            "hours-mon": "10:00-12:00, 14:00-20:00",
            "hours-tue": "9:00–11:00",
        },
    )

    assert response.status_code == 303
    hours = staff_weekly_hours(staff=stylist)
    assert hours["mon"] == [["10:00", "12:00"], ["14:00", "20:00"]]
    assert hours["tue"] == [["09:00", "11:00"]]
    assert hours["wed"] == []


def test_overlapping_hours_are_refused_at_the_weekday_and_nothing_changes(
    as_owner, stylist, service
):
    response = as_owner.post(
        f"/manage/salon/settings/staff/{stylist.id}/",
        {
            "name": "Tony 老师",
            "services": [service.id],
            "active": "on",
            "hours-mon": "09:00-12:00, 11:00-13:00",
        },
    )

    assert response.status_code == 400
    assert 'id="id_hours-mon_error"' in html_of(response)
    assert staff_weekly_hours(staff=stylist)["tue"] == [["09:00", "12:00"], ["13:00", "18:00"]]


def test_a_date_off_is_added_and_removed(as_owner, stylist):
    as_owner.post(
        f"/manage/salon/settings/staff/{stylist.id}/overrides/",
        {"date": WEDNESDAY.isoformat(), "closed": "on", "note": "年假"},
    )
    assert DateOverride.objects.get(staff=stylist).intervals == []

    as_owner.post(
        f"/manage/salon/settings/staff/{stylist.id}/overrides/",
        {"delete": WEDNESDAY.isoformat()},
    )
    assert not DateOverride.objects.filter(staff=stylist).exists()


def test_an_owner_adds_a_service_and_a_staff_member(as_owner, business, location):
    as_owner.post(
        "/manage/salon/settings/services/new/",
        {
            "name": "染发",
            "duration_minutes": "120",
            "price": "388.00",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "15",
            "capacity": "1",
            "min_notice_minutes": "60",
            "max_days_ahead": "30",
            "cancel_cutoff_minutes": "120",
            "reschedule_cutoff_minutes": "120",
            "active": "on",
        },
    )
    dye = Service.objects.get(name="染发")
    as_owner.post(
        "/manage/salon/settings/staff/new/",
        {
            "name": "新人",
            "location": location.id,
            "services": [dye.id],
            "active": "on",
            "hours-sat": "10:00-16:00",
        },
    )

    newcomer = StaffMember.objects.get(name="新人")
    assert list(newcomer.services.all()) == [dye]
    assert staff_weekly_hours(staff=newcomer)["sat"] == [["10:00", "16:00"]]


def test_invalid_service_input_names_the_field(as_owner, business):
    response = as_owner.post(
        "/manage/salon/settings/services/new/",
        {"name": "x", "duration_minutes": "-5", "price": "abc"},
    )

    assert response.status_code == 400
    html = html_of(response)
    assert 'id="id_duration_minutes_error"' in html and 'id="id_price_error"' in html


def test_reminder_offsets_are_a_policy_owners_can_edit(as_owner, business):
    as_owner.post(
        "/manage/salon/settings/policies/",
        {
            "name": business.name,
            "phone": "",
            "reminder_1_0": "1",
            "reminder_1_1": "days",
            "reminder_2_0": "30",
            "reminder_2_1": "minutes",
        },
    )

    assert Business.objects.get(slug="salon").reminder_offsets_minutes == [1440, 30]


def test_reminders_and_cut_offs_read_in_hours_and_days(owner, business, service):
    as_owner_zh = office_browser_for(owner, english=False)
    business.reminder_offsets_minutes = [1440, 120]
    business.save(update_fields=["reminder_offsets_minutes"])

    policies = html_of(as_owner_zh.get("/manage/salon/settings/policies/"))
    # 24 hours is "1 day"; 120 minutes "2 hours"; the third reminder is empty.
    assert re.search(r'name="reminder_1_0" value="1"', policies)
    unit = policies.split('name="reminder_1_1"')[1]
    assert re.search(r'<option value="days" selected>天</option>', unit)
    assert re.search(r'name="reminder_2_0" value="2"', policies)
    assert 'name="reminder_3_0" min' in policies or 'name="reminder_3_0" ' in policies

    service_url = f"/manage/salon/settings/services/{service.id}/"
    form = html_of(as_owner_zh.get(service_url))
    assert 'name="cancel_cutoff_minutes_0" value="2"' in form
    fields = {
        "name": service.name,
        "duration_minutes": "60",
        "price": "88",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "0",
        "capacity": "1",
        "max_days_ahead": "30",
        "min_notice_minutes_0": "1",
        "min_notice_minutes_1": "hours",
        "cancel_cutoff_minutes_0": "1",
        "cancel_cutoff_minutes_1": "days",
        "reschedule_cutoff_minutes_0": "90",
        "reschedule_cutoff_minutes_1": "minutes",
        "active": "on",
    }
    assert as_owner_zh.post(service_url, fields).status_code == 303
    service.refresh_from_db()
    assert (
        service.min_notice_minutes,
        service.cancel_cutoff_minutes,
        service.reschedule_cutoff_minutes,
    ) == (60, 1440, 90)


def test_a_shops_time_zone_is_chosen_from_a_list(as_owner, business, location):
    url = f"/manage/salon/settings/shops/{location.id}/"
    html = html_of(as_owner.get(url))

    assert '<select name="timezone"' in html
    assert '<option value="Asia/Tokyo">Japan Standard Time · Asia/Tokyo</option>' in html
    as_owner.post(url, {"name": location.name, "timezone": "Asia/Tokyo"})
    location.refresh_from_db()
    assert location.timezone == "Asia/Tokyo"
    refused = as_owner.post(url, {"name": location.name, "timezone": "Mars/Olympus"})
    assert refused.status_code == 400


def test_a_shop_is_added(as_owner, business):
    as_owner.post("/manage/salon/settings/shops/new/", {"name": "徐汇店", "address": "上海"})

    assert Location.objects.filter(business=business, name="徐汇店").exists()


def test_another_businesss_service_is_a_404(as_owner, business, other_owner):
    theirs = Service.objects.create(
        business=Business.objects.get(slug="elsewhere"), name="针灸", duration_minutes=30, price=1
    )

    assert as_owner.get(f"/manage/salon/settings/services/{theirs.id}/").status_code == 404
    assert office_browser_for(other_owner).get("/manage/salon/settings/").status_code == 404


def test_a_new_staff_member_with_refused_hours_is_not_saved_even_when_sent_twice(
    as_owner, business, location, service
):
    form = {
        "name": "新人",
        "location": location.id,
        "services": [service.id],
        "active": "on",
        "hours-mon": "09:00-12:00, 11:00-13:00",
    }

    first = as_owner.post("/manage/salon/settings/staff/new/", form)
    second = as_owner.post("/manage/salon/settings/staff/new/", form)

    assert first.status_code == second.status_code == 400
    assert 'id="id_hours-mon_error"' in html_of(second)
    assert not StaffMember.objects.filter(name="新人").exists()


def test_refused_hours_leave_the_rest_of_a_staff_member_unchanged(as_owner, stylist, service):
    response = as_owner.post(
        f"/manage/salon/settings/staff/{stylist.id}/",
        {"name": "改名", "services": [service.id], "hours-mon": "09:00-12:00, 11:00-13:00"},
    )

    stylist.refresh_from_db()
    assert response.status_code == 400
    assert (stylist.name, stylist.active) == ("Tony 老师", True)
