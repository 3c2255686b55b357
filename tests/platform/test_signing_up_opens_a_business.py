"""Opening a business from the sign-up page and the API, under each YUYUE_SIGNUP mode: one
service (business_sign_up) makes the account, the business and the owner's membership, or
nothing."""

import pytest
from django.test import Client

from tests.helpers import EN, client_for, error_of, field_errors, html_of, make_user
from yuyue.accounts.models import User
from yuyue.catalog.models import Business, Membership, SignupInvitation
from yuyue.catalog.services import signup_invitation_create
from yuyue.catalog.slugs import slug_from_name
from yuyue.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db

FORM = {
    "username": "xiaomei",
    "password": "a long enough password 9",
    "display_name": "小美",
    "phone": "13800138111",
    "email": "",
    "name": "小美美甲工作室",
    "slug": "",
    "timezone": "Asia/Shanghai",
    "currency": "CNY",
    "default_language": "zh-hans",
}


def sign_up(client: Client | None = None, **changes) -> object:
    client = client or Client(headers=EN)
    return client.post("/signup/", {**FORM, **changes})


def test_a_visitor_opens_a_business_and_lands_on_its_back_office():
    browser = Client(headers=EN)

    response = sign_up(browser)

    business = Business.objects.get()
    owner = User.objects.get(username="xiaomei")
    assert response.status_code == 303
    assert response["Location"] == f"/manage/{business.slug}/"
    assert business.slug == "xiaomei-meijia-gongzuo-shi"
    assert business.name == "小美美甲工作室"
    assert Membership.objects.get(business=business).user == owner
    assert Membership.objects.get(business=business).role == "owner"
    assert owner.check_password(FORM["password"])
    assert owner.phone == "+8613800138111"
    # Logged in: the back office opens at once, with its set-up checklist.
    assert "Set up your business" in html_of(browser.get(response["Location"]))


def test_the_slug_is_proposed_from_the_name_in_pinyin_and_kept_free():
    Business.objects.create(slug="yueji-meifa", name="别人")

    proposal = Client().get("/signup/slug", {"name": "悦己美发"}).json()

    assert slug_from_name("悦己美发沙龙") == "yueji-meifa-shalong"
    assert slug_from_name("Hair & Co. Café") == "hair-co-cafe"
    assert proposal == {"slug": "yueji-meifa-2"}


def test_a_chosen_slug_is_checked_and_a_refusal_creates_nothing():
    Business.objects.create(slug="taken", name="别人")

    bad = sign_up(slug="Not A Slug")
    reserved = sign_up(slug="platform")
    taken = sign_up(slug="taken")

    assert bad.status_code == 400
    assert "lower-case letters" in field_errors(html_of(bad), "id_slug")[0]
    assert reserved.status_code == 400
    assert "reserved" in field_errors(html_of(reserved), "id_slug")[0]
    assert taken.status_code == 409
    assert field_errors(html_of(taken), "id_slug") == ["This slug is taken."]
    assert not User.objects.filter(username="xiaomei").exists()
    assert Business.objects.count() == 1


def test_an_account_refusal_lands_on_the_account_field_and_creates_no_business():
    make_user("xiaomei", phone="+8613800138222")

    response = sign_up()

    assert response.status_code == 409
    assert field_errors(html_of(response), "id_username")
    assert not Business.objects.exists()


def test_a_logged_in_person_opens_a_business_with_their_own_account(customer):
    browser = Client(headers=EN)
    browser.force_login(customer)

    form = browser.get("/signup/")
    response = browser.post("/signup/", {**FORM, "username": "", "password": ""})

    assert 'name="username"' not in html_of(form)
    assert response.status_code == 303
    slug = response["Location"].split("/")[2]
    assert Membership.objects.get(business__slug=slug).user == customer


def test_sign_up_closed_refuses_page_and_api_but_not_the_operator(settings, customer):
    settings.YUYUE_SIGNUP = "closed"
    operator = make_user("root", phone="+8613800138333", is_superuser=True, is_staff=True)

    page = Client(headers=EN).get("/signup/")
    posted = sign_up()
    api = client_for(customer).post(
        "/api/v1/businesses", {"slug": "mine", "name": "我的店"}, content_type="application/json"
    )
    by_operator = client_for(operator).post(
        "/api/v1/businesses", {"slug": "ops", "name": "运营"}, content_type="application/json"
    )

    assert page.status_code == 403
    assert "closed" in html_of(page)
    assert posted.status_code == 403
    assert api.status_code == 403
    assert error_of(api)["code"] == "signup_closed"
    assert by_operator.status_code == 201
    assert list(Business.objects.values_list("slug", flat=True)) == ["ops"]
    assert "Open your business" not in html_of(Client(headers=EN).get("/"))


def test_sign_up_by_invitation_takes_a_link_from_the_operator_once(settings, customer):
    settings.YUYUE_SIGNUP = "invite"
    operator = make_user("root", phone="+8613800138333", is_superuser=True, is_staff=True)
    issued = signup_invitation_create(actor=operator, note="李老板")

    without = Client(headers=EN).get("/signup/")
    form = Client(headers=EN).get(f"/signup/?invite={issued.token}")
    used = sign_up(invite=issued.token)
    again = sign_up(invite=issued.token, username="second", phone="13800138444", name="二店")
    api_without = client_for(customer).post(
        "/api/v1/businesses", {"slug": "mine", "name": "我的店"}, content_type="application/json"
    )

    assert without.status_code == 403
    assert "invitation" in html_of(without)
    assert form.status_code == 200
    assert f'name="invite" value="{issued.token}"' in html_of(form)
    assert used.status_code == 303
    invitation = SignupInvitation.objects.get()
    assert invitation.used_at is not None
    assert invitation.business == Business.objects.get(slug="xiaomei-meijia-gongzuo-shi")
    assert again.status_code == 403
    assert api_without.status_code == 403
    assert error_of(api_without)["code"] == "signup_closed"
    assert Business.objects.count() == 1


def test_the_api_opens_a_business_with_an_invitation(settings, customer):
    settings.YUYUE_SIGNUP = "invite"
    operator = make_user("root", phone="+8613800138333", is_superuser=True, is_staff=True)
    issued = signup_invitation_create(actor=operator)

    response = client_for(customer).post(
        "/api/v1/businesses",
        {"slug": "mine", "name": "我的店", "invite": issued.token},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Membership.objects.get(business__slug="mine").user == customer


def test_the_api_under_open_sign_up_checks_the_slug_rule(customer):
    response = client_for(customer).post(
        "/api/v1/businesses", {"slug": "Big_Shop", "name": "大店"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "slug" in error_of(response)["details"]["fields"]


def test_only_the_operator_makes_sign_up_links(owner):
    with pytest.raises(NotAllowed):
        signup_invitation_create(actor=owner)

    assert not SignupInvitation.objects.exists()


def test_sign_ups_of_new_accounts_are_throttled_like_registrations(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "register_ip": "2/h"}

    answers = [
        sign_up(username=f"owner{n}", phone=f"1380013822{n}", name=f"店{n}", slug=f"shop{n}")
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [303, 303, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert Business.objects.count() == 2
