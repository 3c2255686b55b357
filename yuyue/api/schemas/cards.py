"""Member cards in the API (docs/cards.md)."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from yuyue.api.schemas.common import Page

CardId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        pattern=r"^[-A-Za-z0-9_]+$",
        description="The card's opaque public id.",
        examples=["Zr4m1qP0c9xY2bNw"],
    ),
]


class CardServiceOut(Schema):
    id: int
    name: str


class CardProductOut(Schema):
    id: int
    kind: str = Field(description="`package` (次卡) or `stored_value` (储值卡).")
    name: str
    price: str
    uses: int = Field(description="A package's uses; 0 for stored value.")
    valid_days: int | None = Field(description="Days usable from the day bought; null: no end.")
    bonus: str = Field(description="Stored value: credit given on top of the price.")
    discount_percent: int = Field(description="Stored value: percent off services paid with it.")
    no_show_uses: bool = Field(description="Whether a no-show uses the card.")
    services: list[CardServiceOut] = Field(description="A package's services.")
    terms: str


class CardProductPage(Page):
    items: list[CardProductOut]


class CardBusinessOut(Schema):
    slug: str
    name: str


class CardOut(Schema):
    id: str = Field(description="The card's public id: pass it as `card_id` when booking.")
    business: CardBusinessOut
    kind: str
    name: str
    status: str = Field(description="`active`, `expired` or `refunded`.")
    uses: int = Field(description="A package's uses as bought.")
    uses_left: int = Field(description="Uses not yet used, those held by bookings included.")
    uses_reserved: int = Field(description="Uses held by bookings not yet checked in.")
    principal: str = Field(description="Stored value paid and not yet used.")
    bonus: str = Field(description="Bonus credit not yet used.")
    amount_reserved: str = Field(description="Held by bookings not yet checked in.")
    balance_available: str = Field(description="What can still be booked with: all but held.")
    discount_percent: int
    price: str
    services: list[CardServiceOut]
    bought_at: dt.datetime
    expires_at: dt.datetime | None = Field(description="The first instant it can't be used.")
    terms: str


class CardEntryOut(Schema):
    kind: str = Field(
        description="sale, top_up, bonus, reserve, use, use_undone, release, refund, expiry, "
        "adjustment."
    )
    label: str
    at: dt.datetime
    uses: int = Field(description="Change of uses left.")
    principal: str
    bonus: str
    appointment_id: str | None
    reason: str


class CardDetailOut(CardOut):
    history: list[CardEntryOut]


class CardPage(Page):
    items: list[CardOut]


PurchaseId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        pattern=r"^[-A-Za-z0-9_]+$",
        description="The purchase's opaque public id.",
        examples=["b7Qm2Zp0c9xY2bNw"],
    ),
]


class CardPurchaseOut(Schema):
    id: str
    product_id: int
    name: str
    amount: str
    state: str = Field(
        description="`open` (waiting for the payment), `paid` (the card is made: `card_id`) "
        "or `lapsed` (not paid in time; buy again)."
    )
    card_id: str | None
    pay_by: dt.datetime
