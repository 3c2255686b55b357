"""The card ledger: selling writes the sale (and the bonus) and the money in the payments
ledger; entries are append-only in the database; the balance row refuses going below zero
and reservations beyond what is there (docs/cards.md#the-ledger)."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.helpers import NOW
from yuyue.cards.models import AppendOnly, CardBalance, CardEntry
from yuyue.cards.services import card_adjust, card_product_update, card_sell
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.payments.models import PaymentEntry

pytestmark = pytest.mark.django_db


def test_selling_a_package_records_the_uses_and_the_money(package_card, business, staff_user):
    entry = package_card.entries.get()
    assert (entry.kind, entry.uses_left) == ("sale", 10)
    assert entry.payment.kind == PaymentEntry.Kind.SALE
    assert entry.payment.amount == Decimal("680.00")
    assert entry.payment.business == business
    assert entry.payment.appointment is None
    assert entry.payment.recorded_by == staff_user
    assert package_card.balance.uses_left == 10
    # Valid 30 days counting the day bought: through 30 December, local time.
    assert package_card.expires_at.isoformat() == "2026-12-31T00:00:00+08:00"


def test_selling_stored_value_records_principal_and_bonus_apart(stored_card):
    entries = list(stored_card.entries.order_by("id").values_list("kind", "principal", "bonus"))
    assert entries == [
        ("sale", Decimal("1000.00"), Decimal("0.00")),
        ("bonus", Decimal("0.00"), Decimal("200.00")),
    ]
    assert stored_card.expires_at is None


def test_only_the_business_sells_and_only_what_is_on_sale(package, record, stranger, owner):
    with pytest.raises(NotAllowed):
        card_sell(product=package, customer=record, actor=stranger, channel="cash")
    card_product_update(product=package, actor=owner, active=False)
    with pytest.raises(InvalidInput):
        card_sell(product=package, customer=record, actor=owner, channel="cash")


def test_a_sale_names_a_counter_channel(package, record, owner):
    with pytest.raises(InvalidInput) as refused:
        card_sell(product=package, customer=record, actor=owner, channel="wechat_native")
    assert "channel" in refused.value.fields


def test_entries_are_never_changed_nor_deleted(package_card):
    entry = package_card.entries.get()
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        CardEntry.objects.filter(pk=entry.pk).update(uses_left=100)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            CardEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize(
    "change",
    [
        {"uses_left": -11},
        {"reserved_uses": 11},
        {"reserved_uses": -1},
        {"principal": Decimal("-0.01")},
    ],
)
def test_the_database_refuses_a_balance_below_zero(package_card, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        CardBalance.objects.filter(pk=package_card.pk).update(
            **{
                field: getattr(package_card.balance, field) + value
                for field, value in change.items()
            }
        )


def test_an_adjustment_needs_the_owner_and_a_reason(package_card, owner, staff_user):
    with pytest.raises(NotAllowed):
        card_adjust(card=package_card, actor=staff_user, reason="送一次", uses=1)
    with pytest.raises(InvalidInput):
        card_adjust(card=package_card, actor=owner, reason=" ", uses=1)
    with pytest.raises(InvalidInput):
        card_adjust(card=package_card, actor=owner, reason="多扣", uses=-11)
    entry = card_adjust(card=package_card, actor=owner, reason="送一次", uses=1, now=NOW)
    assert (entry.kind, entry.uses_left, entry.reason) == ("adjustment", 1, "送一次")
    package_card.balance.refresh_from_db()
    assert package_card.balance.uses_left == 11


def test_merging_two_records_of_one_person_keeps_their_cards(package_card, record, business, owner):
    from yuyue.customers.services import customer_create, customer_merge

    walk_in = customer_create(business=business, actor=owner, name="张小美（纸卡）", phone="")
    kept = customer_merge(actor=owner, keep=walk_in, other=record)
    package_card.refresh_from_db()
    assert package_card.customer == kept
    assert package_card.balance.uses_left == 10
