"""Owners invite staff from the settings: a link shown once, accepted by the invitee as
themself, withdrawable; nothing is looked up by name or phone."""

import re

import pytest

from tests.helpers import make_user, office_browser_for
from yuyue.catalog.models import Invitation, Membership

pytestmark = pytest.mark.django_db

URL = "/manage/salon/settings/invitations/"


def _link(html: str) -> str:
    found = re.search(r'id="link" readonly value="http://testserver(/invitations/[^"/]+/)"', html)
    assert found, "no invitation link on the page"
    return found[1]


def test_the_owner_makes_a_link_that_the_invitee_accepts(as_owner, business, stylist):
    made = as_owner.post(URL, {"do": "invite", "role": "staff", "staff": str(stylist.id)})
    assert made.status_code == 200
    link = _link(made.content.decode())
    invitee = make_user("new-hire", phone="+8613100131001")

    invitee_browser = office_browser_for(invitee)
    assert invitee_browser.get(link).status_code == 200
    invitee_browser.post(link)

    membership = Membership.objects.get(business=business, user=invitee)
    assert membership.role == "staff"
    stylist.refresh_from_db()
    assert stylist.user == invitee
    listed = as_owner.get(URL).content.decode()
    assert "Accepted" in listed
    assert "new-hire" in listed


def test_the_link_is_shown_once(as_owner, business):
    made = as_owner.post(URL, {"do": "invite", "role": "staff", "staff": ""})
    link = _link(made.content.decode())

    again = as_owner.get(URL).content.decode()

    assert link not in again
    assert "Waiting to be accepted" in again


def test_a_withdrawn_link_admits_nobody(as_owner, business):
    link = _link(as_owner.post(URL, {"do": "invite", "role": "owner"}).content.decode())
    invitation = Invitation.objects.filter(business=business).latest("id")

    as_owner.post(URL, {"do": "revoke", "invitation": str(invitation.id)})

    invitee = make_user("too-late", phone="+8613100131002")
    office_browser_for(invitee).post(link)
    assert not Membership.objects.filter(user=invitee).exists()
    assert "Withdrawn" in as_owner.get(URL).content.decode()


def test_staff_cannot_invite(as_staff, business):
    before = Invitation.objects.count()

    response = as_staff.post(URL, {"do": "invite", "role": "owner"})

    assert response.status_code == 403
    assert Invitation.objects.count() == before


@pytest.mark.parametrize("raw", ["", "abc", "9" * 30, "-1"])
def test_withdrawing_nothing_is_a_404(as_owner, business, raw):
    assert as_owner.post(URL, {"do": "revoke", "invitation": raw}).status_code == 404
