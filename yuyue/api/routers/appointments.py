"""Appointments: customers book, list, read, cancel and reschedule; staff list the business's."""

from decimal import Decimal

import segno
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from yuyue.api.auth import bearer
from yuyue.api.lookups import (
    appointment_or_404,
    location_field,
    require_member,
    service_field,
    staff_field,
)
from yuyue.api.presenters import appointment_out
from yuyue.api.schemas.appointments import (
    AppointmentOut,
    AppointmentPage,
    AppointmentQuery,
    BookingIn,
    BusinessAppointmentQuery,
    CancelIn,
    CheckInQrOut,
    RescheduleIn,
)
from yuyue.api.schemas.common import AppointmentId, PageIn, Slug, errors, page_of
from yuyue.bookings.models import MAX_IDEMPOTENCY_KEY_LENGTH, Appointment
from yuyue.bookings.permissions import appointment_permissions
from yuyue.bookings.selectors import appointments_of_business, appointments_of_customer
from yuyue.bookings.services import (
    appointment_create,
    appointment_reschedule,
    series_cancel,
    series_reschedule,
)
from yuyue.cards.selectors import card_for
from yuyue.cards.services import card_booking_create
from yuyue.catalog.selectors import business_or_404, business_roles
from yuyue.lib.errors import InvalidInput
from yuyue.lib.throttle import BookingPerUser
from yuyue.lib.times import aware
from yuyue.payments.selectors import require_refund_as_shown
from yuyue.scheduling.selectors import request_zone

router = Router(tags=["appointments"], auth=bearer)

IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern=r"^[\x21-\x7e]+$",
    description="Retrying with the same key returns the first booking, never a second.",
)


def present(request: HttpRequest, appointment: Appointment) -> dict:
    return appointment_out(appointment, viewer=request.auth)


@router.post(
    "/businesses/{slug}/appointments",
    response={201: AppointmentOut, **errors(400, 401, 404, 409, 422, 429)},
    throttle=[BookingPerUser()],
    summary="Book a time",
)
def book(
    request: HttpRequest,
    slug: Slug,
    payload: BookingIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Status:
    """Book `service_id` at `start` (from the availability list). Without `staff_id` the
    best-fitting free staff member is chosen. A taken or unbookable time is 409
    `slot_unavailable` with up to three nearest free `alternatives`. Services that require
    confirmation start `pending`, the others `confirmed`."""
    business = business_or_404(slug)
    service = service_field(business, payload.service_id)
    staff = None if payload.staff_id is None else staff_field(business, payload.staff_id)
    location = (
        None if payload.location_id is None else location_field(business, payload.location_id)
    )
    start = aware(payload.start, request_zone(business=business, location=location, staff=staff))
    if payload.card_id is not None:
        card = card_for(user=request.auth, public_id=payload.card_id)
        if card is None or card.customer.user_id != request.auth.pk:
            raise InvalidInput({"card_id": [_("No such card of yours.")]})
        appointment = card_booking_create(
            card=card,
            actor=request.auth,
            service=service,
            start=start,
            staff=staff,
            location=location,
            notes=payload.notes,
            channel=payload.channel,
            idempotency_key=idempotency_key,
        )
        return Status(201, present(request, appointment))
    appointment = appointment_create(
        service=service,
        customer=request.auth,
        start=start,
        staff=staff,
        location=location,
        notes=payload.notes,
        channel=payload.channel,
        idempotency_key=idempotency_key,
    )
    return Status(201, present(request, appointment))


@router.get(
    "/businesses/{slug}/appointments",
    response={200: AppointmentPage, **errors(401, 403, 404, 422)},
    summary="A business's appointments (its staff and owners)",
)
def business_appointments(
    request: HttpRequest, slug: Slug, query: Query[BusinessAppointmentQuery], page: Query[PageIn]
) -> dict:
    """Filter by local dates, staff member and status; for a day view pass the same date
    twice. Anyone who is not staff or owner of the business gets 403."""
    business = business_or_404(slug)
    require_member(request.auth, business)
    appointments = appointments_of_business(
        business=business,
        status=query.status,
        staff_id=query.staff_id,
        date_from=query.date_from,
        date_to=query.date_to,
        newest_first=query.order == "-start",
    ).select_related("payment_account")
    roles = business_roles(user=request.auth)
    return page_of(
        appointments, page, lambda row: appointment_out(row, viewer=request.auth, roles=roles)
    )


@router.get(
    "/appointments",
    response={200: AppointmentPage, **errors(401, 422)},
    summary="My appointments",
)
def my_appointments(
    request: HttpRequest, query: Query[AppointmentQuery], page: Query[PageIn]
) -> dict:
    """The caller's own bookings at every business; dates are local to each appointment."""
    appointments = appointments_of_customer(
        customer=request.auth,
        status=query.status,
        date_from=query.date_from,
        date_to=query.date_to,
        newest_first=query.order == "-start",
    ).select_related("payment_account")
    roles = business_roles(user=request.auth)
    return page_of(
        appointments,
        page,
        lambda row: appointment_out(row, viewer=request.auth, roles=roles),
    )


@router.get(
    "/appointments/{id}",
    response={200: AppointmentOut, **errors(401, 404, 422)},
    summary="One appointment",
)
def appointment_detail(request: HttpRequest, id: AppointmentId) -> dict:
    """For its customer, and for staff and owners of its business; 404 for anyone else."""
    return present(request, appointment_or_404(request.auth, id))


@router.post(
    "/appointments/{id}/cancel",
    response={200: AppointmentOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Cancel",
)
def cancel(request: HttpRequest, id: AppointmentId, payload: CancelIn | None = None) -> dict:
    """Customers may cancel their own pending or confirmed appointments until
    `cancel_deadline` (the service's cut-off; the start for one paid online, which after the
    cut-off keeps the deposit: show `payment.refund_if_cancelled_now` first; later is 409
    `cutoff_passed`); staff and owners at any time. With `following`, an occurrence of a
    series is cancelled with every later one, all or nothing; the answer is the appointment
    asked about. With `refund_shown`, nothing is cancelled when what would come back is no
    longer that amount (409 `refund_changed`: read the appointment again)."""
    appointment = appointment_or_404(request.auth, id)
    reason = payload.reason if payload is not None else ""
    following = payload.following if payload is not None else False
    if payload is not None and payload.refund_shown is not None:
        require_refund_as_shown(
            appointment=appointment,
            permissions=appointment_permissions(appointment=appointment, actor=request.auth),
            shown=Decimal(payload.refund_shown),
        )
    cancelled = series_cancel(
        appointment=appointment, actor=request.auth, reason=reason, following=following
    )
    return present(request, cancelled[0])


@router.post(
    "/appointments/{id}/reschedule",
    response={200: AppointmentOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Move to another time",
)
def reschedule(request: HttpRequest, id: AppointmentId, payload: RescheduleIn) -> dict:
    """The new time is taken and the old one released at once, or nothing changes (409 with
    alternatives). Without `staff_id` the appointment stays with its staff member unless
    `any_staff` is true. A customer's move of a service that requires confirmation makes the
    appointment pending again. With `following`, an occurrence of a series moves with every
    later one (the same shift in local days, the same new local time), all or nothing (409
    `series_conflict`); the answer is the appointment asked about."""
    appointment = appointment_or_404(request.auth, id)
    staff = (
        None if payload.staff_id is None else staff_field(appointment.business, payload.staff_id)
    )
    zone = (
        request_zone(business=appointment.business, staff=staff)
        if staff is not None
        else appointment.zone
    )
    start = aware(payload.start, zone)
    if payload.following:
        moved = series_reschedule(
            appointment=appointment,
            actor=request.auth,
            start=start,
            staff=staff,
            following=True,
            reason=payload.reason,
        )[0]
    else:
        moved = appointment_reschedule(
            appointment=appointment,
            actor=request.auth,
            start=start,
            staff=staff,
            any_staff=payload.any_staff,
            reason=payload.reason,
        )
    return present(request, moved)


@router.get(
    "/appointments/{id}/checkin-qr",
    response={200: CheckInQrOut, **errors(401, 404, 422)},
    summary="My check-in code as a QR code image",
)
def checkin_qr(request: HttpRequest, id: AppointmentId) -> dict:
    """For the appointment's customer, while the code can be used (`checkin_code` is not
    null): the code and its QR code as a PNG `data:` URI that an image can show at once (the
    mini program draws nothing itself). 404 for anyone else, and when there is no code to show.
    """
    appointment = appointment_or_404(request.auth, id)
    code = appointment.usable_checkin_code
    if code is None or appointment.customer_id != request.auth.pk:
        raise Http404
    return {"code": code, "png": segno.make(code, error="m").png_data_uri(scale=10, border=2)}
