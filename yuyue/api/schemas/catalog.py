import datetime as dt

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from yuyue.api.schemas.common import Id, LocalDate, Page, SlotOut

MAX_AVAILABILITY_DAYS = 62


class LocationOut(Schema):
    id: int
    name: str
    address: str
    phone: str
    phone_display: str = Field(
        description="`phone` as people write it: national format in the business's country.",
        examples=["021 6288 1234"],
    )
    timezone: str = Field(description="The zone its times are in: its own, else the business's.")
    timezone_label: str = Field(description="`timezone` as people call it.", examples=["北京时间"])
    latitude: float | None = Field(None, description="For a map (GCJ-02 in China); or null.")
    longitude: float | None = Field(None, description="For a map (GCJ-02 in China); or null.")


class BusinessOut(Schema):
    slug: str
    name: str
    timezone: str = Field(examples=["Asia/Shanghai"])
    currency: str = Field(examples=["CNY"])
    default_language: str
    phone: str
    phone_display: str = Field(examples=["021 6288 1234"])
    timezone_label: str = Field(examples=["北京时间"])
    customers_book_series: bool = Field(
        False, description="Customers may book a weekly series of services that allow it."
    )
    locations: list[LocationOut]


class CategoryOut(Schema):
    id: int
    name: str
    position: int = Field(description="The owner's order of categories; lists follow it.")


class TitleOut(Schema):
    id: int
    name: str = Field(examples=["首席"])


class TitlePriceOut(Schema):
    title_id: int
    title: str
    price: str = Field(examples=["168.00"])


class ServiceOut(Schema):
    id: int
    name: str
    category: CategoryOut | None = Field(
        description="Lists of services come grouped by category, in the owner's order; "
        "services without one come last."
    )
    description: str
    photo_url: str | None = Field(description="A JPEG, at most 1600 px on its longer side.")
    prices_by_title: list[TitlePriceOut] = Field(
        description="The price with staff of these titles, instead of `price`."
    )
    duration_minutes: int
    price: str = Field(examples=["128.00"])
    currency: str
    capacity: int = Field(description="Customers served at once; 1 means one at a time.")
    requires_confirmation: bool = Field(
        description="Bookings start as pending until staff confirm."
    )
    buffer_before_minutes: int
    buffer_after_minutes: int
    slot_interval_minutes: int | None = Field(description="null: the duration.")
    min_notice_minutes: int
    max_days_ahead: int
    cancel_cutoff_minutes: int = Field(
        description="Customers may cancel until this many minutes before the start."
    )
    reschedule_cutoff_minutes: int
    payment_mode: str = Field(
        description="What is paid online when booking: none, deposit or full (the price)."
    )
    deposit_amount: str = Field(examples=["50.00"], description="For payment_mode deposit.")
    payment_window_minutes: int = Field(description="How long an unpaid booking holds its time.")
    allows_series: bool = Field(
        False, description="Whether a weekly series may be booked of it (docs/booking.md#series)."
    )
    active: bool


class ServicePage(Page):
    items: list[ServiceOut]


class StaffOut(Schema):
    id: int
    name: str
    service_ids: list[int]
    location_id: int | None
    title: TitleOut | None = Field(description="The staff member's rank (首席, 高级 …).")
    photo_url: str | None
    timezone: str = Field(description="The zone the staff member's hours are wall-clock in.")
    active: bool
    username: str | None = Field(
        None, description="The linked account; shown to the business's staff and owners only."
    )


class StaffPage(Page):
    items: list[StaffOut]


class StaffQuery(Schema):
    service_id: Id | None = Field(None, description="Only staff who offer this service.")


class AvailabilityQuery(Schema):
    service_id: Id
    date_from: LocalDate
    date_to: LocalDate = Field(
        description=f"Inclusive; at most {MAX_AVAILABILITY_DAYS} days from date_from on."
    )
    staff_id: Id | None = Field(None, description="Omit for any staff member.")
    location_id: Id | None = None

    @field_validator("date_to")
    @classmethod
    def _at_most_62_days(cls, date_to: dt.date, info: ValidationInfo) -> dt.date:
        date_from = info.data.get("date_from")
        if date_from is not None:
            if date_to < date_from:
                raise ValueError(_("The end date is before the start date."))
            if (date_to - date_from).days + 1 > MAX_AVAILABILITY_DAYS:
                raise ValueError(
                    _("At most %(n)d days per request.") % {"n": MAX_AVAILABILITY_DAYS}
                )
        return date_to


class AvailabilityOut(Schema):
    timezone: str = Field(description="The zone of the dates asked for and of every slot.")
    slots: list[SlotOut]
    opens_at: dt.datetime | None = Field(
        None,
        description="When the first day asked for that is not open yet (the business's release "
        "time, 放号) opens; absent when every day asked is open.",
    )


class BusinessRef(Schema):
    slug: str
    name: str
    timezone: str


class Named(Schema):
    id: int
    name: str


class LocationRef(Schema):
    id: int
    name: str
    address: str


class HoursOut(Schema):
    mon: list[list[str]]
    tue: list[list[str]]
    wed: list[list[str]]
    thu: list[list[str]]
    fri: list[list[str]]
    sat: list[list[str]]
    sun: list[list[str]]


class OverrideOut(Schema):
    date: dt.date
    closed: bool
    intervals: list[list[str]]
    note: str


class OverridePage(Page):
    items: list[OverrideOut]
