"""A business's customer records, for its owners and staff."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from yuyue.api.schemas.common import InputSchema, Page, line, text
from yuyue.api.schemas.manage import optional
from yuyue.customers.models import MAX_NAME_LENGTH, MAX_NOTES_LENGTH, MAX_TAG_LENGTH, MAX_TAGS


class CustomerRecordOut(Schema):
    id: int
    name: str
    phone: str = Field(description="E.164, or empty.")
    email: str
    notes: str = Field(description="The staff's notes; the customer never sees them.")
    tags: list[str]
    account_id: int | None = Field(
        description="The linked platform account: set when the person booked here themselves "
        "or proved the phone; null for a walk-in or phone customer."
    )
    visits: int = Field(description="Completed appointments.")
    no_shows: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerRecordPage(Page):
    items: list[CustomerRecordOut]


class CustomerQuery(Schema):
    q: str = Field("", max_length=100, description="Part of the name or email, or phone digits.")


class CustomerRecordPatch(InputSchema):
    name: optional(line(MAX_NAME_LENGTH)) = None
    phone: optional(line(32, min_length=0), description="Empty: no phone.") = None
    email: optional(line(254, min_length=0)) = None
    notes: optional(text(MAX_NOTES_LENGTH)) = None
    tags: optional(
        list[line(MAX_TAG_LENGTH)], max_length=MAX_TAGS, description="Short labels, in order."
    ) = None
