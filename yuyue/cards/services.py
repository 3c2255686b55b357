"""Every write to member cards (docs/cards.md). Each movement is one `CardEntry` written in
the transaction that adds its deltas to the card's `CardBalance`, under the balance row's lock;
a booking's movements lock the appointment row first (the lock the booking services hold when
they run the hooks), then the balance: one order everywhere, so no two writers wait on each
other in a cycle.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.lock_objects import appointment_for_update
from yuyue.bookings.models import Appointment, AppointmentEvent, Channel, Status
from yuyue.bookings.services import appointment_create
from yuyue.cards.errors import CardBusy, CardUnusable
from yuyue.cards.models import (
    BALANCE_FIELDS,
    MAX_NAME_LENGTH,
    MAX_REASON_LENGTH,
    MAX_TERMS_LENGTH,
    PURCHASE_PURPOSE,
    ZERO,
    Card,
    CardBalance,
    CardEntry,
    CardProduct,
    CardPurchase,
    Kind,
    package_value,
)
from yuyue.catalog.models import Business, Location, Service
from yuyue.catalog.selectors import business_role, require_owner
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_for_booking
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.lib.writers import writer_turn
from yuyue.payments.models import Order, PaymentEntry
from yuyue.payments.services import (
    PayStart,
    payment_record_sale,
    sale_order_open,
    sale_order_send,
    sale_refund_start,
    sale_refundable,
    sale_refunds_send,
)
from yuyue.scheduling.models import StaffMember

MAX_MONEY = Decimal("99999999.99")
MAX_USES = 1000
MAX_VALID_DAYS = 3650
FEN = Decimal("0.01")
# Statuses whose booking a card may be reserved for: a hold awaiting payment is paid otherwise.
RESERVABLE = (Status.PENDING, Status.CONFIRMED)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _is_money(value: object, *, positive: bool) -> bool:
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    if value.as_tuple().exponent < -2 or value > MAX_MONEY:  # type: ignore[operator]
        return False
    return value > 0 if positive else value >= 0


# ---------------------------------------------------------------- products


def _clean_product(
    *,
    business: Business,
    kind: str,
    name: str,
    price: Decimal,
    uses: int,
    services: list[Service],
    valid_days: int | None,
    bonus: Decimal,
    discount_percent: int,
    terms: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose package or stored_value.")]
    if not name or len(name) > MAX_NAME_LENGTH:
        errors["name"] = [_("Give a name of 1 to %(n)d characters.") % {"n": MAX_NAME_LENGTH}]
    if not _is_money(price, positive=True):
        errors["price"] = [_("Give an amount of more than 0, in yuan and fen.")]
    if valid_days is not None and not 1 <= valid_days <= MAX_VALID_DAYS:
        errors["valid_days"] = [
            _("Give 1 to %(n)d days, or leave it empty for no end.") % {"n": MAX_VALID_DAYS}
        ]
    if len(terms) > MAX_TERMS_LENGTH:
        errors["terms"] = [_("Terms are limited to %(n)d characters.") % {"n": MAX_TERMS_LENGTH}]
    if kind == Kind.PACKAGE:
        if not 1 <= uses <= MAX_USES:
            errors["uses"] = [_("A package has 1 to %(n)d uses.") % {"n": MAX_USES}]
        if not services:
            errors["services"] = [_("Choose the services a use pays for.")]
        elif any(service.business_id != business.pk for service in services):
            errors["services"] = [_("No such service at this business.")]
        if bonus != ZERO or discount_percent:
            errors["bonus"] = [_("Bonus and discount are for stored value cards.")]
    elif kind == Kind.STORED_VALUE:
        if uses or services:
            errors["uses"] = [_("Uses and services are for packages.")]
        if not _is_money(bonus, positive=False):
            errors["bonus"] = [_("Give an amount of 0 or more, in yuan and fen.")]
        if not 0 <= discount_percent <= 99:
            errors["discount_percent"] = [_("Give a discount of 0 to 99 percent.")]
    if errors:
        raise InvalidInput(errors)


def card_product_create(
    *,
    business: Business,
    actor: User,
    kind: str,
    name: str,
    price: Decimal,
    uses: int = 0,
    services: Iterable[Service] = (),
    valid_days: int | None = None,
    bonus: Decimal = ZERO,
    discount_percent: int = 0,
    no_show_uses: bool = True,
    terms: str = "",
    active: bool = True,
) -> CardProduct:
    """An owner puts a card on sale (docs/cards.md#products)."""
    require_owner(user=actor, business_id=business.pk)
    services = list(services)
    name, terms = name.strip(), terms.strip()
    _clean_product(
        business=business,
        kind=kind,
        name=name,
        price=price,
        uses=uses,
        services=services,
        valid_days=valid_days,
        bonus=bonus,
        discount_percent=discount_percent,
        terms=terms,
    )
    with transaction.atomic():
        product = CardProduct.objects.create(
            business=business,
            kind=kind,
            name=name,
            price=price,
            uses=uses,
            valid_days=valid_days,
            bonus=bonus,
            discount_percent=discount_percent,
            no_show_uses=no_show_uses,
            terms=terms,
            active=active,
        )
        product.services.set(services)
        return product


_UNCHANGED: Any = object()


def card_product_update(
    *,
    product: CardProduct,
    actor: User,
    name: str = _UNCHANGED,
    price: Decimal = _UNCHANGED,
    uses: int = _UNCHANGED,
    services: Iterable[Service] = _UNCHANGED,
    valid_days: int | None = _UNCHANGED,
    bonus: Decimal = _UNCHANGED,
    discount_percent: int = _UNCHANGED,
    no_show_uses: bool = _UNCHANGED,
    terms: str = _UNCHANGED,
    active: bool = _UNCHANGED,
) -> CardProduct:
    """An owner changes a product (what is not given stays). Cards already sold keep the
    terms they were sold with; `active=False` takes it off sale."""
    require_owner(user=actor, business_id=product.business_id)

    def given(value: Any, current: Any) -> Any:
        return current if value is _UNCHANGED else value

    new_services = list(given(services, product.services.all()))
    values = {
        "name": given(name, product.name).strip(),
        "price": given(price, product.price),
        "uses": given(uses, product.uses),
        "valid_days": given(valid_days, product.valid_days),
        "bonus": given(bonus, product.bonus),
        "discount_percent": given(discount_percent, product.discount_percent),
        "no_show_uses": given(no_show_uses, product.no_show_uses),
        "terms": given(terms, product.terms).strip(),
        "active": given(active, product.active),
    }
    _clean_product(
        business=product.business,
        kind=product.kind,
        services=new_services,
        **{k: v for k, v in values.items() if k not in ("no_show_uses", "active")},
    )
    with transaction.atomic():
        for field, value in values.items():
            setattr(product, field, value)
        product.save(update_fields=[*values, "updated_at"])
        if services is not _UNCHANGED:
            product.services.set(new_services)
        return product


# ---------------------------------------------------------------- the ledger


def _balance_for_update(card_id: int) -> CardBalance:
    return (
        CardBalance.objects.select_for_update(of=("self",))
        .select_related("card")
        .get(card_id=card_id)
    )


def _write(
    balance: CardBalance,
    *,
    kind: str,
    now: dt.datetime,
    actor: User | None,
    appointment: Appointment | None = None,
    payment: Any = None,
    reason: str = "",
    **deltas: Any,
) -> CardEntry:
    """One entry and its deltas added to the locked balance, in the caller's transaction. The
    balance's checks refuse a result below zero (an IntegrityError rolls everything back)."""
    unknown = set(deltas) - set(BALANCE_FIELDS)
    assert not unknown, unknown
    entry = CardEntry.objects.create(
        card_id=balance.card_id,
        kind=kind,
        appointment=appointment,
        payment=payment,
        reason=reason[:MAX_REASON_LENGTH],
        actor=actor,
        created_at=now,
        **deltas,
    )
    changed = {field: F(field) + value for field, value in deltas.items() if value}
    if changed:
        CardBalance.objects.filter(pk=balance.pk).update(**changed)
        for field, value in deltas.items():
            setattr(balance, field, getattr(balance, field) + value)
    return entry


def card_expires_at(*, business: Business, bought_at: dt.datetime, valid_days: int | None):
    """A card valid D days is usable through the D-th local day counting the day it is bought,
    and expires at the midnight (the business's zone) that ends it."""
    if valid_days is None:
        return None
    zone = business.zone
    last_day = bought_at.astimezone(zone).date() + dt.timedelta(days=valid_days - 1)
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


def card_sell(
    *,
    product: CardProduct,
    customer: Customer,
    actor: User,
    channel: str,
    now: dt.datetime | None = None,
) -> Card:
    """Staff sell a card at the counter, paid in cash, by bank card or the shop's QR code: the
    money in the payments ledger (a sale of the business), the card with what was bought."""
    now = _now(now)
    if business_role(user=actor, business_id=product.business_id) is None:
        raise NotAllowed()
    if customer.business_id != product.business_id or customer.erased_at is not None:
        raise InvalidInput({"customer": [_("No such customer at this business.")]})
    if not product.active:
        raise InvalidInput({"product": [_("This card is not on sale.")]})
    with writer_turn(), transaction.atomic():
        card = _card_make(product=product, customer=customer, actor=actor, now=now)
        payment = payment_record_sale(
            business=product.business,
            actor=actor,
            channel=channel,
            amount=product.price,
            note=_("Member card %(name)s · %(id)s") % {"name": card.name, "id": card.public_id},
        )
        return _card_fill(card, actor=actor, payment=payment, now=now)


def _card_make(
    *, product: CardProduct, customer: Customer, actor: User | None, now: dt.datetime
) -> Card:
    """A card made from its product's terms, empty, in the caller's transaction."""
    business = product.business
    card = Card.objects.create(
        business=business,
        product=product,
        customer=customer,
        kind=product.kind,
        name=product.name,
        uses=product.uses,
        price=product.price,
        bonus=product.bonus,
        discount_percent=product.discount_percent,
        no_show_uses=product.no_show_uses,
        terms=product.terms,
        currency=business.currency,
        bought_at=now,
        expires_at=card_expires_at(business=business, bought_at=now, valid_days=product.valid_days),
        sold_by=actor,
    )
    card.services.set(product.services.all())
    CardBalance.objects.create(card=card)
    return card


def _card_fill(card: Card, *, actor: User | None, payment: PaymentEntry, now: dt.datetime) -> Card:
    """What was bought put on a new card: the sale (and a stored value card's bonus), with
    `payment`, the money in, in the caller's transaction."""
    balance = _balance_for_update(card.pk)
    if card.kind == Kind.PACKAGE:
        _write(
            balance,
            kind=CardEntry.Kind.SALE,
            now=now,
            actor=actor,
            payment=payment,
            uses_left=card.uses,
        )
    else:
        _write(
            balance,
            kind=CardEntry.Kind.SALE,
            now=now,
            actor=actor,
            payment=payment,
            principal=card.price,
        )
        if card.bonus > 0:
            _write(balance, kind=CardEntry.Kind.BONUS, now=now, actor=actor, bonus=card.bonus)
    card.balance = balance  # the totals just written, not the empty row made above
    return card


# ---------------------------------------------------------------- bought online

# How long a card bought online waits for its payment; then the payment sweep closes the order.
PURCHASE_WINDOW = dt.timedelta(minutes=15)
PURCHASE = PURCHASE_PURPOSE


def card_purchase_start(
    *, product: CardProduct, actor: User, method: str, now: dt.datetime | None = None
) -> tuple[CardPurchase, PayStart]:
    """A customer buys a card online through WeChat Pay: the purchase and its order, and the
    Native code_url or the JSAPI parameters to pay it. Asking again for the same card and
    method while its order is open offers the same purchase (docs/cards.md#money)."""
    now = _now(now)
    if not actor.is_authenticated or not actor.is_active:
        raise NotAllowed()
    if not product.active:
        raise InvalidInput({"product": [_("This card is not on sale.")]})
    business = product.business
    with writer_turn(), transaction.atomic():
        open_one = (
            CardPurchase.objects.select_related("order")
            .filter(
                product=product,
                buyer=actor,
                card__isnull=True,
                order__method=method,
                order__state=Order.State.OPEN,
                order__expires_at__gt=now + dt.timedelta(minutes=1),
            )
            .first()
        )
        if open_one is not None:
            purchase = open_one
        else:
            customer = customer_for_booking(business=business, user=actor)
            if customer.erased_at is not None:
                raise NotAllowed()
            order = sale_order_open(
                business=business,
                actor=actor,
                purpose=PURCHASE,
                method=method,
                amount=product.price,
                expires_at=now + PURCHASE_WINDOW,
            )
            purchase = CardPurchase.objects.create(
                business=business,
                product=product,
                customer=customer,
                buyer=actor,
                order=order,
                created_at=now,
            )
    started = sale_order_send(
        order=purchase.order, actor=actor, description=f"{business.name} {product.name}"
    )
    return purchase, started


def card_purchase_paid(order: Order, entry: PaymentEntry, now: dt.datetime) -> None:
    """The payments hook: a purchase's order was paid, so its card is made, once, in the
    transaction that records the payment (under the order's row lock)."""
    purchase = (
        CardPurchase.objects.select_for_update(of=("self",))
        .select_related("product__business", "customer", "buyer")
        .get(order=order)
    )
    if purchase.card_id is not None:
        return
    card = _card_make(product=purchase.product, customer=purchase.customer, actor=None, now=now)
    _card_fill(card, actor=None, payment=entry, now=now)
    purchase.card = card
    purchase.save(update_fields=["card"])


def card_top_up(
    *,
    card: Card,
    actor: User,
    channel: str,
    amount: Decimal,
    bonus: Decimal = ZERO,
    now: dt.datetime | None = None,
) -> CardEntry:
    """Staff add credit to a stored value card at the counter (the money in the payments
    ledger), with a bonus if the shop gives one. Its end does not move."""
    now = _now(now)
    if business_role(user=actor, business_id=card.business_id) is None:
        raise NotAllowed()
    errors: dict[str, list[str]] = {}
    if not _is_money(amount, positive=True):
        errors["amount"] = [_("Give an amount of more than 0, in yuan and fen.")]
    if not _is_money(bonus, positive=False):
        errors["bonus"] = [_("Give an amount of 0 or more, in yuan and fen.")]
    if errors:
        raise InvalidInput(errors)
    with writer_turn(), transaction.atomic():
        balance = _balance_for_update(card.pk)
        card = balance.card
        if card.kind != Kind.STORED_VALUE:
            raise InvalidInput({"amount": [_("A package counts uses, not money.")]})
        if card.status != Card.Status.ACTIVE or (
            card.expires_at is not None and card.expires_at <= now
        ):
            raise CardUnusable(_("This card has expired or was refunded."))
        payment = payment_record_sale(
            business=card.business,
            actor=actor,
            channel=channel,
            amount=amount,
            note=_("Member card %(name)s · %(id)s") % {"name": card.name, "id": card.public_id},
        )
        entry = _write(
            balance,
            kind=CardEntry.Kind.TOP_UP,
            now=now,
            actor=actor,
            payment=payment,
            principal=amount,
        )
        if bonus > 0:
            _write(balance, kind=CardEntry.Kind.BONUS, now=now, actor=actor, bonus=bonus)
        return entry


# ---------------------------------------------------------------- paying with a card


def card_charge(*, card: Card, price: Decimal) -> Decimal:
    """What a stored value card pays for a service of this price: after its member discount,
    to the fen (half up)."""
    return (price * (100 - card.discount_percent) / 100).quantize(FEN, rounding=ROUND_HALF_UP)


def _refuse_unusable(*, card: Card, service: Service, start: dt.datetime, now: dt.datetime) -> None:
    if card.business_id != service.business_id:
        raise CardUnusable(_("This card is for another business."))
    if card.status != Card.Status.ACTIVE or (
        card.expires_at is not None and card.expires_at <= now
    ):
        raise CardUnusable(_("This card has expired or was refunded."))
    if card.expires_at is not None and start >= card.expires_at:
        raise CardUnusable(_("This card expires before the appointment."))
    if card.kind == Kind.PACKAGE and not card.services.filter(pk=service.pk).exists():
        raise CardUnusable(_("This card does not pay for this service."))


def _reservation(balance: CardBalance, card: Card, price: Decimal) -> dict[str, Any]:
    """The deltas of reserving one booking on the card: a use, or the charge (principal
    first, then bonus). CardUnusable when not enough is left."""
    if card.kind == Kind.PACKAGE:
        if balance.uses_available < 1:
            raise CardUnusable(_("No uses are left on this card."))
        return {"reserved_uses": 1}
    charge = card_charge(card=card, price=price)
    principal = min(balance.principal_available, charge)
    bonus = charge - principal
    if bonus > balance.bonus_available:
        raise CardUnusable(_("Not enough is left on this card."))
    return {"reserved_principal": principal, "reserved_bonus": bonus}


def _may_use(card: Card, actor: User) -> None:
    """The holder, or the card's business's owners and staff; anyone else sees no card."""
    if card.customer.user_id == actor.pk:
        return
    if business_role(user=actor, business_id=card.business_id) is None:
        raise NotAllowed()


def card_reserve(
    *, card: Card, appointment: Appointment, actor: User, now: dt.datetime | None = None
) -> CardEntry:
    """Reserve on the card what its holder's booking costs: it is used at check-in or
    completion, released on a cancellation (card_follow_appointment)."""
    now = _now(now)
    _may_use(card, actor)
    with writer_turn(), transaction.atomic():
        locked = appointment_for_update(appointment)
        balance = _balance_for_update(card.pk)
        card = balance.card
        if locked.client_id != card.customer_id:
            raise CardUnusable(_("A card pays for its holder's bookings only."))
        if locked.status not in RESERVABLE:
            raise CardUnusable(_("This booking cannot be paid with a card now."))
        if CardEntry.objects.filter(appointment=locked).exists():
            raise CardUnusable(_("This booking is already paid with a card."))
        _refuse_unusable(card=card, service=locked.service, start=locked.start, now=now)
        deltas = _reservation(balance, card, locked.price)
        return _write(
            balance,
            kind=CardEntry.Kind.RESERVE,
            now=now,
            actor=actor,
            appointment=locked,
            **deltas,
        )


def card_booking_create(
    *,
    card: Card,
    service: Service,
    start: dt.datetime,
    actor: User,
    staff: StaffMember | None = None,
    location: Location | None = None,
    notes: str = "",
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    staff_override: bool = False,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book for the card's holder and reserve the card, in one transaction: the booking is
    paid by the card (nothing due online, never held awaiting payment), and if the card cannot
    pay — the last use taken by a concurrent booking — nothing is booked. The holder books for
    themselves; the business's staff book for the holder."""
    now = _now(now)
    _may_use(card, actor)
    _refuse_unusable(card=card, service=service, start=start, now=now)
    holder = card.customer
    for_self = holder.user_id == actor.pk
    with writer_turn(), transaction.atomic():
        appointment = appointment_create(
            service=service,
            start=start,
            customer=actor if for_self else None,
            client=None if for_self else holder,
            staff=staff,
            location=location,
            notes=notes,
            channel=channel,
            idempotency_key=idempotency_key,
            actor=actor,
            now=now,
            staff_override=staff_override,
            paid_in_advance=True,
        )
        # A retry with the same idempotency key finds its booking already reserved.
        if not CardEntry.objects.filter(appointment=appointment, card=card).exists():
            card_reserve(card=card, appointment=appointment, actor=actor, now=now)
        return appointment


# The card's part in each status of its booking: holding it (reserved), used, or nothing.
_RESERVED, _USED, _NONE = "reserved", "used", "none"


def _wanted(status: str, card: Card) -> str:
    if status in (Status.IN_PROGRESS, Status.COMPLETED):
        return _USED
    if status == Status.NO_SHOW:
        return _USED if card.no_show_uses else _NONE
    if status == Status.CANCELLED:
        return _NONE
    return _RESERVED


def _state(entries: list[CardEntry]) -> str:
    count = dict.fromkeys(CardEntry.Kind.values, 0)
    for entry in entries:
        count[entry.kind] += 1
    used = count["use"] - count["use_undone"]
    held = count["reserve"] - count["release"] - used
    return _USED if used > 0 else _RESERVED if held > 0 else _NONE


def _negated(entry: CardEntry, fields: Iterable[str]) -> dict[str, Any]:
    return {field: -getattr(entry, field) for field in fields}


def card_follow_appointment(appointment: Appointment, event: AppointmentEvent) -> None:
    """The bookings hook (registered in CardsConfig.ready): after every event of a booking
    paid with a card, move the card to what the booking's status wants — a cancellation
    releases the reservation, a start or completion uses it, a no-show uses it or releases it
    as the card's terms say, an undo moves it back. Runs in the booking's transaction, under
    its row lock; raising (an undone cancellation whose card has nothing left) undoes the
    change."""
    if event.action in (AppointmentEvent.Action.CREATED, AppointmentEvent.Action.RESCHEDULED):
        return
    entries = list(CardEntry.objects.filter(appointment=appointment).order_by("id"))
    if not entries:
        return
    balance = _balance_for_update(entries[0].card_id)
    card = balance.card
    wanted = _wanted(appointment.status, card)
    state = _state(entries)
    reserve = next(e for e in entries if e.kind == CardEntry.Kind.RESERVE)
    reserved = ("reserved_uses", "reserved_principal", "reserved_bonus")
    spent = {
        "uses_left": -reserve.reserved_uses,
        "principal": -reserve.reserved_principal,
        "bonus": -reserve.reserved_bonus,
        **_negated(reserve, reserved),
    }
    common: dict[str, Any] = {
        "now": event.created_at,
        "actor": event.actor,
        "appointment": appointment,
    }
    while state != wanted:
        if state == _USED:  # back to reserved (an undone start or no-show)
            _write(
                balance,
                kind=CardEntry.Kind.USE_UNDONE,
                **common,
                **{field: -value for field, value in spent.items()},
            )
            state = _RESERVED
        elif state == _RESERVED and wanted == _USED:
            _write(balance, kind=CardEntry.Kind.USE, **common, **spent)
            state = _USED
        elif state == _RESERVED:
            _write(balance, kind=CardEntry.Kind.RELEASE, **common, **_negated(reserve, reserved))
            state = _NONE
        else:  # none → reserved again (an undone cancellation): only if it is still there
            if (
                balance.uses_available < reserve.reserved_uses
                or balance.principal_available < reserve.reserved_principal
                or balance.bonus_available < reserve.reserved_bonus
                or card.status == Card.Status.REFUNDED
            ):
                raise CardUnusable(_("The card no longer has what this booking reserved."))
            _write(
                balance,
                kind=CardEntry.Kind.RESERVE,
                **common,
                **{field: getattr(reserve, field) for field in reserved},
            )
            state = _RESERVED


# ---------------------------------------------------------------- the owner's acts


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            {"reason": [_("Say why, in at most %(n)d characters.") % {"n": MAX_REASON_LENGTH}]}
        )
    return reason


def card_refund_amount(*, card: Card, balance: CardBalance) -> Decimal:
    """What a refund gives back: a package's price pro rata of its unused uses, a stored value
    card's principal left (the bonus never), to the fen (half up)."""
    if card.kind == Kind.PACKAGE:
        return package_value(price=card.price, uses_left=balance.uses_left, uses=card.uses)
    return balance.principal


def card_refund(
    *,
    card: Card,
    actor: User,
    channel: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> CardEntry:
    """An owner refunds what is left on a card at the counter and closes it: everything left
    is taken off the card in one entry, the money given back in the payments ledger."""
    now = _now(now)
    require_owner(user=actor, business_id=card.business_id)
    reason = reason.strip()[:MAX_REASON_LENGTH]
    to_send: list[int] = []
    with writer_turn(), transaction.atomic():
        entry = _card_refund_write(
            card=card, actor=actor, channel=channel, reason=reason, now=now, to_send=to_send
        )
    # WeChat Pay is asked once the card is closed (committed); the sweep asks again if needed.
    sale_refunds_send(to_send)
    return entry


def _card_refund_write(
    *,
    card: Card,
    actor: User,
    channel: str,
    reason: str,
    now: dt.datetime,
    to_send: list[int],
) -> CardEntry:
    """What card_refund writes, in its transaction: the card's refund entry (it closes the
    card), the money back at the counter, and the WeChat Pay refunds to send (`to_send`)."""
    balance = _balance_for_update(card.pk)
    card = balance.card
    if card.status == Card.Status.REFUNDED:
        raise CardUnusable(_("This card was refunded already."))
    if balance.reserved_uses or balance.reserved_principal or balance.reserved_bonus:
        raise CardBusy()
    amount = card_refund_amount(card=card, balance=balance)
    # A card bought online is refunded through WeChat Pay, up to what its order paid; the
    # rest (top-ups paid at the counter) at the counter.
    purchase = CardPurchase.objects.select_related("order").filter(card=card).first()
    online = ZERO if purchase is None else min(amount, sale_refundable(purchase.order))
    if online > 0:
        assert purchase is not None
        to_send.append(
            sale_refund_start(order=purchase.order, amount=online, reason=reason or card.name).pk
        )
    payment = None
    if amount - online > 0:
        payment = payment_record_sale(
            business=card.business,
            actor=actor,
            channel=channel,
            amount=amount - online,
            note=_("Member card %(name)s · %(id)s") % {"name": card.name, "id": card.public_id},
            refund=True,
        )
    entry = _write(
        balance,
        kind=CardEntry.Kind.REFUND,
        now=now,
        actor=actor,
        payment=payment,
        reason=reason,
        uses_left=-balance.uses_left,
        principal=-balance.principal,
        bonus=-balance.bonus,
    )
    card.status = Card.Status.REFUNDED
    card.save(update_fields=["status"])
    return entry


def card_adjust(
    *,
    card: Card,
    actor: User,
    reason: str,
    uses: int = 0,
    principal: Decimal = ZERO,
    bonus: Decimal = ZERO,
    now: dt.datetime | None = None,
) -> CardEntry:
    """An owner corrects a card (a use given as a gift, a counting mistake), with a reason.
    Nothing may go below what bookings hold."""
    now = _now(now)
    require_owner(user=actor, business_id=card.business_id)
    reason = _reason(reason)
    errors: dict[str, list[str]] = {}
    if not isinstance(uses, int) or abs(uses) > MAX_USES:
        errors["uses"] = [_("Give a change of at most %(n)d uses.") % {"n": MAX_USES}]
    for name, value in (("principal", principal), ("bonus", bonus)):
        if not _is_money(abs(value) if isinstance(value, Decimal) else value, positive=False):
            errors[name] = [_("Give an amount in yuan and fen.")]
    if not errors and not (uses or principal or bonus):
        errors["uses"] = [_("Change the uses or an amount.")]
    if errors:
        raise InvalidInput(errors)
    with writer_turn(), transaction.atomic():
        balance = _balance_for_update(card.pk)
        if balance.card.status == Card.Status.REFUNDED:
            raise CardUnusable(_("This card was refunded already."))
        if balance.card.kind == Kind.PACKAGE and (principal or bonus):
            raise InvalidInput({"principal": [_("A package counts uses, not money.")]})
        if balance.card.kind == Kind.STORED_VALUE and uses:
            raise InvalidInput({"uses": [_("A stored value card counts money, not uses.")]})
        if (
            balance.uses_available + uses < 0
            or balance.principal_available + principal < 0
            or balance.bonus_available + bonus < 0
        ):
            raise InvalidInput({"uses": [_("That is more than is left on the card.")]})
        return _write(
            balance,
            kind=CardEntry.Kind.ADJUSTMENT,
            now=now,
            actor=actor,
            reason=reason,
            uses_left=uses,
            principal=principal,
            bonus=bonus,
        )


def cards_merge(keep: Customer, other: Customer) -> None:
    """The customers hook of a merge (both records locked): `other`'s cards are `keep`'s now,
    their entries and balances unchanged."""
    Card.objects.filter(customer=other).update(customer=keep)


# ---------------------------------------------------------------- expiry


def card_expire(*, card: Card, now: dt.datetime | None = None) -> CardEntry | None:
    """Take off an expired card what no booking holds (bookings made before it expired keep
    theirs). Nothing when it has not expired or nothing is left; a use released after expiry
    is taken by the next run."""
    now = _now(now)
    with writer_turn(), transaction.atomic():
        balance = _balance_for_update(card.pk)
        card = balance.card
        if card.expires_at is None or card.expires_at > now or card.status == Card.Status.REFUNDED:
            return None
        if card.status != Card.Status.EXPIRED:
            card.status = Card.Status.EXPIRED
            card.save(update_fields=["status"])
        if not (balance.uses_available or balance.principal_available or balance.bonus_available):
            return None
        return _write(
            balance,
            kind=CardEntry.Kind.EXPIRY,
            now=now,
            actor=None,
            uses_left=-balance.uses_available,
            principal=-balance.principal_available,
            bonus=-balance.bonus_available,
        )


def cards_expire(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """The worker's daily step (run every round; it finds nothing most of the time): expire
    the cards past their end. Returns how many entries it wrote."""
    now = _now(now)
    due = (
        Card.objects.filter(expires_at__lte=now)
        .exclude(status=Card.Status.REFUNDED)
        .filter(
            Q(status=Card.Status.ACTIVE)
            | Q(balance__uses_left__gt=F("balance__reserved_uses"))
            | Q(balance__principal__gt=F("balance__reserved_principal"))
            | Q(balance__bonus__gt=F("balance__reserved_bonus"))
        )
        .order_by("expires_at", "id")[:limit]
    )
    return sum(1 for card in list(due) if card_expire(card=card, now=now) is not None)
