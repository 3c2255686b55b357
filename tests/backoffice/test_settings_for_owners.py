"""Settings are the owners': staff without the owner role are refused. Services, staff with
their services and weekly hours, date overrides, shops and reminder policies are edited
through the catalog and scheduling services, and customers see the change at once."""

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
        {"name": business.name, "phone": "", "reminders": "1440，30"},
    )

    assert Business.objects.get(slug="salon").reminder_offsets_minutes == [1440, 30]


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
