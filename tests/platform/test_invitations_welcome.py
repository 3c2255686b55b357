"""An invitation opened while logged out names the business and offers log-in or
registration, each coming back to it; once accepted, staff land in the back office."""

import pytest
from django.test import Client

from tests.helpers import EN, html_of
from yuyue.catalog.models import Membership
from yuyue.catalog.services import invitation_create

pytestmark = pytest.mark.django_db


def test_a_newcomer_registers_from_the_invitation_and_lands_in_the_back_office(
    owner, business, stylist
):
    issued = invitation_create(business=business, actor=owner, role="staff", staff=stylist)
    path = f"/invitations/{issued.token}/"
    browser = Client(headers=EN)

    opened = html_of(browser.get(path))
    registered = browser.post(
        f"/register?next={path}",
        {
            "username": "newstylist",
            "password": "scissors and combs 7",
            "phone": "13900139123",
            "next": path,
        },
    )
    back = html_of(browser.get(registered["Location"]))
    accepted = browser.post(path)
    landed = browser.get(accepted["Location"], follow=True)

    assert f"Join {business.name}" in opened
    assert "Your account becomes the staff member" in opened
    assert registered.status_code == 302 and registered["Location"] == path
    assert "Accept the invitation" in back
    assert accepted["Location"] == "/manage/"
    assert landed.redirect_chain[-1][0] == f"/manage/{business.slug}/"
    assert landed.status_code == 200
    member = Membership.objects.get(business=business, user__username="newstylist")
    assert member.role == "staff"
    stylist.refresh_from_db()
    assert stylist.user == member.user


def test_a_member_logs_in_from_the_invitation_and_comes_back_to_it(owner, business, customer):
    issued = invitation_create(business=business, actor=owner, role="staff")
    path = f"/invitations/{issued.token}/"
    browser = Client(headers=EN)

    logged_in = browser.post(
        "/login", {"username": "customer", "password": "correct horse battery", "next": path}
    )

    assert logged_in["Location"] == path
    assert "Accept the invitation" in html_of(browser.get(path))
