"""Helpers of the waitlist's tests: a waiter joining, an offer standing for a customer."""

import datetime as dt

from tests.helpers import NOW, WEDNESDAY, at, make_user
from yuyue.bookings.services import appointment_cancel, appointment_create
from yuyue.waitlist.services import waitlist_join, waitlist_round

TEN = at(WEDNESDAY, "10:00")


def join(service, name, *, staff=None, frm="09:00", to="12:00", day=WEDNESDAY, now=NOW):
    """A new waiter for `service` on `day` between `frm` and `to`."""
    user = make_user(name, phone="+8613500135000", email=f"{name}@example.com")
    return waitlist_join(
        service=service,
        actor=user,
        staff=staff,
        date_from=day,
        date_to=day,
        time_from=dt.time.fromisoformat(frm),
        time_to=dt.time.fromisoformat(to),
        now=now,
    )


def waitlist_offer_for(customer, service, stylist, freer):
    """The customer waits for Wednesday morning; `freer`'s 11:00 with the stylist frees up and
    is offered to them. (entry, offer)."""
    start = at(WEDNESDAY, "11:00")
    theirs = appointment_create(service=service, customer=freer, start=start, staff=stylist)
    entry = waitlist_join(
        service=service,
        actor=customer,
        date_from=WEDNESDAY,
        date_to=WEDNESDAY,
        time_from=dt.time(9),
        time_to=dt.time(12),
    )
    appointment_cancel(appointment=theirs, actor=freer)
    waitlist_round()
    entry.refresh_from_db()
    assert entry.offer is not None
    return entry, entry.offer


def fill_wednesday(service, stylist):
    """Every time of Wednesday booked by someone."""
    for i, hhmm in enumerate(
        ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]
    ):
        start = dt.datetime.combine(WEDNESDAY, dt.time.fromisoformat(hhmm), tzinfo=NOW.tzinfo)
        appointment_create(
            service=service, customer=make_user(f"full{i}"), start=start, staff=stylist, now=NOW
        )
