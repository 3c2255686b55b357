"""Two (and many) bookings racing for a card's last use, each in its own thread and database
connection, all released at once: exactly one wins, the others book nothing
(docs/cards.md#the-race). Real concurrency on both databases."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from tests.helpers import NOW, RACE_CONNECTIONS, WEDNESDAY, at, make_staff, owner_of
from yuyue.bookings.models import HOLDING_STATUSES, Appointment
from yuyue.cards.errors import CardUnusable
from yuyue.cards.services import card_adjust, card_booking_create

pytestmark = pytest.mark.django_db(transaction=True)

STARTS = ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]


def race(attempts):
    barrier = threading.Barrier(len(attempts))
    gate = threading.BoundedSemaphore(RACE_CONNECTIONS)

    def run(attempt):
        barrier.wait()
        with gate:
            try:
                attempt()
                return "won"
            except CardUnusable:
                return "refused"
            except Exception as error:  # a crash is a finding, reported by the assertion
                return f"crash: {error!r}"
            finally:
                connections.close_all()

    connections.close_all()
    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


@pytest.mark.parametrize("racers", [2, 8])
def test_one_booking_takes_the_last_use(
    package_card, service, location, customer, business, racers
):
    card_adjust(card=package_card, actor=owner_of(business), reason="只剩一次", uses=-9)
    # Different staff and times: nothing but the card stands between the racers.
    others = [
        make_staff(service=service, location=location, name=f"助理 {i}") for i in range(racers)
    ]

    def attempt_for(i):
        return lambda: card_booking_create(
            card=package_card,
            service=service,
            staff=others[i],
            start=at(WEDNESDAY, STARTS[i % len(STARTS)]),
            actor=customer,
            now=NOW,
        )

    outcomes = race([attempt_for(i) for i in range(racers)])

    assert [o for o in outcomes if o.startswith("crash")] == []
    assert outcomes.count("won") == 1
    assert outcomes.count("refused") == racers - 1
    assert Appointment.objects.filter(status__in=HOLDING_STATUSES).count() == 1
    package_card.balance.refresh_from_db()
    assert (package_card.balance.uses_left, package_card.balance.reserved_uses) == (1, 1)
