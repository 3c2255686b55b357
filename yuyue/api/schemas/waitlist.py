"""The waitlist's shapes (docs/waitlist.md)."""

import datetime as dt
import re
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field

from yuyue.api.schemas.catalog import Named
from yuyue.api.schemas.common import Id, InputSchema, LocalDate, Page

_TIME = re.compile(r"^\d{2}:\d{2}$")


def _parse_time(value: object) -> dt.time:
    if isinstance(value, str) and _TIME.match(value):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("Enter a time like 09:30."))


LocalTime = Annotated[
    dt.time,
    BeforeValidator(_parse_time),
    Field(description="Local wall-clock time, HH:MM.", examples=["09:00"]),
]
EntryState = Literal["waiting", "offered", "booked", "left", "expired"]


class WaitlistJoinIn(InputSchema):
    service_id: Id
    staff_id: Id | None = Field(None, description="Omit to take anyone who offers the service.")
    date_from: LocalDate
    date_to: LocalDate
    time_from: LocalTime = Field(description="The earliest start, local time.")
    time_to: LocalTime = Field(description="The latest end, local time.")
    channel: Literal["api", "miniprogram"] = "api"


class OfferOut(Schema):
    id: str = Field(description="The offer's appointment id: accept or decline it.")
    status: str
    start: dt.datetime
    end: dt.datetime
    staff: Named
    expires_at: dt.datetime | None = Field(description="Until then it is held for the waiter.")


class WaiterOut(Schema):
    id: int = Field(description="The business's own customer record.")
    name: str
    phone: str


class WaitlistEntryOut(Schema):
    id: str
    business: dict[str, str] = Field(examples=[{"slug": "salon", "name": "悦己美发沙龙"}])
    service: Named
    staff: Named | None = Field(description="Null: anyone who offers the service.")
    date_from: dt.date
    date_to: dt.date
    time_from: str = Field(examples=["09:00"])
    time_to: str = Field(examples=["12:00"])
    channel: str
    state: EntryState
    state_label: str = Field(description="The state in the request's language.")
    offer: OfferOut | None = Field(description="The offer standing for them, or the booking.")
    offers_passed: int = Field(description="Offers declined or left to lapse.")
    customer: WaiterOut | None = Field(description="For the business's staff and owners only.")
    created_at: dt.datetime


class WaitlistPage(Page):
    items: list[WaitlistEntryOut]


class BusinessWaitlistQuery(Schema):
    date: LocalDate | None = Field(None, description="Those who wait on this local date.")
    service_id: Id | None = None
