"""Real concurrency (docs/waitlist.md#races): each thread has its own database connection.

One freed time and many waiters makes one offer; two freed times and one waiter make one offer
to that waiter (the other goes to the next or nobody); an offer lapsing while it is accepted
has exactly one outcome.
"""

import datetime as dt

import pytest

from tests.helpers import NOW, WEDNESDAY, at
from tests.payments.test_races import together
from tests.waitlist.support import TEN, join
from yuyue.bookings.errors import InvalidTransition
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_create,
    appointment_offer_accept,
    appointment_offer_release,
)
from yuyue.waitlist.models import FreedTime, WaitlistEntry
from yuyue.waitlist.services import waitlist_offer_freed, waitlist_round

pytestmark = pytest.mark.django_db(transaction=True)
State = WaitlistEntry.State
LATER = NOW + dt.timedelta(minutes=1)


def offer_each(rows):
    return together([lambda r=row: waitlist_offer_freed(freed=r, now=LATER) for row in rows])


def test_one_time_and_many_waiters_make_one_offer(booked, service, stylist):
    waiters = [join(service, f"waiter{i}") for i in range(6)]
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    freed = FreedTime.objects.get()
    # The same time noted several times over (as if by several changes): each worker races.
    copies = [freed] + [
        FreedTime.objects.create(
            business_id=freed.business_id, staff_id=freed.staff_id, start=freed.start, end=freed.end
        )
        for _ in range(5)
    ]
    results = offer_each(copies)
    assert not any(isinstance(r, Exception) for r in results), results
    offers = Appointment.objects.filter(status=Status.OFFERED)
    assert offers.count() == 1
    assert [r for r in results if r is not None] == [offers.get()]
    # First come, first served: the first who joined has it.
    states = [WaitlistEntry.objects.get(pk=w.pk).state for w in waiters]
    assert states == [State.OFFERED] + [State.WAITING] * 5
    assert not FreedTime.objects.filter(handled_at__isnull=True).exists()


def test_two_freed_times_and_one_waiter_make_one_offer(service, stylist, customer, stranger):
    ten = appointment_create(service=service, customer=customer, start=TEN, staff=stylist, now=NOW)
    eleven = appointment_create(
        service=service, customer=stranger, start=at(WEDNESDAY, "11:00"), staff=stylist, now=NOW
    )
    waiter = join(service, "waiter")
    appointment_cancel(appointment=ten, actor=customer, now=NOW)
    appointment_cancel(appointment=eleven, actor=stranger, now=NOW)
    rows = list(FreedTime.objects.all())
    assert len(rows) == 2
    results = offer_each(rows)
    assert not any(isinstance(r, Exception) for r in results), results
    waiter.refresh_from_db()
    assert waiter.state == State.OFFERED
    assert Appointment.objects.filter(status=Status.OFFERED).count() == 1
    assert [r for r in results if r is not None] == [waiter.offer]


def test_an_offer_lapsing_while_it_is_accepted_has_one_outcome(booked, service):
    outcomes = set()
    join(service, "waiter")
    appointment_cancel(appointment=booked, actor=booked.customer, now=NOW)
    for round_ in range(6):
        waitlist_round(now=LATER)
        waiter = WaitlistEntry.objects.get(state=State.OFFERED)
        offer = waiter.offer
        assert offer is not None and offer.status == Status.OFFERED, round_
        lapse = offer.offer_expires_at
        just_before = lapse - dt.timedelta(microseconds=1)
        results = together(
            [
                lambda o=offer, at_=just_before: appointment_offer_accept(
                    appointment=o, actor=o.customer, now=at_
                ),
                lambda o=offer, at_=lapse: appointment_offer_release(
                    appointment=o, actor=None, now=at_
                ),
            ]
        )
        offer.refresh_from_db()
        waiter.refresh_from_db()
        # The next round's time goes to someone else (the one who let it pass is skipped).
        join(service, f"waiter{round_}")
        accepted, released = results
        if offer.status == Status.CONFIRMED:
            # Accepted first: the worker found nothing to lapse.
            assert released is None and not isinstance(accepted, Exception)
            assert waiter.state == State.BOOKED
            outcomes.add("accepted")
            # Free it again for the next round.
            appointment_cancel(appointment=offer, actor=offer.customer, now=NOW)
        else:
            # Lapsed first: the acceptance was refused, the waiter waits again.
            assert offer.status == Status.CANCELLED
            assert isinstance(accepted, InvalidTransition), accepted
            assert released is not None and not isinstance(released, Exception)
            assert waiter.state == State.WAITING and waiter.offer is None
            outcomes.add("lapsed")
    assert outcomes <= {"accepted", "lapsed"}
