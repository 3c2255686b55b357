"""Recurring series (docs/booking.md#series): the starts of "every N weeks on the same weekday
and local time", and what each of them meets before anything is booked.

The starts keep the wall-clock time in the zone of the request (the location's, else the
business's): across a DST change the local time stays and the UTC instant moves. Each
occurrence is checked on its own through the one path (yuyue/bookings/taking.py), as its
booking will be; the writes are `series_create` and `series_cancel` in services.py.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yuyue.bookings.availability import alternatives_near
from yuyue.bookings.errors import InvalidInput, NotAllowed
from yuyue.bookings.models import MAX_SERIES_EVERY_WEEKS, MAX_SERIES_OCCURRENCES
from yuyue.bookings.taking import rank, take_request, who_can_take
from yuyue.catalog.models import Location, Service
from yuyue.scheduling.engine import Slot, wall_to_instant
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import bookable_staff, request_zone


@dataclass(frozen=True)
class SeriesPlan:
    """How a series is asked for: the first start and the rhythm, in the request's zone."""

    zone: zoneinfo.ZoneInfo
    starts: tuple[dt.datetime, ...]
    every_weeks: int
    local_time: dt.time


def series_starts(
    *,
    first: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    every_weeks: int,
    count: int | None = None,
    until: dt.date | None = None,
) -> SeriesPlan:
    """The occurrences: `first`, then every `every_weeks` weeks at the same local time, for
    `count` occurrences or until the local date `until` (inclusive), at most
    MAX_SERIES_OCCURRENCES. A wall time skipped by a clock change starts at the first instant
    after the gap (the rule of working hours, docs/availability.md#dst)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= every_weeks <= MAX_SERIES_EVERY_WEEKS:
        errors["every_weeks"] = [_("Every 1 to %(n)d weeks.") % {"n": MAX_SERIES_EVERY_WEEKS}]
    if (count is None) == (until is None):
        errors["count"] = [_("Give either a number of occurrences or a last date.")]
    elif count is not None and not 2 <= count <= MAX_SERIES_OCCURRENCES:
        errors["count"] = [
            _("A series has 2 to %(n)d occurrences.") % {"n": MAX_SERIES_OCCURRENCES}
        ]
    local = first.astimezone(zone)
    if until is not None and until <= local.date():
        errors["until"] = [_("The last date comes after the first occurrence.")]
    if errors:
        raise InvalidInput(errors)
    minute = local.hour * 60 + local.minute
    step = dt.timedelta(weeks=every_weeks)
    starts: list[dt.datetime] = []
    day = local.date()
    while True:
        if count is not None and len(starts) == count:
            break
        if until is not None and day > until:
            break
        if len(starts) == MAX_SERIES_OCCURRENCES:
            message = _("A series has at most %(n)d occurrences.") % {"n": MAX_SERIES_OCCURRENCES}
            raise InvalidInput({"until": [message]})
        starts.append(first if day == local.date() else wall_to_instant(day, minute, zone))
        day += step
    return SeriesPlan(
        zone=zone, starts=tuple(starts), every_weeks=every_weeks, local_time=local.time()
    )


@dataclass(frozen=True)
class Occurrence:
    """One start of a plan: free (and with whom), or not, with the nearest free starts."""

    start: dt.datetime
    staff: StaffMember | None
    alternatives: tuple[Slot, ...] = ()

    @property
    def free(self) -> bool:
        return self.staff is not None


def series_allowed(*, service: Service, by_business: bool) -> None:
    """A series of this service may be booked: the service allows it, and customers booking
    for themselves only where the business lets them (docs/booking.md#series)."""
    if not service.allows_series:
        raise InvalidInput({"service_id": [_("This service is not booked as a series.")]})
    if not by_business and not service.business.customers_book_series:
        raise NotAllowed(_("This business takes series bookings by phone or at the desk."))


def series_check(
    *,
    service: Service,
    plan: SeriesPlan,
    staff: StaffMember | None,
    location: Location | None,
    now: dt.datetime,
    staff_override: bool = False,
) -> list[Occurrence]:
    """Each start as its booking would decide it now (without locks: the booking decides
    again under them), with alternatives for those that cannot be taken: a few queries per
    occurrence, at most MAX_SERIES_OCCURRENCES of them."""
    candidates = (
        [staff]
        if staff is not None
        else list(
            bookable_staff(service=service, location_id=None if location is None else location.id)
        )
    )
    zone = request_zone(business=service.business, location=location)
    result = []
    for start in plan.starts:
        request = take_request(
            service=service,
            start=start,
            now=now,
            zone=zone,
            candidates=candidates,
            staff_override=staff_override,
        )
        if len(candidates) > 1:
            ranking = rank(request)
            chosen, look = ranking.best, ranking.look
        else:
            chosen, look = who_can_take(request, candidates, request.busy(candidates))
        if chosen is not None:
            result.append(Occurrence(start=start, staff=chosen))
            continue
        found = alternatives_near(
            look=look, service=service, start=start, staff=staff, location=location, now=now
        )
        result.append(Occurrence(start=start, staff=None, alternatives=tuple(found)))
    return result
