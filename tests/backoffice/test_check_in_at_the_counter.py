"""The check-in box (核销) in the back office: the calendar carries it, staff type the code,
the appointment starts and the page shows it; refusals say why, in Chinese and in English."""

import pytest

from tests.helpers import TUESDAY, WEDNESDAY, at, html_of, make_appointment, office_browser_for
from yuyue.bookings.models import Status

pytestmark = pytest.mark.django_db

URL = "/manage/salon/check-in/"


@pytest.fixture
def arriving(service, stylist, customer):
    customer.display_name = "张小美"
    customer.save(update_fields=["display_name"])
    return make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "08:30")
    )


def test_the_calendar_carries_the_check_in_box(as_staff):
    page = html_of(as_staff.get("/manage/salon/"))
    assert f'action="{URL}"' in page and 'name="code"' in page


def test_typing_the_code_starts_the_appointment_and_shows_it(as_staff, arriving):
    response = as_staff.post(URL, {"code": arriving.checkin_code})
    assert response.status_code == 200
    page = html_of(response)
    assert "Checked in: 张小美. The appointment has started." in page
    assert f"/manage/salon/appointments/{arriving.public_id}/" in page
    assert "In progress" in page
    arriving.refresh_from_db()
    assert arriving.status == Status.IN_PROGRESS
    # The camera may be asked for on this page only.
    assert "camera=(self)" in response.headers["Permissions-Policy"]
    assert "camera=()" in as_staff.get("/manage/salon/").headers["Permissions-Policy"]


def test_in_chinese(staff_user, arriving):
    chinese = office_browser_for(staff_user, english=False)
    page = html_of(chinese.post(URL, {"code": arriving.checkin_code}))
    assert "已核销：张小美。预约已开始服务。" in page
    again = chinese.post(URL, {"code": arriving.checkin_code})
    assert again.status_code == 409
    assert "此预约已核销，正在进行中。" in html_of(again)


def test_an_unknown_code_is_refused(as_owner, arriving):
    wrong = f"{(int(arriving.checkin_code) + 1) % 1000000:06d}"
    response = as_owner.post(URL, {"code": wrong})
    assert response.status_code == 404
    assert "No appointment has this check-in code." in html_of(response)
    assert f'value="{wrong}"' in html_of(response)


def test_a_malformed_code_names_the_rule(as_owner, business):
    response = as_owner.post(URL, {"code": "12ab"})
    assert response.status_code == 422
    assert "A check-in code is 6 digits." in html_of(response)


def test_another_days_appointment_is_shown_with_the_reason(as_owner, service, stylist, customer):
    tomorrow = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(WEDNESDAY, "10:00")
    )
    response = as_owner.post(URL, {"code": tomorrow.checkin_code})
    assert response.status_code == 409
    page = html_of(response)
    assert "Too early" in page and f"/appointments/{tomorrow.public_id}/" in page
    tomorrow.refresh_from_db()
    assert tomorrow.status == Status.CONFIRMED


def test_awaiting_payment_and_cancelled_are_named(as_owner, service, stylist, customer):
    unpaid = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "08:30"),
        status="awaiting_payment",
    )
    assert "awaiting payment" in html_of(as_owner.post(URL, {"code": unpaid.checkin_code}))
    cancelled = make_appointment(
        service=service,
        staff=stylist,
        customer=customer,
        start=at(TUESDAY, "09:30"),
        status="cancelled",
    )
    assert "was cancelled" in html_of(as_owner.post(URL, {"code": cancelled.checkin_code}))


def test_too_many_wrong_codes_wait(as_owner, arriving, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "checkin_failures": "2/10m"}
    for code in ("000000", "000001"):
        if code != arriving.checkin_code:
            as_owner.post(URL, {"code": code})
    response = as_owner.post(URL, {"code": "000002"})
    assert response.status_code == 429
    assert "Too many wrong codes" in html_of(response)


def test_strangers_get_nothing(stranger, arriving):
    response = office_browser_for(stranger).post(URL, {"code": arriving.checkin_code})
    assert response.status_code == 404
    arriving.refresh_from_db()
    assert arriving.status == Status.CONFIRMED


def test_too_early_says_when_check_in_opens_in_chinese(staff_user, service, stylist, customer):
    later = make_appointment(
        service=service, staff=stylist, customer=customer, start=at(TUESDAY, "10:00")
    )
    chinese = office_browser_for(staff_user, english=False)
    page = html_of(chinese.post(URL, {"code": later.checkin_code}))
    assert "太早了：此预约在 周二 2026年12月1日 10:00" in page
    assert "，09:00 起可以核销。" in page
