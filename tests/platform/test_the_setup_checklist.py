"""The set-up checklist on a new business's calendar: each step links to the page that does
it, is computed from the business's data, and the list is gone once the steps are done."""

import re

import pytest
from django.test import Client

from tests.helpers import EN, html_of, make_user, notices
from yuyue.catalog.models import Service
from yuyue.catalog.services import business_create, location_create
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import staff_weekly_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return make_user("newcomer", phone="+8613800138555", display_name="王老板")


@pytest.fixture
def fresh(newcomer):
    return business_create(owner=newcomer, slug="fresh", name="新店")


@pytest.fixture
def browser(newcomer):
    client = Client(headers=EN)
    client.force_login(newcomer)
    return client


def steps(html: str) -> dict[str, bool]:
    return {
        key: "is-done" in classes
        for classes, key in re.findall(r'class="setup-step([^"]*)" data-step="(\w+)"', html)
    }


def test_a_new_business_shows_every_step_to_do(browser, fresh):
    html = html_of(browser.get("/manage/fresh/"))

    assert "Set up your business" in html
    assert steps(html) == {
        "shop": False,
        "services": False,
        "staff": False,
        "hours": False,
        "policies": True,
    }
    assert 'href="/manage/fresh/settings/shops/new/?next=%2Fmanage%2Ffresh%2F"' in html
    assert 'href="/manage/fresh/setup/services/?next=%2Fmanage%2Ffresh%2F"' in html


def test_staff_never_see_the_checklist(fresh, newcomer, staff_user, business):
    browser = Client(headers=EN)
    browser.force_login(staff_user)

    assert "Set up your business" not in html_of(browser.get(f"/manage/{business.slug}/"))


def test_services_come_from_a_template_picked_and_edited(browser, fresh):
    form = html_of(browser.get("/manage/fresh/setup/services/?industry=hair&next=/manage/fresh/"))
    response = browser.post(
        "/manage/fresh/setup/services/",
        {
            "industry": "hair",
            "next": "/manage/fresh/",
            "s0-pick": "on",
            "s0-name": "Signature cut",
            "s0-minutes": "45",
            "s0-price": "120",
            "s1-pick": "on",
            "s1-name": "Men's quick cut",
            "s1-minutes": "30",
            "s1-price": "48",
            "s2-name": "not ticked",
            "s2-minutes": "45",
            "s2-price": "68",
        },
    )

    assert 'value="Wash, cut and blow-dry"' not in form  # the business writes Chinese
    assert 'value="洗剪吹"' in form
    assert response.status_code == 303
    assert response["Location"] == "/manage/fresh/"
    created = {s.name: (s.duration_minutes, str(s.price)) for s in Service.objects.all()}
    assert created == {"Signature cut": (45, "120.00"), "Men's quick cut": (30, "48.00")}


def test_a_bad_template_row_creates_nothing_and_says_why(browser, fresh):
    response = browser.post(
        "/manage/fresh/setup/services/",
        {
            "industry": "fitness",
            "s0-pick": "on",
            "s0-name": "Yoga",
            "s0-minutes": "60",
            "s0-price": "120",
            "s1-pick": "on",
            "s1-name": "Pilates",
            "s1-minutes": "sixty",
            "s1-price": "-5",
        },
    )

    html = html_of(response)
    assert response.status_code == 400
    assert "Give the duration in whole minutes, e.g. 60." in html
    assert "Give a price of 0 or more, e.g. 88." in html
    assert not Service.objects.exists()


def test_the_owner_is_offered_first_and_linked_as_this_is_me(browser, fresh, newcomer):
    location_create(business=fresh, actor=newcomer, name="本店", address="上海市 1 号")
    form = html_of(browser.get("/manage/fresh/settings/staff/new/"))

    response = browser.post(
        "/manage/fresh/settings/staff/new/",
        {"name": "王老板", "is_me": "on", "active": "on", "do": "save", "hours-mon": "10:00-19:00"},
    )

    assert 'value="王老板"' in form
    assert re.search(r'name="is_me"[^>]*checked', form)
    assert response.status_code == 303
    assert StaffMember.objects.get().user == newcomer


def test_copy_to_every_day_fills_the_week_without_saving(browser, fresh, newcomer):
    response = browser.post(
        "/manage/fresh/settings/staff/new/",
        {"name": "Ann", "do": "copy-mon", "hours-mon": "09:00-12:00, 13:00-18:00"},
    )

    html = html_of(response)
    assert response.status_code == 200
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        assert f'name="hours-{day}" value="09:00-12:00, 13:00-18:00"' in html
    assert 'value="Ann"' in html
    assert not StaffMember.objects.exists()


def test_the_checklist_is_gone_once_done_and_comes_back_with_missing_data(browser, fresh, newcomer):
    browser.post(
        "/manage/fresh/settings/shops/new/",
        {"name": "本店", "address": "上海市静安区 1 号", "phone": "021 6288 0000"},
    )
    browser.post(
        "/manage/fresh/setup/services/",
        {
            "industry": "consulting",
            "s1-pick": "on",
            "s1-name": "咨询",
            "s1-minutes": "60",
            "s1-price": "500",
        },
    )
    halfway = html_of(browser.get("/manage/fresh/"))
    saved = browser.post(
        "/manage/fresh/settings/staff/new/?next=/manage/fresh/",
        {
            "name": "王老板",
            "is_me": "on",
            "services": [str(Service.objects.get().id)],
            "do": "save",
            "next": "/manage/fresh/",
            **{f"hours-{d}": "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")},
        },
    )
    done = browser.get("/manage/fresh/")
    member = StaffMember.objects.get()
    Service.objects.update(active=False)
    undone = html_of(browser.get("/manage/fresh/"))

    assert steps(halfway) == {
        "shop": True,
        "services": True,
        "staff": False,
        "hours": False,
        "policies": True,
    }
    assert saved.status_code == 303 and saved["Location"] == "/manage/fresh/"
    assert staff_weekly_hours(staff=member)["fri"] == [["09:00", "18:00"]]
    assert "Set up your business" not in html_of(done)
    assert "Saved" in notices(html_of(done))
    assert steps(undone)["services"] is False
