"""Availability as customers and staff see it: the staff's hours (the scheduling app) less the
appointments that hold their time (this app), so that scheduling never reads appointments.

The listing of free slots (`availability`, `availability_listing`, cached by
yuyue/scheduling/listing_cache.py), why one time is not free (`explain_time`) and what is near
a refused time (`alternatives_for`, `alternatives_near`). Who can take one start is
yuyue/bookings/taking.py's, which the explainer goes through.
"""

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from yuyue.bookings.taking import Look, explain, holding_spans, take_request
from yuyue.catalog.models import Location, Service
from yuyue.catalog.versions import new_version, version_key
from yuyue.scheduling.engine import (
    Reason,
    ServiceRules,
    Slot,
    StaffCalendar,
    find_slots,
    nearest_starts,
    next_opening,
)
from yuyue.scheduling.listing_cache import Entry, listing_key
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import (
    bookable_staff,
    calendars_of,
    request_zone,
    service_rules,
    staff_hours_around,
)

ALTERNATIVES = 3
# How far around the refused time to look for alternatives, in days each way.
ALTERNATIVES_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Availability:
    zone: zoneinfo.ZoneInfo
    slots: list[Slot]
    # The days (local to `zone`) on which at least one of the staff asked about works at all:
    # a day without slots outside this set is closed (a day off), not fully booked.
    working_days: frozenset[dt.date] = frozenset()
    # When the first day asked that is not open yet opens (放号), if any: "opens 12-08 08:00".
    opens_at: dt.datetime | None = None


def _working_days(
    calendars: Sequence[StaffCalendar], date_from: dt.date, date_to: dt.date
) -> frozenset[dt.date]:
    days = set()
    day = date_from
    while day <= date_to:
        for calendar in calendars:
            hours = calendar.overrides.get(day)
            if hours is None:
                hours = calendar.weekly.get(day.weekday())
            if hours:
                days.add(day)
                break
        day += dt.timedelta(days=1)
    return frozenset(days)


def staff_calendars(
    *,
    staff: Sequence[StaffMember],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> list[StaffCalendar]:
    """Hours, overrides and holding appointments of these staff around [start, end): 3 queries."""
    ids = [member.id for member in staff]
    if not ids:
        return []
    hours = staff_hours_around(staff_ids=ids, start=start, end=end)
    busy = holding_spans(
        staff_ids=ids, start=start, end=end, exclude_appointment_id=exclude_appointment_id
    )
    return calendars_of(staff=staff, hours=hours, busy=busy)


def availability(
    *,
    service: Service,
    date_from: dt.date,
    date_to: dt.date,
    staff_id: int | None = None,
    location: Location | None = None,
    now: dt.datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> Availability:
    """Free slots of a service: 4 queries whatever the number of staff or days, or none when
    the shared cache holds the listing (yuyue/scheduling/listing_cache.py).

    `service` must come with its business (select_related) and `location`, if any, must be of
    the same business; the caller resolves both from the request. `exclude_appointment_id`
    leaves one appointment's own time free, for showing where it could move to.
    """
    return availability_listing(
        service=service,
        date_from=date_from,
        date_to=date_to,
        staff_id=staff_id,
        location=location,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    ).availability()


@dataclass(frozen=True)
class Listing:
    """What `availability` returns, before its slots are built: a cached listing stays in its
    compact form until asked, so the API can serve one it has already rendered (by `stamp`)
    without building a thousand slots again."""

    zone: zoneinfo.ZoneInfo
    # Names the cache entry the slots come from: one stamp, one content (the entry's key and
    # its random ident). Empty when the cache was not used.
    stamp: str = ""
    # The entry's first slot still offered at the request's `now`.
    first: int = 0
    entry: Entry | None = None
    rules: ServiceRules | None = None
    # Slots just computed (a miss, or the cache not used), so not built again from the entry.
    computed: Availability | None = None
    # See Availability.opens_at; computed from the rules and `now`, never cached.
    opens_at: dt.datetime | None = None

    def availability(self) -> Availability:
        if self.computed is not None:
            return replace(self.computed, opens_at=self.opens_at)
        if self.entry is None or self.rules is None:
            return Availability(zone=self.zone, slots=[], opens_at=self.opens_at)
        return Availability(
            zone=self.zone,
            slots=self.entry.slots(first=self.first, rules=self.rules),
            working_days=self.entry.days(),
            opens_at=self.opens_at,
        )

    def entry_slots(self) -> list[Slot]:
        """Every slot of the cache entry, from its first (index 0) on: `first` says where the
        request's own begin."""
        if self.computed is not None:
            # Just computed: these are the entry's slots, all of them (`first` is 0).
            return self.computed.slots
        if self.entry is None or self.rules is None:
            return []
        return self.entry.slots(first=0, rules=self.rules)


def availability_listing(
    *,
    service: Service,
    date_from: dt.date,
    date_to: dt.date,
    staff_id: int | None = None,
    location: Location | None = None,
    now: dt.datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> Listing:
    """`availability`, its slots not built yet (see `Listing`)."""
    now = now or timezone.now()
    zone = request_zone(business=service.business, location=location)
    # Nothing past the horizon can be offered, so never load it.
    horizon = now.astimezone(zone).date() + dt.timedelta(days=service.max_days_ahead + 1)
    date_to = min(date_to, horizon)
    if date_to < date_from:
        return Listing(zone=zone)
    rules = service_rules(service)
    # Pure arithmetic on the rules: costs nothing per slot, and is never stale in a cache.
    opens_at = next_opening(rules=rules, zone=zone, now=now, date_from=date_from, date_to=date_to)

    def compute() -> tuple[Availability, set[dt.tzinfo]]:
        return _compute_availability(
            service=service,
            rules=rules,
            zone=zone,
            date_from=date_from,
            date_to=date_to,
            staff_id=staff_id,
            location=location,
            now=now,
            exclude_appointment_id=exclude_appointment_id,
        )

    seconds = settings.AVAILABILITY_CACHE_SECONDS
    # Inside a transaction the rows read may be its own writes, not committed (and perhaps
    # never): only what every reader can see is cached. Tests that run in a transaction
    # therefore never meet the cache (tests/scheduling/test_availability_cache.py commits).
    if not seconds or connection.in_atomic_block:
        return Listing(zone=zone, computed=compute()[0], opens_at=opens_at)
    business_id = service.business_id
    key = listing_key(
        business_id=business_id,
        rules=rules,
        zone=zone,
        date_from=date_from,
        date_to=date_to,
        staff_id=staff_id,
        location_id=None if location is None else location.id,
        exclude_appointment_id=exclude_appointment_id,
    )
    # The version and the listing in one round trip.
    found = cache.get_many([version_key(business_id), key])
    version = found.get(version_key(business_id))
    entry = Entry.unpack(found.get(key))
    computed = None
    if entry is None or not entry.answers(version=version, now=now):
        if version is None:
            version = new_version(business_id)
        # The version is read before the rows: a write committing meanwhile bumps it after,
        # so what is stored below is never taken for newer than it is.
        computed, zones = compute()
        if not version:
            return Listing(zone=zone, computed=computed, opens_at=opens_at)
        entry = Entry.of(
            version=version,
            now=now,
            zones=zones,
            slots=computed.slots,
            working_days=computed.working_days,
            rules=rules,
        )
        cache.set(key, entry.pack(), seconds)
    return Listing(
        zone=zone,
        stamp=f"{key}:{entry.ident}",
        first=entry.first_offered(now=now, rules=rules),
        entry=entry,
        rules=rules,
        computed=computed,
        opens_at=opens_at,
    )


def _compute_availability(
    *,
    service: Service,
    rules: ServiceRules,
    zone: zoneinfo.ZoneInfo,
    date_from: dt.date,
    date_to: dt.date,
    staff_id: int | None,
    location: Location | None,
    now: dt.datetime,
    exclude_appointment_id: int | None,
) -> tuple[Availability, set[dt.tzinfo]]:
    """The listing, from the database (4 queries), and the zones whose local dates it hangs on:
    the request's and every staff member's."""
    staff = list(
        bookable_staff(
            service=service,
            staff_ids=None if staff_id is None else [staff_id],
            location_id=None if location is None else location.id,
        )
    )
    window_start = dt.datetime.combine(date_from, dt.time(), tzinfo=zone)
    window_end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    calendars = staff_calendars(
        staff=staff,
        start=window_start,
        end=window_end,
        exclude_appointment_id=exclude_appointment_id,
    )
    slots = find_slots(
        calendars=calendars,
        rules=rules,
        date_from=date_from,
        date_to=date_to,
        now=now,
        zone=zone,
    )
    result = Availability(
        zone=zone, slots=slots, working_days=_working_days(calendars, date_from, date_to)
    )
    return result, {zone, *(calendar.zone for calendar in calendars)}


def explain_time(
    *, service: Service, staff: StaffMember, start: dt.datetime, now: dt.datetime | None = None
) -> list[Reason]:
    """Why `start` is not a free time of `service` with `staff` for a customer (empty: it is),
    decided as a booking decides it: 3 queries."""
    request = take_request(
        service=service,
        start=start,
        now=now or timezone.now(),
        zone=request_zone(business=service.business, staff=staff),
        candidates=[staff],
    )
    return explain(request, staff)


def alternatives_for(
    *,
    service: Service,
    start: dt.datetime,
    staff: StaffMember | None = None,
    location: Location | None = None,
    now: dt.datetime | None = None,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """The free starts nearest to a refused one, for the same staff (or any) and location."""
    now = now if now is not None else timezone.now()
    zone = request_zone(business=service.business, location=location)
    day = start.astimezone(zone).date()
    window = dt.timedelta(days=ALTERNATIVES_WINDOW_DAYS)
    candidates = list(
        bookable_staff(
            service=service,
            staff_ids=None if staff is None else [staff.id],
            location_id=None if location is None else location.id,
        )
    )
    calendars = staff_calendars(
        staff=candidates,
        start=start - window,
        end=start + window,
        exclude_appointment_id=exclude_appointment_id,
    )
    slots = find_slots(
        calendars=calendars,
        rules=service_rules(service),
        date_from=day - window,
        date_to=day + window,
        now=now,
        zone=zone,
    )
    return nearest_starts([s for s in slots if s.start != start], start, ALTERNATIVES)


def alternatives_near(
    *,
    look: Look | None,
    service: Service,
    start: dt.datetime,
    staff: StaffMember | None,
    location: Location | None,
    now: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> list[Slot]:
    """What `alternatives_for` gives, from the calendars the refusal already read when the
    nearest free starts lie on the asked day.

    Every start outside that day is at least as far from `start` as the day's nearer edge,
    so when the day holds ALTERNATIVES starts strictly nearer than that, the wider search
    could only find the same ones. Otherwise (a full day, a refusal by the database) it runs.
    """
    if look is not None:
        around = look.around
        slots = find_slots(
            calendars=look.calendars,
            rules=service_rules(service),
            date_from=around.day,
            date_to=around.day,
            now=now,
            zone=around.zone,
        )
        nearest = nearest_starts([s for s in slots if s.start != start], start, ALTERNATIVES)
        reach = min(start - around.day_start, around.day_end - start)
        if len(nearest) == ALTERNATIVES and all(abs(s.start - start) < reach for s in nearest):
            return nearest
    return alternatives_for(
        service=service,
        start=start,
        staff=staff,
        location=location,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )
