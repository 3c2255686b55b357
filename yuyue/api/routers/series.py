"""Recurring series: check every occurrence (with alternatives), then book the chosen ones."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from yuyue.api.auth import bearer
from yuyue.api.errors import slots_json
from yuyue.api.lookups import location_field, service_field, staff_field
from yuyue.api.presenters import appointment_out
from yuyue.api.schemas.appointments import SeriesCheckIn, SeriesCheckOut, SeriesIn, SeriesOut
from yuyue.api.schemas.common import Slug, errors
from yuyue.bookings.series import series_allowed, series_check, series_starts
from yuyue.bookings.services import series_create
from yuyue.catalog.selectors import business_or_404
from yuyue.lib.throttle import BookingPerUser
from yuyue.lib.times import aware
from yuyue.scheduling.selectors import request_zone

router = Router(tags=["series"], auth=bearer)


@router.post(
    "/businesses/{slug}/series/check",
    response={200: SeriesCheckOut, **errors(400, 401, 403, 404, 422)},
    summary="Check a recurring series",
)
def check(request: HttpRequest, slug: Slug, payload: SeriesCheckIn) -> dict:
    """Every occurrence of "every `every_weeks` weeks at the local time of `start`", for
    `count` occurrences or `until` a local date (at most 52): free or not, and when not, the
    nearest free starts to choose instead. Nothing is booked or held."""
    business = business_or_404(slug)
    service = service_field(business, payload.service_id)
    series_allowed(service=service, by_business=False)
    staff = None if payload.staff_id is None else staff_field(business, payload.staff_id)
    location = (
        None if payload.location_id is None else location_field(business, payload.location_id)
    )
    zone = request_zone(business=business, location=location)
    plan = series_starts(
        first=aware(payload.start, zone),
        zone=zone,
        every_weeks=payload.every_weeks,
        count=payload.count,
        until=payload.until,
    )
    occurrences = series_check(
        service=service, plan=plan, staff=staff, location=location, now=timezone.now()
    )
    return {
        "timezone": zone.key,
        "occurrences": [
            {
                "start": occurrence.start.astimezone(zone),
                "free": occurrence.free,
                "staff_id": None if occurrence.staff is None else occurrence.staff.id,
                "alternatives": slots_json(occurrence.alternatives, zone),
            }
            for occurrence in occurrences
        ],
    }


@router.post(
    "/businesses/{slug}/series",
    response={201: SeriesOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    throttle=[BookingPerUser()],
    summary="Book a recurring series",
)
def book_series(request: HttpRequest, slug: Slug, payload: SeriesIn) -> Status:
    """Book the chosen occurrences for the caller, all or nothing: when any cannot be taken
    now, nothing is booked and the answer is 409 `series_conflict` with each refused start's
    nearest free starts. Each occurrence is an ordinary appointment (its own reminders,
    cancellation, reschedule); cancel "this and the following" with `following`."""
    business = business_or_404(slug)
    service = service_field(business, payload.service_id)
    staff = None if payload.staff_id is None else staff_field(business, payload.staff_id)
    location = (
        None if payload.location_id is None else location_field(business, payload.location_id)
    )
    zone = request_zone(business=business, location=location, staff=staff)
    series = series_create(
        service=service,
        starts=[aware(start, zone) for start in payload.starts],
        every_weeks=payload.every_weeks,
        customer=request.auth,
        staff=staff,
        location=location,
        notes=payload.notes,
        channel=payload.channel,
    )
    appointments = series.appointments.select_related(
        "service", "business", "staff", "location", "customer", "client"
    ).order_by("start")
    return Status(
        201,
        {
            "id": series.public_id,
            "every_weeks": series.every_weeks,
            "local_time": f"{series.local_time:%H:%M}",
            "timezone": series.zone_name,
            "appointments": [appointment_out(row, viewer=request.auth) for row in appointments],
        },
    )
