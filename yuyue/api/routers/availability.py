"""Free times: what a customer chooses from."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from yuyue.api.errors import slot_out
from yuyue.api.lookups import location_field, service_field, staff_field
from yuyue.api.schemas.catalog import AvailabilityOut, AvailabilityQuery
from yuyue.api.schemas.common import Slug, errors
from yuyue.catalog.selectors import business_or_404
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.selectors import availability, request_zone

router = Router(tags=["availability"])


@router.get(
    "/businesses/{slug}/availability",
    response={200: AvailabilityOut, **errors(404, 422)},
    summary="Free times of a service",
)
def availability_view(request: HttpRequest, slug: Slug, query: Query[AvailabilityQuery]) -> dict:
    """Free starts between two local dates (date_to inclusive, at most 62 days), for any staff
    member or one, at any location or one. Full slots are left out; `remaining` counts the
    seats still free. Slots are shown in `timezone`, the location's or the business's."""
    business = business_or_404(slug)
    service = service_field(business, query.service_id)
    if not service.active:
        raise InvalidInput({"service_id": [_("This service is not available for booking.")]})
    location = None if query.location_id is None else location_field(business, query.location_id)
    if query.staff_id is not None:
        staff_field(business, query.staff_id)
    zone = request_zone(business=service.business, location=location)
    # Past starts are never offered, so a range reaching far back can start yesterday: that
    # keeps the calendar arithmetic away from year 1.
    yesterday = timezone.now().astimezone(zone).date() - dt.timedelta(days=1)
    result = availability(
        service=service,
        date_from=max(query.date_from, yesterday),
        date_to=query.date_to,
        staff_id=query.staff_id,
        location=location,
    )
    return {
        "timezone": result.zone.key,
        "slots": [slot_out(slot, result.zone) for slot in result.slots],
    }
