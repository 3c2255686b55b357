"""What owners send to set up their business: services, staff, hours, locations.

In PATCH bodies an absent field stays as it is; null is accepted only where a field may be
empty (location_id, slot_interval_minutes).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field

from yuyue.api.schemas.common import (
    Id,
    InputSchema,
    LocalDate,
    Money,
    Page,
    Slug,
    line,
    text,
    whole,
)
from yuyue.catalog.models import (
    DEFAULT_PAYMENT_WINDOW_MINUTES,
    MAX_BUFFER_MINUTES,
    MAX_CAPACITY,
    MAX_DAYS_AHEAD,
    MAX_DURATION_MINUTES,
    MAX_FUTURE_BOOKINGS,
    MAX_NO_SHOW_LIMIT,
    MAX_NO_SHOW_WINDOW_DAYS,
    MAX_NOTICE_MINUTES,
    MAX_PAYMENT_WINDOW_MINUTES,
    MAX_RELEASE_DAYS_BEFORE,
    MAX_RETENTION_MONTHS,
    MAX_WAITLIST_OFFER_MINUTES,
)
from yuyue.scheduling.hours import MAX_INTERVALS_PER_DAY

MAX_SERVICES_PER_STAFF = 200


def _no_null_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(annotation: Any, **field: Any) -> Any:
    """A PATCH field: may be left out, may not be null."""
    return Annotated[annotation, Field(json_schema_extra=_no_null_default, **field)]


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["CNY"])]
Zone = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_+\-/]+$",
        description="An IANA time zone name.",
        examples=["Asia/Shanghai"],
    ),
]
OptionalZone = Annotated[
    str,
    Field(
        max_length=64,
        pattern=r"^[A-Za-z0-9_+\-/]*$",
        description="An IANA time zone name, or empty for the business's.",
    ),
]
Language = Literal["zh-hans", "en"]


def minutes(maximum: int, minimum: int = 0) -> Any:
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(whole)]


Duration = minutes(MAX_DURATION_MINUTES, 1)
Buffer = minutes(MAX_BUFFER_MINUTES)
Capacity = minutes(MAX_CAPACITY, 1)
Interval = minutes(MAX_DURATION_MINUTES, 5)
Notice = minutes(MAX_NOTICE_MINUTES)
DaysAhead = minutes(MAX_DAYS_AHEAD)
PaymentWindow = minutes(MAX_PAYMENT_WINDOW_MINUTES, 1)
PaymentModeIn = Literal["none", "deposit", "full"]

HHMM = Annotated[str, Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", examples=["09:00"])]
Interval_ = Annotated[list[HHMM], Field(min_length=2, max_length=2, examples=[["09:00", "12:00"]])]
DayHours = Annotated[
    list[Interval_],
    Field(max_length=MAX_INTERVALS_PER_DAY, description='[["09:00", "12:00"], ...]'),
]


class BusinessIn(InputSchema):
    slug: Slug
    name: line(120)
    timezone: Zone = "Asia/Shanghai"
    currency: Currency = "CNY"
    default_language: Language = "zh-hans"
    invite: str = Field(
        "",
        max_length=100,
        description="The sign-up invitation's token, when the site opens businesses by "
        "invitation only (the `invite` of the operator's link).",
    )


class BusinessPatch(InputSchema):
    name: optional(line(120)) = None
    timezone: optional(Zone) = None
    currency: optional(Currency) = None
    default_language: optional(Language) = None
    phone: optional(line(32, min_length=0)) = None
    keeps_deposit_after_cutoff: optional(bool) = Field(
        None, description="Keep a deposit when a customer cancels after the cut-off."
    )
    customer_retention_months: optional(minutes(MAX_RETENTION_MONTHS)) = Field(
        None,
        description="Anonymise the records of customers with no appointment in this many "
        "months and none ahead (a daily step); 0 keeps them.",
    )
    waitlist_offer_minutes: optional(minutes(MAX_WAITLIST_OFFER_MINUTES, 1)) = Field(
        None,
        description="How long a time freed for someone on the waitlist is held for them "
        "(docs/waitlist.md#the-offer).",
    )
    # Booking rules (docs/booking.md#booking-rules); null turns a rule off.
    max_future_bookings: minutes(MAX_FUTURE_BOOKINGS, 1) | None = Field(
        None, description="At most this many future bookings per customer; null: no limit."
    )
    max_future_bookings_scope: optional(Literal["all", "service"]) = None
    no_show_limit: minutes(MAX_NO_SHOW_LIMIT, 1) | None = Field(
        None, description="This many no-shows within no_show_window_days; null: no rule."
    )
    no_show_window_days: optional(minutes(MAX_NO_SHOW_WINDOW_DAYS, 1)) = None
    no_show_action: optional(Literal["deposit", "refuse"]) = None
    no_show_deposit: optional(Money) = None
    release_days_before: minutes(MAX_RELEASE_DAYS_BEFORE) | None = Field(
        None, description="放号: a day's times open this many days before it; null: always open."
    )
    release_time: optional(Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]) = Field(
        None, description="When a day's times open, local HH:MM."
    )
    customers_book_series: optional(bool) = None

    def changes(self) -> dict[str, Any]:
        """The fields given, as the model keeps them."""
        given = self.model_dump(exclude_unset=True)
        if "release_time" in given:
            hour, minute = given["release_time"].split(":")
            given["release_time"] = dt.time(int(hour), int(minute))
        if "no_show_deposit" in given:
            given["no_show_deposit"] = Decimal(given["no_show_deposit"])
        return given


def _coordinate(value: Decimal) -> Decimal:
    """As the model stores it: six decimals (about 0.1 m)."""
    return value.quantize(Decimal("0.000001"))


# A JSON number (not strict: pydantic's strict Decimal would take no JSON value at all).
Latitude = Annotated[Decimal, Field(ge=-90, le=90, strict=False), AfterValidator(_coordinate)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, strict=False), AfterValidator(_coordinate)]


class LocationIn(InputSchema):
    name: line(120)
    address: line(255, min_length=0) = ""
    phone: line(32, min_length=0) = ""
    timezone: OptionalZone = ""
    latitude: Latitude | None = Field(None, description="With longitude, for a map (GCJ-02).")
    longitude: Longitude | None = None


class LocationPatch(InputSchema):
    name: optional(line(120)) = None
    address: optional(line(255, min_length=0)) = None
    phone: optional(line(32, min_length=0)) = None
    timezone: optional(OptionalZone) = None
    # null removes the shop's place on the map (both at once).
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class ServiceIn(InputSchema):
    name: line(120)
    description: text(2000) = ""
    duration_minutes: Duration
    price: Money
    buffer_before_minutes: Buffer = 0
    buffer_after_minutes: Buffer = 0
    capacity: Capacity = 1
    slot_interval_minutes: Interval | None = Field(None, description="null: the duration.")
    min_notice_minutes: Notice = 60
    max_days_ahead: DaysAhead = 60
    requires_confirmation: bool = False
    cancel_cutoff_minutes: Notice = 120
    reschedule_cutoff_minutes: Notice = 120
    payment_mode: PaymentModeIn = Field("none", description="What is paid online at booking.")
    deposit_amount: Money = Field("0.00", description="For payment_mode deposit.")
    payment_window_minutes: PaymentWindow = Field(
        DEFAULT_PAYMENT_WINDOW_MINUTES, description="How long an unpaid booking holds its time."
    )
    allows_series: bool = Field(False, description="A weekly series may be booked of it.")
    active: bool = True


class ServicePatch(InputSchema):
    name: optional(line(120)) = None
    description: optional(text(2000)) = None
    duration_minutes: optional(Duration) = None
    price: optional(Money) = None
    buffer_before_minutes: optional(Buffer) = None
    buffer_after_minutes: optional(Buffer) = None
    capacity: optional(Capacity) = None
    slot_interval_minutes: Interval | None = Field(None, description="null: the duration.")
    min_notice_minutes: optional(Notice) = None
    max_days_ahead: optional(DaysAhead) = None
    requires_confirmation: optional(bool) = None
    cancel_cutoff_minutes: optional(Notice) = None
    reschedule_cutoff_minutes: optional(Notice) = None
    payment_mode: optional(PaymentModeIn) = None
    deposit_amount: optional(Money) = None
    payment_window_minutes: optional(PaymentWindow) = None
    allows_series: optional(bool) = None
    active: optional(bool) = None


ServiceIds = Annotated[list[Id], Field(max_length=MAX_SERVICES_PER_STAFF)]


class NewAccountIn(InputSchema):
    """A new account created by the owner for a staff member (who may change the password)."""

    username: line(150)
    password: str = Field(min_length=1, max_length=128)
    phone: line(32)
    email: line(254, min_length=0) = ""


class HoursIn(InputSchema):
    """Weekly hours, wall-clock; a missing day or [] is closed. "24:00" may end a day."""

    mon: DayHours = Field(default_factory=list)
    tue: DayHours = Field(default_factory=list)
    wed: DayHours = Field(default_factory=list)
    thu: DayHours = Field(default_factory=list)
    fri: DayHours = Field(default_factory=list)
    sat: DayHours = Field(default_factory=list)
    sun: DayHours = Field(default_factory=list)


class StaffIn(InputSchema):
    name: line(120)
    service_ids: ServiceIds = Field(default_factory=list)
    location_id: Id | None = None
    timezone: OptionalZone = Field("", description="Empty: the location's, else the business's.")
    new_account: NewAccountIn | None = Field(
        None,
        description="A brand-new account for this person, with the staff role, whatever "
        "accounts or customer records have the same phone: a typed phone takes nothing over "
        "and links nothing. An existing account joins only by accepting an invitation "
        "(`POST /businesses/{slug}/staff/{staff_id}/members`).",
    )
    hours: HoursIn | None = Field(
        None,
        description="Weekly hours, saved with the staff member: if they are refused (422 naming "
        "the weekday), nobody is added.",
    )


class StaffPatch(InputSchema):
    name: optional(line(120)) = None
    service_ids: optional(ServiceIds) = None
    location_id: Id | None = Field(None, description="null: no particular location.")
    timezone: optional(OptionalZone) = None
    active: optional(bool) = None


class OverrideIn(InputSchema):
    """Closed all day (`closed: true`), or special hours that replace the weekly ones."""

    date: LocalDate
    closed: bool = False
    intervals: DayHours = Field(default_factory=list)
    note: line(200, min_length=0) = ""


class InvitationIn(InputSchema):
    role: Literal["owner", "staff"] = "staff"
    staff_id: Id | None = Field(
        None, description="The staff member whose account the invitee becomes, if any."
    )


class AcceptIn(InputSchema):
    token: line(100)


class InvitationOut(Schema):
    id: int
    role: str
    staff_id: int | None
    status: Literal["open", "accepted", "revoked", "expired"]
    created_at: dt.datetime
    expires_at: dt.datetime
    token: str | None = Field(
        None, description="Only in the answer that creates the invitation; never again."
    )
    url: str | None = Field(None, description="The page where the invitee accepts it.")


class InvitationPage(Page):
    items: list[InvitationOut]


class AcceptedOut(Schema):
    slug: str
    name: str
    role: str
