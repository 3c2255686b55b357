"""Expiry at the boundary, on a frozen clock (docs/cards.md#expiry): a 30-day card bought on
Tuesday 1 December is usable until 31 December 00:00 Shanghai time, not an instant later; the
worker's step takes what no booking holds."""

import datetime as dt

import pytest
import time_machine

from tests.helpers import NOW, SHANGHAI, WEDNESDAY, at
from yuyue.bookings.services import appointment_cancel
from yuyue.cards.errors import CardUnusable
from yuyue.cards.models import Card
from yuyue.cards.services import card_booking_create, cards_expire
from yuyue.lib import worker_steps

pytestmark = pytest.mark.django_db

END = dt.datetime(2026, 12, 31, 0, 0, tzinfo=SHANGHAI)


def test_nothing_expires_an_instant_before_the_end(package_card):
    assert package_card.expires_at == END
    assert cards_expire(now=END - dt.timedelta(microseconds=1)) == 0
    package_card.refresh_from_db()
    assert package_card.status == Card.Status.ACTIVE


def test_at_the_end_what_is_left_expires_once(package_card):
    assert cards_expire(now=END) == 1
    assert cards_expire(now=END + dt.timedelta(days=1)) == 0
    package_card.refresh_from_db()
    package_card.balance.refresh_from_db()
    assert package_card.status == Card.Status.EXPIRED
    assert package_card.balance.uses_left == 0
    assert package_card.entries.last().kind == "expiry"


def test_a_booking_after_the_end_is_refused(package_card, service, stylist, customer):
    with pytest.raises(CardUnusable):
        card_booking_create(
            card=package_card,
            service=service,
            staff=stylist,
            start=END + dt.timedelta(hours=10),
            actor=customer,
            staff_override=True,
        )


def test_a_booking_made_before_the_end_keeps_its_use_and_a_release_expires_later(
    package_card, service, stylist, customer, owner
):
    appointment = card_booking_create(
        card=package_card,
        service=service,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        actor=customer,
    )
    cards_expire(now=END)
    package_card.balance.refresh_from_db()
    assert (package_card.balance.uses_left, package_card.balance.reserved_uses) == (1, 1)
    with time_machine.travel(END, tick=False):
        appointment_cancel(appointment=appointment, actor=owner)
    package_card.balance.refresh_from_db()
    assert package_card.balance.uses_available == 1
    assert cards_expire(now=END) == 1
    package_card.balance.refresh_from_db()
    assert package_card.balance.uses_left == 0


def test_the_worker_runs_the_step(package_card, frozen_now):
    assert "cards" in worker_steps.steps()
    with time_machine.travel(END, tick=False):
        worker_steps.steps()["cards"]()
    package_card.refresh_from_db()
    assert package_card.status == Card.Status.EXPIRED
    assert NOW < END
