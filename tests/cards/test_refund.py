"""Refunding a card (docs/cards.md#refunds): a package pro rata of its unused uses, stored
value its principal left (never the bonus), to the fen; by the owner, once, not while a
booking holds part of it."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.helpers import NOW, WEDNESDAY, at
from yuyue.bookings.services import appointment_start
from yuyue.cards.errors import CardBusy, CardUnusable
from yuyue.cards.models import Card, Kind
from yuyue.cards.selectors import cards_liability
from yuyue.cards.services import (
    card_adjust,
    card_booking_create,
    card_product_create,
    card_refund,
    card_sell,
)
from yuyue.lib.errors import NotAllowed
from yuyue.payments.models import PaymentEntry

pytestmark = pytest.mark.django_db


def use(card, service, stylist, customer, staff_user, hhmm):
    appointment = card_booking_create(
        card=card, service=service, staff=stylist, start=at(WEDNESDAY, hhmm), actor=customer
    )
    appointment_start(appointment=appointment, actor=staff_user)


def test_a_package_gives_back_its_unused_uses_pro_rata_to_the_fen(
    business, service, record, owner, staff_user, stylist, customer
):
    product = card_product_create(
        business=business,
        actor=owner,
        kind=Kind.PACKAGE,
        name="三次卡",
        price=Decimal("100.00"),
        uses=3,
        services=[service],
    )
    card = card_sell(product=product, customer=record, actor=owner, channel="cash")
    use(card, service, stylist, customer, staff_user, "10:00")
    # The liability report values the unused uses as the refund would give them back.
    report = cards_liability(business=business, start=NOW, end=NOW + dt.timedelta(days=30))
    assert report.outstanding_uses_value == Decimal("66.67")
    entry = card_refund(card=card, actor=owner, channel="cash", reason="搬家")
    # 100.00 × 2/3 = 66.666… → 66.67
    assert entry.payment.amount == Decimal("66.67")
    assert entry.payment.kind == PaymentEntry.Kind.REFUND
    assert entry.uses_left == -2
    card.refresh_from_db()
    card.balance.refresh_from_db()
    assert card.status == Card.Status.REFUNDED
    assert card.balance.uses_left == 0


def test_stored_value_gives_back_its_principal_never_the_bonus(
    stored_card, service, stylist, customer, staff_user, owner
):
    use(stored_card, service, stylist, customer, staff_user, "10:00")
    entry = card_refund(card=stored_card, actor=owner, channel="card")
    assert entry.payment.amount == Decimal("920.80")
    assert (entry.principal, entry.bonus) == (Decimal("-920.80"), Decimal("-200.00"))


def test_a_card_whose_principal_is_spent_refunds_nothing_in_money(stored_card, owner):
    card_adjust(card=stored_card, actor=owner, reason="测试", principal=Decimal("-1000.00"))
    entry = card_refund(card=stored_card, actor=owner, channel="cash")
    assert entry.payment is None
    assert entry.bonus == Decimal("-200.00")


def test_only_the_owner_refunds_and_only_once(package_card, owner, staff_user):
    with pytest.raises(NotAllowed):
        card_refund(card=package_card, actor=staff_user, channel="cash")
    card_refund(card=package_card, actor=owner, channel="cash")
    with pytest.raises(CardUnusable):
        card_refund(card=package_card, actor=owner, channel="cash")


def test_a_card_held_by_a_booking_is_not_refunded(package_card, owner, service, stylist, customer):
    card_booking_create(
        card=package_card,
        service=service,
        staff=stylist,
        start=at(WEDNESDAY, "10:00"),
        actor=customer,
    )
    with pytest.raises(CardBusy):
        card_refund(card=package_card, actor=owner, channel="cash")
