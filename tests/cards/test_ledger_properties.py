"""Property tests over random sequences of operations on a package and a stored value card
(booking with them, cancelling, checking in, completing, no-shows, undoing, adjusting, topping up,
refunding, expiring): whatever the order, no balance or count goes below zero, every balance
row equals the sum of its card's entries, and each booking's part of its card follows its
status (docs/cards.md#the-ledger)."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import NOW, THURSDAY, WEDNESDAY, at, owner_of
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_mark_no_show,
    appointment_start,
    appointment_undo,
)
from yuyue.cards.models import BALANCE_FIELDS, Card, CardEntry
from yuyue.cards.services import (
    card_adjust,
    card_booking_create,
    card_refund,
    card_top_up,
    cards_expire,
)
from yuyue.lib.errors import DomainError

pytestmark = pytest.mark.django_db

SLOTS = [at(day, hhmm) for day in (WEDNESDAY, THURSDAY) for hhmm in ("10:00", "11:00", "14:00")]
LATER = at(THURSDAY, "20:00")

operations = st.one_of(
    st.tuples(st.just("book"), st.integers(0, 1), st.integers(0, len(SLOTS) - 1)),
    st.tuples(
        st.sampled_from(["cancel", "start", "complete", "no_show", "undo"]),
        st.integers(0, 9),
    ),
    st.tuples(st.just("adjust"), st.integers(0, 1), st.integers(-3, 3)),
    st.tuples(st.just("refund"), st.integers(0, 1)),
    st.tuples(st.just("top_up"), st.integers(1, 500)),
    st.tuples(st.just("expire"), st.sampled_from([0, 29, 30, 31])),
)


def check_invariants(cards):
    for card in cards:
        card.balance.refresh_from_db()
        sums = card.entries.aggregate(**{field: Sum(field) for field in BALANCE_FIELDS})
        for field in BALANCE_FIELDS:
            value = getattr(card.balance, field)
            assert value >= 0, field
            assert value == (sums[field] or 0), field
        assert card.balance.reserved_uses <= card.balance.uses_left
        assert card.balance.reserved_principal <= card.balance.principal
        assert card.balance.reserved_bonus <= card.balance.bonus
    for appointment in Appointment.objects.all():
        entries = list(CardEntry.objects.filter(appointment=appointment))
        count = dict.fromkeys(CardEntry.Kind.values, 0)
        for entry in entries:
            count[entry.kind] += 1
        used = count["use"] - count["use_undone"]
        held = count["reserve"] - count["release"] - used
        if appointment.status in (Status.PENDING, Status.CONFIRMED):
            assert (held, used) == (1, 0), appointment.status
        elif appointment.status in (Status.IN_PROGRESS, Status.COMPLETED):
            assert (held, used) == (0, 1), appointment.status
        elif appointment.status == Status.CANCELLED:
            assert (held, used) == (0, 0)
        else:
            assert held == 0 and used in (0, 1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operations, min_size=1, max_size=20))
def test_balances_never_go_below_zero_and_always_equal_the_entries(
    package_card, stored_card, service, stylist, customer, staff_user, steps
):
    owner = owner_of(service)
    cards = [package_card, stored_card]
    with transaction.atomic():
        booked: list[Appointment] = []
        for step in steps:
            # A refusal is a fine outcome; what it must never do is break a rule.
            with contextlib.suppress(DomainError):
                run(step, cards, booked, service, stylist, customer, staff_user, owner)
            check_invariants(cards)
        transaction.set_rollback(True)


def run(step, cards, booked, service, stylist, customer, staff_user, owner):
    name = step[0]
    if name == "book":
        booked.append(
            card_booking_create(
                card=Card.objects.get(pk=cards[step[1]].pk),
                service=service,
                staff=stylist,
                start=SLOTS[step[2]],
                actor=customer,
                now=NOW,
            )
        )
    elif name == "adjust":
        card = Card.objects.get(pk=cards[step[1]].pk)
        if card.kind == "package":
            card_adjust(card=card, actor=owner, reason="property", uses=step[2], now=NOW)
        else:
            card_adjust(
                card=card, actor=owner, reason="property", principal=Decimal(step[2] * 300), now=NOW
            )
    elif name == "refund":
        card_refund(card=Card.objects.get(pk=cards[step[1]].pk), actor=owner, channel="cash")
    elif name == "top_up":
        card_top_up(
            card=Card.objects.get(pk=cards[1].pk),
            actor=owner,
            channel="cash",
            amount=Decimal(step[1]),
            bonus=Decimal(step[1]) / 10,
            now=NOW,
        )
    elif name == "expire":
        cards_expire(now=NOW + dt.timedelta(days=step[1]))
    elif booked:
        appointment = booked[step[1] % len(booked)]
        appointment.refresh_from_db()
        act = {
            "cancel": lambda: appointment_cancel(appointment=appointment, actor=owner, now=NOW),
            "start": lambda: appointment_start(appointment=appointment, actor=staff_user),
            "complete": lambda: appointment_complete(appointment=appointment, actor=staff_user),
            "no_show": lambda: appointment_mark_no_show(
                appointment=appointment, actor=staff_user, now=LATER
            ),
            "undo": lambda: appointment_undo(appointment=appointment, actor=staff_user),
        }
        act[name]()
