import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from yuyue.api.schemas.cards import CardId
from yuyue.api.schemas.catalog import BusinessRef, LocationRef, Named
from yuyue.api.schemas.common import (
    Id,
    InputSchema,
    LocalDate,
    LocalDateTime,
    Money,
    Page,
    SlotOut,
    line,
    text,
)
from yuyue.bookings.models import (
    MAX_NOTES_LENGTH,
    MAX_SERIES_EVERY_WEEKS,
    MAX_SERIES_OCCURRENCES,
)
from yuyue.bookings.services import MAX_REASON_LENGTH

StatusName = Literal[
    "offered",
    "awaiting_payment",
    "pending",
    "confirmed",
    "in_progress",
    "completed",
    "cancelled",
    "no_show",
]


class BookingIn(InputSchema):
    service_id: Id
    start: LocalDateTime
    staff_id: Id | None = Field(None, description="Omit for any staff member (best fit).")
    location_id: Id | None = None
    notes: text(MAX_NOTES_LENGTH) = ""
    channel: Literal["api", "miniprogram"] = Field(
        "api", description="Where the booking was made, for the business's reports."
    )
    card_id: CardId | None = Field(
        None,
        description="Pay with one of your member cards (`GET /me/cards`): a use or the amount "
        "is reserved instead of any deposit; 409 `card_unusable` when it cannot pay.",
    )


class CheckInIn(InputSchema):
    code: line(
        20,
        description="The six digits the customer shows, or what their QR code holds (spaces "
        "and dashes are ignored).",
        examples=["042917"],
    )


class CancelIn(InputSchema):
    reason: line(MAX_REASON_LENGTH, min_length=0) = ""
    following: bool = Field(
        False,
        description="For an occurrence of a series: cancel it and every later one as well.",
    )
    refund_shown: Money | None = Field(
        None,
        description='The `payment.refund_if_cancelled_now` the customer confirmed ("0.00" '
        "when it was null): if what would come back now is another amount (the cut-off "
        "passed meanwhile), nothing is cancelled and the answer is 409 `refund_changed`.",
    )


class RescheduleIn(InputSchema):
    start: LocalDateTime
    staff_id: Id | None = Field(None, description="Omit to stay with the same staff member.")
    any_staff: bool = Field(
        False, description="With no staff_id: move to whoever fits best, not only the same."
    )
    reason: line(MAX_REASON_LENGTH, min_length=0) = ""
    following: bool = Field(
        False,
        description="For an occurrence of a series: move every later one the same way.",
    )


class CustomerOut(Schema):
    id: int = Field(description="The business's own customer record.")
    name: str
    phone: str = Field(description="E.164, or empty when the business has none.")
    account_id: int | None = Field(
        description="The platform account the record is linked to; null for a walk-in or "
        "phone customer without one."
    )
    username: str | None = Field(description="The linked account's username, if any.")


class PaymentOut(Schema):
    mode: Literal["none", "deposit", "full"] = Field(
        description="What the booking owed online when booked: nothing, a deposit, the price."
    )
    amount_due: str = Field(description="Due online when booked.", examples=["50.00"])
    amount_paid: str = Field(description="Paid so far, online and at the counter.")
    amount_refunded: str
    pay_by: dt.datetime | None = Field(
        description="While awaiting payment: until then the time is held."
    )
    state: Literal[
        "none", "awaiting", "paid", "expired", "refunding", "partly_refunded", "refunded"
    ] = Field(description="`expired`: released unpaid when its payment window ended.")
    refund_if_cancelled_now: str | None = Field(
        description="What of the amount paid online would come back if the caller cancelled "
        "now (the refund policy; for a customer after `full_refund_until` the deposit is "
        "kept when the business keeps it). Show it before they confirm. Null when they may "
        "not cancel or nothing was paid online.",
        examples=["0.00"],
    )
    kept_if_cancelled_now: str | None = Field(
        description="What of the amount paid online the business would keep (the deposit) "
        "if the caller cancelled now; null with `refund_if_cancelled_now`.",
        examples=["50.00"],
    )
    full_refund_until: dt.datetime | None = Field(
        description="The service's cancellation cut-off: a customer cancelling until then "
        "gets everything back. Null when nothing is paid online."
    )
    reason: str = Field(
        "",
        description="Why a deposit is asked where the service asks none: the business's "
        "no-show rule (docs/booking.md#booking-rules); empty otherwise.",
    )


class AppointmentOut(Schema):
    id: str = Field(description="Opaque; never a sequence number.")
    business: BusinessRef
    service: Named
    staff: Named
    location: LocationRef | None
    zone: str = Field(
        description="The IANA time zone the appointment happens in: its shop's, else its "
        "business's. Show `start` and `end` in it.",
        examples=["Asia/Shanghai"],
    )
    zone_label: str = Field(
        description="`zone` as people call it, in the request's language; its IANA name "
        "when it has no common name.",
        examples=["北京时间"],
    )
    start: dt.datetime = Field(description="With the offset of `zone`.")
    end: dt.datetime
    status: StatusName
    status_label: str = Field(description="The status in the request's language.")
    price: str = Field(description="The price when booked.", examples=["128.00"])
    currency: str
    notes: str
    channel: str
    in_series: bool = Field(
        False, description="Booked in a recurring series: cancel may take `following`."
    )
    customer: CustomerOut | None = Field(
        description="Shown to the business's staff and owners; null for customers."
    )
    cancel_deadline: dt.datetime = Field(
        description="Until then the customer may cancel online: the service's cut-off, or "
        "the start for a booking paid online (later than `payment.full_refund_until`, the "
        "deposit is kept) or an unpaid hold."
    )
    reschedule_deadline: dt.datetime
    actions: list[str] = Field(
        description="What the caller may do now, in the order of the status machine: some of "
        "cancel, reschedule, confirm, start, complete, no_show."
    )
    payment: PaymentOut
    checkin_code: str | None = Field(
        description="What the customer shows at the counter (six digits; show it as a QR code "
        "too): to the appointment's customer and the business's staff, once booked (a hold is "
        "paid first) and until it starts, is cancelled or missed; null otherwise.",
        examples=["042917"],
    )
    offer_expires_at: dt.datetime | None = Field(
        description="A waitlist offer (status `offered`): until then it is held for its "
        "customer to accept (docs/waitlist.md)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class CheckInQrOut(Schema):
    code: str = Field(description="The six digits, to show under the QR code.")
    png: str = Field(description="The QR code as a `data:image/png;base64,…` URI.")


class AppointmentPage(Page):
    items: list[AppointmentOut]


class AppointmentQuery(Schema):
    status: StatusName | None = None
    date_from: LocalDate | None = Field(None, description="Local date of the start, inclusive.")
    date_to: LocalDate | None = Field(None, description="Inclusive.")
    order: Literal["start", "-start"] = Field("start", description="-start: newest first.")


class BusinessAppointmentQuery(AppointmentQuery):
    staff_id: Id | None = None


class PayIn(InputSchema):
    method: Literal["wechat_native", "wechat_jsapi"] = Field(
        description="wechat_native: a code to scan (web); wechat_jsapi: the mini program."
    )


class JsapiParams(Schema):
    appId: str
    timeStamp: str
    nonceStr: str
    package: str
    signType: str
    paySign: str


class PayOut(Schema):
    method: str
    out_trade_no: str
    amount: str
    code_url: str | None = Field(description="wechat_native: show it as a QR code.")
    jsapi: JsapiParams | None = Field(description="wechat_jsapi: pass to wx.requestPayment.")
    pay_by: dt.datetime


# Recurring series (docs/booking.md#series) ----------------------------------------------------


class SeriesCheckIn(InputSchema):
    service_id: Id
    start: LocalDateTime = Field(description="The first occurrence.")
    every_weeks: int = Field(1, ge=1, le=MAX_SERIES_EVERY_WEEKS)
    count: int | None = Field(
        None, ge=2, le=MAX_SERIES_OCCURRENCES, description="How many; or give `until`."
    )
    until: LocalDate | None = Field(None, description="The last local date; or give `count`.")
    staff_id: Id | None = Field(None, description="Omit for any staff member (best fit).")
    location_id: Id | None = None


class OccurrenceOut(Schema):
    start: dt.datetime
    free: bool
    staff_id: int | None = Field(description="Who would take it now (null when not free).")
    alternatives: list[SlotOut] = Field(description="When not free: the nearest free starts.")


class SeriesCheckOut(Schema):
    timezone: str
    occurrences: list[OccurrenceOut]


class SeriesIn(InputSchema):
    service_id: Id
    starts: list[LocalDateTime] = Field(
        min_length=1,
        max_length=MAX_SERIES_OCCURRENCES,
        description="The occurrences to book: the checked ones, any alternative chosen instead.",
    )
    every_weeks: int = Field(1, ge=1, le=MAX_SERIES_EVERY_WEEKS)
    staff_id: Id | None = Field(None, description="Omit for any staff member (best fit).")
    location_id: Id | None = None
    notes: text(MAX_NOTES_LENGTH) = ""
    channel: Literal["api", "miniprogram"] = "api"


class SeriesOut(Schema):
    id: str
    every_weeks: int
    local_time: str = Field(examples=["10:00"])
    timezone: str
    appointments: list[AppointmentOut]
