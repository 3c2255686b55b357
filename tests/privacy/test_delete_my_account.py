"""注销: a customer deletes their account on the web (with the password) or through the API
(with a texted code). Afterwards no table holds their name, phone or email; the business keeps
its figures; their upcoming appointments are cancelled and the business told; they can no
longer sign in, their tokens are dead, and the same phone may make a fresh account."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session

from tests.accounts.codes import last_code, wrong
from tests.accounts.codes import send as send_code
from tests.helpers import (
    NOW,
    PASSWORD,
    TUESDAY,
    WEDNESDAY,
    at,
    bearer,
    browser_for,
    error_of,
    html_of,
    make_appointment,
    make_user,
    office_browser_for,
)
from tests.privacy.scan import national_spellings, traces
from yuyue.accounts.models import ApiToken, PhoneCode, User
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import appointment_create
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_update
from yuyue.notifications.dispatcher import drain
from yuyue.notifications.models import Notification
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity

pytestmark = pytest.mark.django_db

NAME = "林小雨"
PHONE = "+8613917778117"  # the phone tests.accounts.codes texts
EMAIL = "lin.xiaoyu@example.com"
NEEDLES = [NAME, *national_spellings(PHONE), EMAIL]
MONDAY = TUESDAY - dt.timedelta(days=1)
PAST_PERIOD = {"from": MONDAY.isoformat(), "to": MONDAY.isoformat()}


@pytest.fixture
def lin(db) -> User:
    user = make_user("linxiaoyu", phone=PHONE, email=EMAIL, display_name=NAME)
    user.phone_verified = True
    user.save(update_fields=["phone_verified"])
    return user


@pytest.fixture
def history(lin, service, stylist, owner):
    """Yesterday's visit, tomorrow's booking (cancellable), one at 09:00 today (past its
    two-hour cut-off), the salon's notes about her, the messages sent to her, her WeChat
    sign-in and a live code for her phone."""
    past = make_appointment(
        service=service, staff=stylist, customer=lin, start=at(MONDAY, "10:00"), status="completed"
    )
    Appointment.objects.filter(pk=past.pk).update(notes=f"{NAME}：上次剪短了")
    tomorrow = appointment_create(
        service=service,
        customer=lin,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        notes=f"我是{NAME}，电话 {PHONE}",
        now=NOW,
    )
    soon = make_appointment(
        service=service, staff=stylist, customer=lin, start=at(TUESDAY, "09:00")
    )
    record = Customer.objects.get(user=lin)
    customer_update(
        actor=owner, customer=record, notes=f"{NAME} 对染发剂过敏 {EMAIL}", tags=["VIP", NAME]
    )
    drain()
    assert Notification.objects.filter(recipient=lin, status="sent").exclude(address="").exists()
    WeChatIdentity.objects.create(appid="wx-app", openid="o-lin", unionid="u-lin", user=lin)
    SubscribeConsent.objects.create(user=lin, template_id="tpl", remaining=1)
    # A code asked for earlier (straight into the table: asking counts towards the limits).
    PhoneCode.objects.create(
        phone=PHONE,
        purpose="reset",
        code_hash="0" * 64,
        created_at=NOW,
        expires_at=NOW + dt.timedelta(minutes=5),
        ip="198.51.100.1",
    )
    return {"past": past, "tomorrow": tomorrow, "soon": soon, "record": record}


def _figures(owner) -> str:
    """The dashboard of yesterday, without the page's CSRF tokens (new on every page)."""
    html = html_of(office_browser_for(owner).get("/manage/salon/dashboard/", PAST_PERIOD))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _delete_on_the_web(user: User) -> tuple:
    browser = browser_for(user, english=True)
    page = browser.get("/me/delete/")
    assert page.status_code == 200 and "Delete my account" in html_of(page)
    response = browser.post("/me/delete/", {"action": "delete", "password": PASSWORD})
    assert response.status_code == 200, html_of(response)
    assert "Account deleted" in html_of(response)
    return browser, response


def _delete_through_the_api(user: User, webhook) -> tuple:
    api = browser_for(None)
    token = bearer(user)
    assert send_code(PHONE).status_code == 202
    response = api.post(
        "/api/v1/me/delete",
        {"phone_code": last_code(webhook)},
        content_type="application/json",
        headers={"Authorization": token},
    )
    assert response.status_code == 204, response.content
    return api, token


@pytest.mark.parametrize("route", ["web", "api"])
def test_after_deleting_nothing_holds_her_name_phone_or_email(route, lin, history, owner, webhook):
    assert traces(NEEDLES), "the scan must see her before"
    browser = browser_for(lin)  # a second device, signed in
    token = bearer(lin)
    figures = _figures(owner)
    appointments = Appointment.objects.filter(business=history["record"].business).count()

    if route == "web":
        _delete_on_the_web(lin)
    else:
        _delete_through_the_api(lin, webhook)

    assert traces(NEEDLES) == []
    # The business's figures and appointments are as they were; her record's row stays.
    assert _figures(owner) == figures
    assert Appointment.objects.filter(business=history["record"].business).count() == appointments
    record = Customer.objects.get(pk=history["record"].pk)
    assert (record.user_id, record.phone, record.email, record.notes, record.tags) == (
        None,
        "",
        "",
        "",
        [],
    )
    assert record.erased_at is not None
    # Every way back in is closed.
    assert not ApiToken.objects.filter(user=lin).exists()
    assert not WeChatIdentity.objects.filter(user=lin).exists()
    assert not SubscribeConsent.objects.filter(user=lin).exists()
    assert not PhoneCode.objects.filter(phone=PHONE).exists()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(lin.pk)
    ]
    assert browser.get("/me/data/").status_code == 302
    assert browser_for(None).get("/api/v1/me", headers={"Authorization": token}).status_code == 401


def test_her_upcoming_appointment_is_cancelled_and_the_business_told(lin, history, owner):
    _delete_on_the_web(lin)

    tomorrow = Appointment.objects.get(pk=history["tomorrow"].pk)
    assert tomorrow.status == Status.CANCELLED
    told = Notification.objects.filter(appointment=tomorrow, kind="staff_cancelled")
    assert told.filter(recipient=owner).exists()
    # She is not written to: her address is gone, and so are the messages not sent yet.
    assert not Notification.objects.filter(recipient=lin, status__in=["pending", "sending"])
    # Past its cut-off, this morning's stays booked, without her name; history is untouched.
    soon = Appointment.objects.get(pk=history["soon"].pk)
    assert soon.status == Status.CONFIRMED and soon.client.name != NAME
    assert Appointment.objects.get(pk=history["past"].pk).status == Status.COMPLETED


def test_she_cannot_sign_in_and_her_phone_may_start_afresh(lin, history, webhook):
    _delete_on_the_web(lin)

    api = browser_for(None)
    for username in ("linxiaoyu", PHONE):
        login = api.post(
            "/api/v1/auth/login",
            {"username": username, "password": PASSWORD},
            content_type="application/json",
        )
        assert login.status_code == 401
    assert send_code(PHONE).status_code == 202
    verified = api.post(
        "/api/v1/auth/sms/verify",
        {"phone": PHONE, "code": last_code(webhook)},
        content_type="application/json",
    )
    assert verified.status_code == 200
    fresh = User.objects.get(pk=verified.json()["user"]["id"])
    assert fresh.pk != lin.pk and fresh.phone == PHONE and fresh.phone_verified
    # The fresh account inherits nothing of the old one.
    assert not Appointment.objects.filter(customer=fresh).exists()


def test_a_wrong_password_or_code_deletes_nothing(lin, history):
    api = browser_for(None)
    token = bearer(lin)
    for body in ({"password": "not it"}, {"phone_code": "000000"}, {}):
        response = api.post(
            "/api/v1/me/delete",
            body,
            content_type="application/json",
            headers={"Authorization": token},
        )
        assert response.status_code in (401, 422), body
        assert response.status_code == 422 or error_of(response)["code"] == "invalid_code"
    lin.refresh_from_db()
    assert lin.is_active and lin.display_name == NAME
    page = browser_for(lin, english=True).post(
        "/me/delete/", {"action": "delete", "password": "no"}
    )
    assert page.status_code == 422 and "The password is wrong." in html_of(page)
    assert User.objects.get(pk=lin.pk).is_active


def test_an_owner_or_staff_member_hands_over_first(owner, staff_user, business):
    for member in (owner, staff_user):
        response = browser_for(None).post(
            "/api/v1/me/delete",
            {"password": PASSWORD},
            content_type="application/json",
            headers={"Authorization": bearer(member), "Accept-Language": "en"},
        )
        assert response.status_code == 403
        assert (
            "leave it" in error_of(response)["message"] or "离开" in error_of(response)["message"]
        )
        member.refresh_from_db()
        assert member.is_active


def test_my_data_links_to_deleting(lin):
    page = html_of(browser_for(lin, english=True).get("/me/data/"))
    assert 'href="/me/delete/"' in page


def test_an_account_made_by_code_confirms_with_a_code_on_the_web(webhook):
    assert send_code(PHONE).status_code == 202
    signed_in = browser_for(None).post(
        "/api/v1/auth/sms/verify",
        {"phone": PHONE, "code": last_code(webhook)},
        content_type="application/json",
    )
    user = User.objects.get(pk=signed_in.json()["user"]["id"])
    assert not user.has_usable_password()
    browser = browser_for(user, english=True, REMOTE_ADDR="198.51.100.77")
    page = html_of(browser.get("/me/delete/"))
    assert 'name="phone_code"' in page and 'name="password"' not in page

    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        sent = browser.post("/me/delete/", {"action": "send"})
        assert sent.status_code == 200 and "A code is on its way" in html_of(sent)
        done = browser.post("/me/delete/", {"action": "delete", "phone_code": last_code(webhook)})

    assert done.status_code == 200 and "Account deleted" in html_of(done)
    user.refresh_from_db()
    assert not user.is_active and user.phone == ""
    assert browser.get("/me/data/").status_code == 302


def test_an_account_made_by_wechat_alone_is_confirmed_by_its_token(db):
    user = User.objects.create(username="u-wechat-only")
    user.set_unusable_password()
    user.save()
    WeChatIdentity.objects.create(appid="wx-app", openid="o-only", user=user)

    response = browser_for(None).post(
        "/api/v1/me/delete",
        {},
        content_type="application/json",
        headers={"Authorization": bearer(user)},
    )

    assert response.status_code == 204
    assert not WeChatIdentity.objects.filter(openid="o-only").exists()
    assert not User.objects.get(pk=user.pk).is_active


def test_wrong_codes_stay_counted_so_the_code_cannot_be_guessed(lin, webhook):
    api = browser_for(None)
    token = bearer(lin)
    assert send_code(PHONE).status_code == 202
    code = last_code(webhook)

    def delete(phone_code: str):
        return api.post(
            "/api/v1/me/delete",
            {"phone_code": phone_code},
            content_type="application/json",
            headers={"Authorization": token},
        )

    for _try in range(5):
        assert delete(wrong(code)).status_code == 401
    # The fifth wrong try killed the code: the right one no longer works either.
    assert delete(code).status_code == 401
    assert User.objects.get(pk=lin.pk).is_active
