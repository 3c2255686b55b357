"""Defect 1: an owner could make any account their staff. Now an existing account joins a
business only by accepting an invitation while logged in as itself."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.helpers import client_for, error_of, make_user
from yuyue.catalog.models import Invitation, Membership
from yuyue.catalog.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_end,
)
from yuyue.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body=None):
    return client.post(path, body, content_type="application/json")


def test_naming_someone_on_the_members_endpoint_gives_them_nothing(owner, stylist, customer):
    response = post(
        client_for(owner),
        f"/api/v1/businesses/salon/staff/{stylist.id}/members",
        {"username": "customer"},
    )

    assert response.status_code == 201
    customer.refresh_from_db()
    stylist.refresh_from_db()
    assert not customer.is_staff
    assert not Membership.objects.filter(user=customer).exists()
    assert stylist.user != customer


def test_the_members_endpoint_answers_the_same_for_known_and_unknown_accounts(
    owner, stylist, customer
):
    owner_client = client_for(owner)
    path = f"/api/v1/businesses/salon/staff/{stylist.id}/members"

    known = post(owner_client, path, {"username": "customer"})
    unknown = post(owner_client, path, {"username": "nobody-at-all"})

    assert known.status_code == unknown.status_code == 201
    assert set(known.json()) == set(unknown.json())
    assert known.json()["status"] == unknown.json()["status"] == "open"


def test_an_accepted_invitation_makes_the_member_staff_and_links_the_staff_member(
    owner, business, stylist, customer
):
    issued = invitation_create(business=business, actor=owner, role="staff", staff=stylist)

    invitation_accept(token=issued.token, actor=customer)

    customer.refresh_from_db()
    stylist.refresh_from_db()
    assert customer.is_staff
    assert Membership.objects.get(user=customer, business=business).role == "staff"
    assert stylist.user == customer


def test_only_a_hash_of_the_token_is_stored(owner, business):
    issued = invitation_create(business=business, actor=owner, role="staff")

    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert issued.token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_only_an_owner_invites(staff_user, business, stranger):
    with pytest.raises(NotAllowed):
        invitation_create(business=business, actor=staff_user, role="owner")
    with pytest.raises(NotAllowed):
        invitation_create(business=business, actor=stranger, role="staff")


@pytest.mark.parametrize("state", ["accepted", "revoked", "expired", "unknown"])
def test_a_used_withdrawn_expired_or_unknown_invitation_is_one_refusal(
    owner, business, customer, stranger, state
):
    issued = invitation_create(business=business, actor=owner, role="staff")
    token = issued.token
    later = None
    if state == "accepted":
        invitation_accept(token=token, actor=stranger)
    elif state == "revoked":
        invitation_revoke(invitation=issued.invitation, actor=owner)
    elif state == "expired":
        later = time_machine.travel(issued.invitation.expires_at + dt.timedelta(seconds=1))
        later.start()
    else:
        token = "x" * 43

    response = post(client_for(customer), "/api/v1/invitations/accept", {"token": token})
    if later is not None:
        later.stop()

    assert response.status_code == 409
    assert error_of(response)["code"] == "invitation_unusable"
    assert not Membership.objects.filter(user=customer).exists()


def test_the_invitation_page_names_the_business_and_asks_a_visitor_to_log_in_first(owner, business):
    issued = invitation_create(business=business, actor=owner, role="staff")

    response = Client().get(f"/invitations/{issued.token}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert business.name in html
    assert f'href="/login?next=/invitations/{issued.token}/"' in html
    assert f'href="/register?next=/invitations/{issued.token}/"' in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert not Membership.objects.filter(business=business, role="staff").exists()


def test_the_logged_in_invitee_accepts_on_the_page(owner, business, customer):
    issued = invitation_create(business=business, actor=owner, role="staff")
    browser = Client()
    browser.force_login(customer)

    page = browser.get(f"/invitations/{issued.token}/")
    accepted = browser.post(f"/invitations/{issued.token}/")

    assert page.status_code == 200
    assert business.name in page.content.decode()
    assert accepted.status_code == 303
    assert accepted["Location"] == "/manage/"
    assert Membership.objects.get(user=customer, business=business).role == "staff"


def test_an_unknown_invitation_page_is_not_found(customer):
    browser = Client()
    browser.force_login(customer)

    assert browser.get(f"/invitations/{'y' * 43}/").status_code == 404


def test_the_back_office_cannot_add_a_member_by_lookup(owner, business):
    browser = Client()
    browser.force_login(owner)

    assert browser.get("/admin/catalog/membership/add/").status_code == 403


def test_the_back_office_invites_and_shows_the_link_once(owner, business):
    browser = Client()
    browser.force_login(owner)

    response = browser.post(
        "/admin/catalog/invitation/add/",
        {"business": business.pk, "role": "staff", "staff": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert "/invitations/" in response.content.decode()
    assert Invitation.objects.filter(business=business, created_by=owner).count() == 1


def test_ending_the_last_membership_removes_the_back_office(owner, business):
    member = make_user("temp", phone="+8613300133000")
    issued = invitation_create(business=business, actor=owner, role="staff")
    membership = invitation_accept(token=issued.token, actor=member)
    member.refresh_from_db()
    assert member.is_staff

    membership_end(membership=membership, actor=owner)

    member.refresh_from_db()
    assert not member.is_staff


def test_the_last_owner_cannot_be_removed(owner, business):
    with pytest.raises(NotAllowed):
        membership_end(membership=Membership.objects.get(user=owner), actor=owner)
