import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from yuyue.api.schemas.catalog import BusinessRef, LocationRef, Named
from yuyue.api.schemas.common import Id, InputSchema, LocalDate, LocalDateTime, Page, line, text
from yuyue.bookings.models import MAX_NOTES_LENGTH
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


class CancelIn(InputSchema):
    reason: line(MAX_REASON_LENGTH, min_length=0) = ""


class RescheduleIn(InputSchema):
    start: LocalDateTime
    staff_id: Id | None = Field(None, description="Omit to stay with the same staff member.")
    any_staff: bool = Field(
        False, description="With no staff_id: move to whoever fits best, not only the same."
    )
    reason: line(MAX_REASON_LENGTH, min_length=0) = ""


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
    ]


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
    customer: CustomerOut | None = Field(
        description="Shown to the business's staff and owners; null for customers."
    )
    cancel_deadline: dt.datetime = Field(
        description="Until then the customer may cancel online (the service's cut-off)."
    )
    reschedule_deadline: dt.datetime
    actions: list[str] = Field(
        description="What the caller may do now, in the order of the status machine: some of "
        "cancel, reschedule, confirm, start, complete, no_show."
    )
    payment: PaymentOut
    offer_expires_at: dt.datetime | None = Field(
        description="A waitlist offer (status `offered`): until then it is held for its "
        "customer to accept (docs/waitlist.md)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime


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
