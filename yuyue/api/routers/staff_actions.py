"""Running the day: the status changes staff and owners make."""

from collections.abc import Callable

from django.http import HttpRequest
from ninja import Router
from ninja.errors import Throttled

from yuyue.api.auth import bearer
from yuyue.api.lookups import appointment_or_404
from yuyue.api.presenters import appointment_out
from yuyue.api.schemas.appointments import AppointmentOut, CheckInIn
from yuyue.api.schemas.common import AppointmentId, Slug, errors
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import (
    appointment_check_in,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_start,
)
from yuyue.catalog.selectors import business_or_404
from yuyue.lib.errors import RateLimited

router = Router(tags=["staff"], auth=bearer)


def _act(request: HttpRequest, public_id: str, action: Callable[..., Appointment]) -> dict:
    # The customer sees their own appointment, so for them a refusal is 403; for everyone
    # else the appointment does not exist (404), before any right is checked.
    appointment = appointment_or_404(request.auth, public_id)
    changed = action(appointment=appointment, actor=request.auth)
    return appointment_out(changed, viewer=request.auth)


_ACTION_ERRORS = errors(401, 403, 404, 409, 422)


@router.post(
    "/appointments/{id}/confirm",
    response={200: AppointmentOut, **_ACTION_ERRORS},
    summary="Confirm a pending appointment",
)
def confirm(request: HttpRequest, id: AppointmentId) -> dict:
    return _act(request, id, appointment_confirm)


@router.post(
    "/appointments/{id}/start",
    response={200: AppointmentOut, **_ACTION_ERRORS},
    summary="Start a confirmed appointment (the customer arrived)",
)
def start(request: HttpRequest, id: AppointmentId) -> dict:
    return _act(request, id, appointment_start)


@router.post(
    "/appointments/{id}/complete",
    response={200: AppointmentOut, **_ACTION_ERRORS},
    summary="Complete an appointment in progress",
)
def complete(request: HttpRequest, id: AppointmentId) -> dict:
    return _act(request, id, appointment_complete)


@router.post(
    "/appointments/{id}/no-show",
    response={200: AppointmentOut, **_ACTION_ERRORS},
    summary="Mark a confirmed appointment a no-show (after its start)",
)
def no_show(request: HttpRequest, id: AppointmentId) -> dict:
    return _act(request, id, appointment_mark_no_show)


@router.post(
    "/businesses/{slug}/check-in",
    response={200: AppointmentOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    summary="Check a customer in with their code (核销)",
)
def check_in(request: HttpRequest, slug: Slug, payload: CheckInIn) -> dict:
    """Staff and owners of the business: the confirmed appointment the code names starts, from
    an hour before its start until its end. 404 `checkin_code_unknown` for a code that names
    nothing here (wrong codes are limited per staff member: 429 with `Retry-After`); 409
    `checkin_refused` says why one cannot start now (too early or over, awaiting payment, not
    confirmed, already started, finished, cancelled), with `details.appointment_id`."""
    business = business_or_404(slug)
    try:
        started = appointment_check_in(business=business, code=payload.code, actor=request.auth)
    except RateLimited as error:
        raise Throttled(wait=error.wait) from None
    return appointment_out(started, viewer=request.auth)
