"""Booking with a card: the use (or the amount) is reserved at booking instead of any
deposit, used at check-in or completion, released on a cancellation, and a no-show uses it or
not as the card says (docs/cards.md#booking-with-a-card)."""

from decimal import Decimal

import pytest
import time_machine

from tests.helpers import NOW, WEDNESDAY, at, owner_of
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_mark_no_show,
    appointment_start,
    appointment_undo,
)
from yuyue.cards.errors import CardUnusable
from yuyue.cards.models import CardEntry
from yuyue.cards.services import (
    card_adjust,
    card_booking_create,
    card_product_update,
    card_sell,
)
from yuyue.catalog.services import service_update
from yuyue.lib.errors import NotAllowed

pytestmark = pytest.mark.django_db


def balance_of(card):
    card.balance.refresh_from_db()
    return card.balance


def kinds(card):
    return list(card.entries.order_by("id").values_list("kind", flat=True))


def book(card, service, stylist, actor, hhmm="10:00"):
    return card_booking_create(
        card=card, service=service, staff=stylist, start=at(WEDNESDAY, hhmm), actor=actor, now=NOW
    )


def test_a_booking_reserves_a_use_and_owes_nothing_online(package_card, service, stylist, customer):
    service_update(
        service=service,
        actor=owner_of(service),
        payment_mode="deposit",
        deposit_amount=Decimal("20.00"),
    )
    appointment = book(package_card, service, stylist, customer)
    assert appointment.status == Status.CONFIRMED
    assert appointment.online_due == Decimal("0.00")
    balance = balance_of(package_card)
    assert (balance.uses_left, balance.reserved_uses, balance.uses_available) == (10, 1, 9)
    assert kinds(package_card) == ["sale", "reserve"]


def test_check_in_uses_it_and_completion_does_not_use_it_twice(
    package_card, service, stylist, customer, staff_user
):
    appointment = book(package_card, service, stylist, customer)
    appointment_start(appointment=appointment, actor=staff_user)
    appointment_complete(appointment=appointment, actor=staff_user)
    balance = balance_of(package_card)
    assert (balance.uses_left, balance.reserved_uses) == (9, 0)
    assert kinds(package_card) == ["sale", "reserve", "use"]


def test_a_cancellation_releases_the_use(package_card, service, stylist, customer):
    appointment = book(package_card, service, stylist, customer)
    appointment_cancel(appointment=appointment, actor=customer)
    balance = balance_of(package_card)
    assert (balance.uses_left, balance.reserved_uses) == (10, 0)
    assert kinds(package_card) == ["sale", "reserve", "release"]


@pytest.mark.parametrize("uses", [True, False])
def test_a_no_show_uses_the_card_if_its_terms_say_so(
    package, record, staff_user, owner, service, stylist, customer, uses
):
    card_product_update(product=package, actor=owner, no_show_uses=uses)
    card = card_sell(product=package, customer=record, actor=staff_user, channel="cash")
    appointment = book(card, service, stylist, customer)
    later = at(WEDNESDAY, "12:00")
    with time_machine.travel(later, tick=False):
        appointment_mark_no_show(appointment=appointment, actor=staff_user, now=later)
        balance = balance_of(card)
        assert balance.reserved_uses == 0
        assert balance.uses_left == (9 if uses else 10)
        # Undone (the customer came after all): the card holds the use again.
        appointment_undo(appointment=appointment, actor=staff_user, now=later)
    balance = balance_of(card)
    assert (balance.uses_left, balance.reserved_uses) == (10, 1)


def test_undoing_a_start_gives_the_use_back_to_the_reservation(
    package_card, service, stylist, customer, staff_user
):
    appointment = book(package_card, service, stylist, customer)
    appointment_start(appointment=appointment, actor=staff_user)
    appointment_undo(appointment=appointment, actor=staff_user)
    balance = balance_of(package_card)
    assert (balance.uses_left, balance.reserved_uses) == (10, 1)
    assert kinds(package_card) == ["sale", "reserve", "use", "use_undone"]


def test_stored_value_pays_the_discounted_price_principal_first(
    stored_card, service, stylist, customer, staff_user
):
    appointment = book(stored_card, service, stylist, customer)
    reserve = CardEntry.objects.get(appointment=appointment)
    # 88.00 less 10% = 79.20, all from the principal while there is some.
    assert (reserve.reserved_principal, reserve.reserved_bonus) == (Decimal("79.20"), 0)
    appointment_start(appointment=appointment, actor=staff_user)
    balance = balance_of(stored_card)
    assert (balance.principal, balance.bonus) == (Decimal("920.80"), Decimal("200.00"))
    assert (balance.reserved_principal, balance.reserved_bonus) == (0, 0)


def test_the_bonus_pays_once_the_principal_is_spent(stored_card, service, stylist, customer, owner):
    card_adjust(card=stored_card, actor=owner, reason="测试", principal=Decimal("-950.00"))
    appointment = book(stored_card, service, stylist, customer)
    reserve = CardEntry.objects.get(appointment=appointment)
    assert (reserve.reserved_principal, reserve.reserved_bonus) == (
        Decimal("50.00"),
        Decimal("29.20"),
    )


def test_a_card_with_nothing_left_books_nothing(package_card, service, stylist, customer, owner):
    card_adjust(card=package_card, actor=owner, reason="测试", uses=-10)
    with pytest.raises(CardUnusable):
        book(package_card, service, stylist, customer)
    assert not Appointment.objects.exists()


def test_a_card_pays_only_its_services(package_card, business, customer, stylist):
    from yuyue.catalog.services import service_create

    other = service_create(
        business=business,
        actor=owner_of(business),
        name="染发",
        duration_minutes=60,
        price=Decimal("300.00"),
    )
    with pytest.raises(CardUnusable):
        book(package_card, other, stylist, customer)


def test_nobody_else_books_with_it(package_card, service, stylist, stranger):
    with pytest.raises(NotAllowed):
        book(package_card, service, stylist, stranger)


def test_staff_book_for_the_holder(package_card, service, stylist, staff_user, customer):
    appointment = book(package_card, service, stylist, staff_user)
    assert appointment.customer == customer
    assert balance_of(package_card).reserved_uses == 1
