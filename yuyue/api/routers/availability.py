"""Free times: what a customer chooses from."""

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Sequence

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from yuyue.api.lookups import location_field, service_field, staff_field
from yuyue.api.schemas.catalog import AvailabilityOut, AvailabilityQuery
from yuyue.api.schemas.common import Slug, errors
from yuyue.bookings.availability import Listing, availability_listing
from yuyue.catalog.selectors import business_or_404
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.engine import Slot
from yuyue.scheduling.selectors import request_zone

router = Router(tags=["availability"])
# How the API renders a datetime (django-ninja's encoder is Django's): ISO 8601, "Z" for UTC.
_datetime_text = DjangoJSONEncoder().default
# In each process, the JSON of every slot of the cached listings served lately, by stamp. A
# stamp names one cache entry, whose content never changes (a write makes a new version, so a
# new stamp): what is kept here cannot go stale, and each process renders an entry once.
_RENDERED: OrderedDict[str, list[str]] = OrderedDict()
_RENDERED_KEPT = 32


def _slot_texts(slots: Sequence[Slot], zone: dt.tzinfo) -> list[str]:
    """Each slot as json.dumps writes it (the times are ASCII, so nothing needs escaping)."""
    times: dict[dt.datetime, str] = {}  # one slot's end is often a later slot's start
    staff: dict[tuple[int, ...], str] = {}  # and many slots have the same staff

    def local(moment: dt.datetime) -> str:
        text = times.get(moment)
        if text is None:
            text = times[moment] = _datetime_text(moment.astimezone(zone))
        return text

    texts = []
    for slot in slots:
        ids = staff.get(slot.staff_ids)
        if ids is None:
            ids = staff[slot.staff_ids] = json.dumps(slot.staff_ids)
        texts.append(
            f'{{"start": "{local(slot.start)}", "end": "{local(slot.end)}", '
            f'"staff_ids": {ids}, "remaining": {slot.remaining}}}'
        )
    return texts


def _body(listing: Listing) -> str:
    """The response: what json.dumps gives for {"timezone": …, "slots": […], "opens_at": …},
    byte for byte."""
    if not listing.stamp:
        texts = _slot_texts(listing.availability().slots, listing.zone)
    else:
        rendered = _RENDERED.get(listing.stamp)
        if rendered is None:
            rendered = _RENDERED[listing.stamp] = _slot_texts(listing.entry_slots(), listing.zone)
            while len(_RENDERED) > _RENDERED_KEPT:
                _RENDERED.popitem(last=False)
        texts = rendered[listing.first :]
    opens = (
        "null"
        if listing.opens_at is None
        else f'"{_datetime_text(listing.opens_at.astimezone(listing.zone))}"'
    )
    return (
        f'{{"timezone": {json.dumps(listing.zone.key)}, "slots": [{", ".join(texts)}], '
        f'"opens_at": {opens}}}'
    )


@router.get(
    "/businesses/{slug}/availability",
    response={200: AvailabilityOut, **errors(404, 422)},
    summary="Free times of a service",
)
def availability_view(
    request: HttpRequest, slug: Slug, query: Query[AvailabilityQuery]
) -> HttpResponse:
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
    listing = availability_listing(
        service=service,
        date_from=max(query.date_from, yesterday),
        date_to=query.date_to,
        staff_id=query.staff_id,
        location=location,
    )
    # A month for fifty staff is a thousand slots and ten thousand staff ids: validated through
    # AvailabilityOut they cost several times what a cached listing does, so they are written
    # straight to JSON, in the same bytes (tests/api/test_availability.py checks both agree).
    return HttpResponse(_body(listing), content_type="application/json; charset=utf-8")
