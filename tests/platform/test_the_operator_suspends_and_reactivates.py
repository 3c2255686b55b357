"""The platform operator's page and suspension: a suspended business's pages say it is closed,
its API answers 403 `business_suspended`, nothing is deleted, and reactivation restores all."""

import pytest
from django.test import Client

from tests.helpers import EN, WEDNESDAY, at, client_for, error_of, html_of, make_user
from yuyue.bookings.services import appointment_create
from yuyue.catalog.models import Business
from yuyue.catalog.services import business_reactivate, business_suspend
from yuyue.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return make_user("root", phone="+8613800138333", is_superuser=True, is_staff=True)


@pytest.fixture
def booked(service, stylist, customer):
    return appointment_create(service=service, customer=customer, start=at(WEDNESDAY, "10:00"))


def edges(business, service, booked, customer, owner) -> dict[str, int]:
    """The status of each edge a customer, the mini program or the owner reaches."""
    customer_browser = Client(headers=EN)
    customer_browser.force_login(customer)
    owner_browser = Client(headers=EN)
    owner_browser.force_login(owner)
    api = client_for(customer, **EN)
    return {
        "page": Client(headers=EN).get(f"/b/{business.slug}/").status_code,
        "book": Client(headers=EN).get(f"/b/{business.slug}/book/{service.id}/").status_code,
        "appointment": customer_browser.get(f"/appointments/{booked.public_id}/").status_code,
        "api business": api.get(f"/api/v1/businesses/{business.slug}").status_code,
        "api services": api.get(f"/api/v1/businesses/{business.slug}/services").status_code,
        "api availability": api.get(
            f"/api/v1/businesses/{business.slug}/availability",
            {"service_id": service.id, "date_from": "2026-12-02", "date_to": "2026-12-02"},
        ).status_code,
        "api appointment": api.get(f"/api/v1/appointments/{booked.public_id}").status_code,
        "back office": owner_browser.get(f"/manage/{business.slug}/").status_code,
        # The seed's booking form, for the default business.
        "seed": customer_browser.get("/appointment").status_code,
    }


def test_suspension_closes_every_edge_and_reactivation_restores_them(
    settings, operator, owner, business, service, booked, customer
):
    settings.YUYUE_DEFAULT_BUSINESS = business.slug
    before = edges(business, service, booked, customer, owner)
    business_suspend(business=business, actor=operator)
    during = edges(business, service, booked, customer, owner)
    business_reactivate(business=business, actor=operator)
    after = edges(business, service, booked, customer, owner)

    assert set(before.values()) == {200}
    assert set(during.values()) == {403}
    assert after == before
    assert Business.objects.filter(pk=business.pk).exists()
    assert booked.__class__.objects.filter(pk=booked.pk).exists()


def test_a_suspended_business_says_it_is_closed_in_the_page_and_the_api(
    operator, business, customer
):
    business_suspend(business=business, actor=operator)

    page = Client(headers=EN).get(f"/b/{business.slug}/")
    api = client_for(customer, **EN).get(f"/api/v1/businesses/{business.slug}")
    chinese = client_for(customer).get(f"/api/v1/businesses/{business.slug}")

    assert "<h1>Closed for now</h1>" in html_of(page)
    assert "takes no bookings" in html_of(page)
    assert error_of(api)["code"] == "business_suspended"
    assert "takes no bookings" in error_of(api)["message"]
    assert error_of(chinese)["code"] == "business_suspended"
    assert "暂停" in error_of(chinese)["message"]


def test_the_root_lists_open_businesses_only(settings, operator, business, other_owner):
    settings.YUYUE_DEFAULT_BUSINESS = ""
    business_suspend(business=business, actor=operator)

    html = html_of(Client(headers=EN).get("/"))

    assert 'href="/b/elsewhere/"' in html
    assert 'href="/b/salon/"' not in html


def test_only_the_operator_suspends(owner, business):
    with pytest.raises(NotAllowed):
        business_suspend(business=business, actor=owner)

    business.refresh_from_db()
    assert business.suspended_at is None


def test_the_operator_page_lists_searches_and_suspends(
    operator, owner, business, booked, other_owner
):
    browser = Client(headers=EN)
    browser.force_login(operator)

    listing = html_of(browser.get("/manage/platform/"))
    searched = html_of(browser.get("/manage/platform/", {"q": "other-owner"}))
    suspended = browser.post(f"/manage/platform/{business.slug}/", {"do": "suspend"})
    business.refresh_from_db()
    after = html_of(browser.get("/manage/platform/"))
    reactivated = browser.post(f"/manage/platform/{business.slug}/", {"do": "reactivate"})

    assert 'data-business="salon"' in listing and 'data-business="elsewhere"' in listing
    row = listing.split('data-business="salon"')[1].split("</tr>")[0]
    assert "owner" in row and "2026-12-01" in row and '<td class="num">1</td>' in row
    assert "open: anyone may open a business" in listing
    assert 'data-business="elsewhere"' in searched and 'data-business="salon"' not in searched
    assert suspended.status_code == 303
    assert business.suspended_at is not None
    assert "Reactivate" in after.split('data-business="salon"')[1].split("</tr>")[0]
    assert reactivated.status_code == 303
    business.refresh_from_db()
    assert business.suspended_at is None


def test_the_operator_makes_sign_up_links_when_sign_up_is_by_invitation(settings, operator):
    settings.YUYUE_SIGNUP = "invite"
    browser = Client(headers=EN)
    browser.force_login(operator)

    response = browser.post("/manage/platform/", {"note": "李老板"})

    html = html_of(response)
    assert "by invitation" in html
    link = html.split("data-signup-link>")[1].split("</code>")[0]
    assert "/signup/?invite=" in link
    assert Client(headers=EN).get(link.split("testserver", 1)[1]).status_code == 200
    assert "李老板" in html


@pytest.mark.parametrize("who", ["owner", "staff_user", "customer"])
def test_nobody_but_the_operator_reaches_the_operator_page(request, business, who):
    browser = Client(headers=EN)
    browser.force_login(request.getfixturevalue(who))

    page = browser.get("/manage/platform/")
    action = browser.post(f"/manage/platform/{business.slug}/", {"do": "suspend"})

    business.refresh_from_db()
    assert page.status_code == 404
    assert action.status_code == 404
    assert business.suspended_at is None
    assert Client().get("/manage/platform/").status_code == 302


def test_the_back_office_home_leads_the_operator_and_newcomers_on(operator, customer):
    as_operator = Client(headers=EN)
    as_operator.force_login(operator)
    as_customer = Client(headers=EN)
    as_customer.force_login(customer)

    operator_home = as_operator.get("/manage/")
    customer_home = as_customer.get("/manage/")

    assert operator_home["Location"] == "/manage/platform/"
    assert 'href="/signup/"' in html_of(customer_home)
