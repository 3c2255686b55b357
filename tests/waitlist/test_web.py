"""The waitlist on the customer pages: join from a full day, my waitlist and leaving, the
offer page with its countdown, accept and decline."""

import pytest

from tests.helpers import WEDNESDAY, browser_for, html_of, make_user
from tests.waitlist.support import fill_wednesday, waitlist_offer_for
from yuyue.bookings.models import Status
from yuyue.waitlist.models import WaitlistEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
State = WaitlistEntry.State


def test_a_full_day_offers_the_waitlist_and_joining_lists_it(service, stylist, customer):
    fill_wednesday(service, stylist)
    browser = browser_for(customer)
    page = html_of(browser.get(f"/b/salon/book/{service.id}/"))
    assert "候补" in page
    join_url = f"/b/salon/waitlist/{service.id}/?date={WEDNESDAY.isoformat()}"
    assert join_url in page.replace("&amp;", "&")

    form = browser.get(join_url)
    assert form.status_code == 200
    assert f'value="{WEDNESDAY.isoformat()}"' in html_of(form)
    joined = browser.post(
        f"/b/salon/waitlist/{service.id}/",
        {
            "staff": "",
            "date_from": WEDNESDAY.isoformat(),
            "date_to": WEDNESDAY.isoformat(),
            "time_from": "09:00",
            "time_to": "12:00",
        },
    )
    assert joined.status_code == 302 and joined["Location"] == "/waitlist/"
    entry = WaitlistEntry.objects.get(customer=customer)
    mine = html_of(browser.get("/waitlist/"))
    assert service.name in mine and "候补中" in mine

    left = browser.post(f"/waitlist/{entry.public_id}/leave/")
    assert left.status_code == 302
    entry.refresh_from_db()
    assert entry.state == State.LEFT


def test_a_wish_refused_shows_why(service, stylist, customer):
    browser = browser_for(customer, english=True)
    refused = browser.post(
        f"/b/salon/waitlist/{service.id}/",
        {
            "date_from": WEDNESDAY.isoformat(),
            "date_to": WEDNESDAY.isoformat(),
            "time_from": "12:00",
            "time_to": "09:00",
        },
    )
    assert refused.status_code == 400
    assert "The window ends after it begins." in html_of(refused)


def test_the_offer_page_counts_down_and_accepting_books(service, stylist, customer):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    browser = browser_for(customer)
    # The appointment's own page (the list links it) sends the waiter to the offer.
    detail = browser.get(f"/appointments/{offer.public_id}/")
    assert detail.status_code == 302
    assert detail["Location"] == f"/waitlist/offers/{offer.public_id}/"
    shown = browser.get(f"/waitlist/offers/{offer.public_id}/")
    assert shown.status_code == 200
    assert 'data-countdown="900"' in html_of(shown)
    accepted = browser.post(f"/waitlist/offers/{offer.public_id}/", {"answer": "accept"})
    assert accepted.status_code == 302
    assert accepted["Location"] == f"/appointments/{offer.public_id}/"
    offer.refresh_from_db()
    assert offer.status == Status.CONFIRMED
    again = browser.get(f"/waitlist/offers/{offer.public_id}/")
    assert "data-countdown" not in html_of(again)


def test_declining_from_the_page_and_nobody_else_sees_it(service, stylist, customer, stranger):
    _entry, offer = waitlist_offer_for(customer, service, stylist, make_user("freer"))
    assert browser_for(stranger).get(f"/waitlist/offers/{offer.public_id}/").status_code == 404
    declined = browser_for(customer, english=True).post(
        f"/waitlist/offers/{offer.public_id}/", {"answer": "decline"}
    )
    assert declined.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Status.CANCELLED
