"""The waitlist in the back office: who waits per day and service, first come first, with the
offers in flight; the offer time is the owner's policy."""

import pytest

from tests.helpers import NOW, html_of, make_user, office_browser_for
from tests.waitlist.support import join, waitlist_offer_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_the_waitlist_shows_those_waiting_and_the_offers_in_flight(
    service, stylist, customer, staff_user, stranger
):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    join(service, "later", now=NOW)
    office = office_browser_for(staff_user)
    shown = office.get("/manage/salon/waitlist/?date=2026-12-02")
    assert shown.status_code == 200
    page = html_of(shown)
    assert "1 offer in flight" in page and "2 waiting" in page
    assert f"/manage/salon/appointments/{offer.public_id}/" in page
    assert "held until" in page and "(15 min left)" in page
    assert page.index(customer.shown_name) < page.index("later")

    elsewhere = html_of(office.get("/manage/salon/waitlist/?date=2026-12-04"))
    assert "Nobody is waiting." in elsewhere
    # Nonsense in the query is no filter, never an error.
    assert office.get("/manage/salon/waitlist/?date=x&service=-1").status_code == 200
    assert office_browser_for(stranger).get("/manage/salon/waitlist/").status_code in (
        302,
        403,
        404,
    )


def test_the_owner_sets_how_long_offers_are_held(owner, business):
    office = office_browser_for(owner)
    saved = office.post(
        "/manage/salon/settings/policies/",
        {"name": business.name, "phone": "", "waitlist_offer_minutes": "30"},
    )
    assert saved.status_code == 303, html_of(saved)
    business.refresh_from_db()
    assert business.waitlist_offer_minutes == 30
    refused = office.post(
        "/manage/salon/settings/policies/",
        {"name": business.name, "phone": "", "waitlist_offer_minutes": "0"},
    )
    assert refused.status_code == 400
