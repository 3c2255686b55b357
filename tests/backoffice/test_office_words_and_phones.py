"""What the back office says (issue 24, items 5, 6, 7 and 11): a reschedule's old and new
times in the trail under "By"; skip reasons in the reader's language, said once; phones as
people write them, with tel: links, read back from edit fields; the words of the settings,
the flash after an action and the staff's reschedule page."""

import datetime as dt

import pytest

from tests.helpers import (
    TUESDAY,
    at,
    html_of,
    make_appointment,
    notices,
    office_browser_for,
    section,
)
from yuyue.bookings.models import Channel
from yuyue.bookings.services import appointment_reschedule
from yuyue.notifications import errors
from yuyue.notifications.models import Notification
from yuyue.scheduling.services import staff_override_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def as_owner_zh(owner):
    return office_browser_for(owner, english=False)


def detail(client, appointment) -> str:
    return html_of(client.get(f"/manage/salon/appointments/{appointment.public_id}/"))


def test_a_reschedule_in_the_trail_shows_the_old_and_new_times(as_owner, owner, pending, colleague):
    appointment_reschedule(
        appointment=pending, actor=owner, start=at(TUESDAY, "14:00"), staff=colleague
    )

    trail = section(detail(as_owner, pending), "trail-heading")

    assert '<th scope="col">By</th>' in trail
    assert "Rescheduled: " in trail
    assert "Rescheduled: Tue 1 Dec 10:00 · Tony 老师 → Tue 1 Dec 14:00 · Amy 老师" in trail
    assert "(Confirmed → Confirmed)" not in trail


def test_the_actor_column_is_headed_by_whoever_acted(as_owner_zh, pending):
    trail = section(detail(as_owner_zh, pending), "trail-heading")

    assert '<th scope="col">操作人</th>' in trail and "服务人员" not in trail


@pytest.fixture
def skipped(as_owner, pending):
    as_owner.post(f"/manage/salon/appointments/{pending.public_id}/confirm/")
    Notification.objects.filter(appointment=pending).update(
        status="skipped", last_error=errors.CANCELLED
    )


@pytest.mark.usefixtures("skipped")
def test_a_skip_reason_reads_in_chinese(as_owner_zh):
    html = html_of(as_owner_zh.get("/manage/salon/messages/"))

    assert "原因： 预约已取消。" in html or "原因：预约已取消。" in html
    assert "Skipped" not in html and "已跳过：" not in html


@pytest.mark.usefixtures("skipped")
def test_a_skip_reason_says_skipped_once_in_english(as_owner, pending):
    for html in (html_of(as_owner.get("/manage/salon/messages/")), detail(as_owner, pending)):
        assert "Reason: The appointment was cancelled." in html
        assert "Skipped: " not in html


def test_phones_are_readable_and_dialable(as_owner, pending):
    pending.client.phone = "+8615000150000"
    pending.client.save(update_fields=["phone"])

    html = detail(as_owner, pending)

    assert '<a href="tel:+8615000150000">150 0015 0000</a>' in html
    found = html_of(as_owner.get("/manage/salon/book/", {"q": "150 0015 0000"}))
    assert "150 0015 0000" in found and "+8615000150000" not in found


def test_a_shop_phone_is_edited_as_written_and_stored_to_dial(as_owner, location):
    location.phone = "+862162881234"
    location.save(update_fields=["phone"])
    url = f"/manage/salon/settings/shops/{location.id}/"

    html = html_of(as_owner.get(url))

    assert 'value="021 6288 1234"' in html and ">Telephone<" in html
    response = as_owner.post(
        url,
        {
            "name": location.name,
            "address": location.address,
            "phone": "021 6431 5678",
            "timezone": "",
        },
    )
    assert response.status_code == 303
    location.refresh_from_db()
    assert location.phone == "+862164315678"
    settings_page = html_of(as_owner.get("/manage/salon/settings/"))
    assert '<a href="tel:+862164315678">021 6431 5678</a>' in settings_page
    refused = as_owner.post(url, {"name": location.name, "phone": "call me", "timezone": ""})
    assert refused.status_code == 400


def test_settings_tables_name_things_and_shop_phones_are_telephones(as_owner_zh, location):
    html = html_of(as_owner_zh.get("/manage/salon/settings/"))

    services = section(html, "services-heading")
    shops = section(html, "shops-heading")
    assert ">名称<" in services and ">姓名<" not in services
    assert ">名称<" in shops and ">电话<" in shops
    form = html_of(as_owner_zh.get(f"/manage/salon/settings/shops/{location.id}/"))
    assert "电话" in form and "手机号" not in form


def test_overrides_list_says_the_hours_without_the_date_again(as_owner, owner, stylist):
    day = TUESDAY + dt.timedelta(days=7)
    staff_override_set(staff=stylist, actor=owner, date=day, intervals=[["10:00", "14:00"]])

    html = html_of(as_owner.get(f"/manage/salon/settings/staff/{stylist.id}/"))

    assert f"<td>{day.isoformat()}</td><td>10:00–14:00</td>" in html


def test_a_note_written_by_staff_is_labelled_as_theirs(as_owner_zh, service, stylist, customer):
    appointment = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "15:00")
    )
    appointment.notes = "孩子 6 岁"
    appointment.channel = Channel.BACKOFFICE
    appointment.save(update_fields=["notes", "channel"])

    html = detail(as_owner_zh, appointment)

    assert "<dt>员工备注</dt><dd>孩子 6 岁</dd>" in html


def test_the_flash_after_an_action_names_the_appointment(as_owner, pending):
    response = as_owner.post(
        f"/manage/salon/appointments/{pending.public_id}/confirm/", follow=True
    )

    flash = notices(html_of(response))
    assert "张小美" in flash and "10:00" in flash and "Confirmed" in flash


def test_the_staff_reschedule_page_speaks_to_staff(as_owner_zh, pending):
    html = html_of(as_owner_zh.get(f"/manage/salon/appointments/{pending.public_id}/reschedule/"))

    assert "原时间仍为顾客保留" in html and "为您保留" not in html


def test_the_invitations_page_is_laid_out_like_the_others(as_owner, business):
    as_owner.post("/manage/salon/settings/invitations/", {"do": "invite", "role": "staff"})

    html = html_of(as_owner.get("/manage/salon/settings/invitations/"))

    assert '<div class="grid-form">' in html and '<table class="table">' in html
