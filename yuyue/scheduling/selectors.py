"""Loads what the availability engine needs, in a fixed number of queries, and calls it."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from yuyue.bookings.models import HOLDING_STATUSES, Appointment
from yuyue.catalog.models import Business, Location, Service
from yuyue.catalog.versions import new_version, version_key
from yuyue.lib.epoch import EpochMicroseconds
from yuyue.scheduling.engine import (
    Busy,
    Reason,
    ServiceRules,
    Slot,
    StaffCalendar,
    explain_start,
    find_slots,
)
from yuyue.scheduling.hours import WEEKDAY_KEYS
from yuyue.scheduling.listing_cache import Entry, listing_key
from yuyue.scheduling.models import (
    CalendarFeed,
    DateOverride,
    StaffMember,
    WorkingInterval,
    feed_key_hash,
    minute_label,
)

# Staff may sit in other zones than the request's; loading a day more on each side covers any
# offset difference (at most 26 hours between two IANA zones).
_PAD = dt.timedelta(days=2)


@dataclass(frozen=True)
class Availability:
    zone: zoneinfo.ZoneInfo
    slots: list[Slot]
    # The days (local to `zone`) on which at least one of the staff asked about works at all:
    # a day without slots outside this set is closed (a day off), not fully booked.
    working_days: frozenset[dt.date] = frozenset()


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


def service_rules(service: Service) -> ServiceRules:
    return ServiceRules(
        service_id=service.id,
        duration=dt.timedelta(minutes=service.duration_minutes),
        buffer_before=dt.timedelta(minutes=service.buffer_before_minutes),
        buffer_after=dt.timedelta(minutes=service.buffer_after_minutes),
        capacity=service.capacity,
        interval=(
            dt.timedelta(minutes=service.slot_interval_minutes)
            if service.slot_interval_minutes
            else None
        ),
        min_notice=dt.timedelta(minutes=service.min_notice_minutes),
        max_days_ahead=service.max_days_ahead,
    )


def bookable_staff(
    *, service: Service, staff_ids: Sequence[int] | None = None, location_id: int | None = None
):
    """Active staff of the service's business who offer it (a queryset, not yet evaluated)."""
    qs = StaffMember.objects.filter(
        business_id=service.business_id, active=True, services=service
    ).select_related("location", "business")
    if staff_ids is not None:
        qs = qs.filter(id__in=staff_ids)
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    return qs.order_by("id")


# Weekly hours and date overrides, as staff_hours returns them.
Hours = tuple[dict[int, dict[int, list[tuple[int, int]]]], dict[int, dict[dt.date, list]]]


def staff_hours(*, staff_ids: Sequence[int], date_from: dt.date, date_to: dt.date) -> Hours:
    """Weekly hours and the date overrides in [date_from, date_to] of these staff: 2 queries.

    Returns ({staff_id: {weekday: [(start_minute, end_minute)]}},
    {staff_id: {date: [(start_minute, end_minute)]}}), local wall-clock minutes.
    """
    weekly: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    # No ORDER BY (the models' default ordering): building it costs Django more than reading
    # the rows costs the database, on every booking. The few intervals of a day are sorted here.
    for staff_id, weekday, s, e in (
        WorkingInterval.objects.filter(staff_id__in=staff_ids)
        .order_by()
        .values_list("staff_id", "weekday", "start_minute", "end_minute")
    ):
        weekly[staff_id][weekday].append((s, e))
    overrides: dict[int, dict[dt.date, list[tuple[int, int]]]] = defaultdict(dict)
    for staff_id, day, intervals in (
        DateOverride.objects.filter(staff_id__in=staff_ids, date__range=(date_from, date_to))
        .order_by()
        .values_list("staff_id", "date", "intervals")
    ):
        overrides[staff_id][day] = [(int(s), int(e)) for s, e in intervals]
    by_staff = {
        staff_id: {weekday: sorted(spans) for weekday, spans in days.items()}
        for staff_id, days in weekly.items()
    }
    return by_staff, dict(overrides)


def staff_hours_around(*, staff_ids: Sequence[int], start: dt.datetime, end: dt.datetime) -> Hours:
    """Weekly hours and the date overrides these staff need around [start, end): 2 queries."""
    return staff_hours(
        staff_ids=staff_ids, date_from=(start - _PAD).date(), date_to=(end + _PAD).date()
    )


def _holding(
    staff_ids: Sequence[int],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment_id: int | None,
) -> QuerySet[Appointment]:
    # Both sides bounded, so the (staff, occupied_end) index skips the history before the
    # window: the cost follows the window asked for, not the appointments kept.
    holding = Appointment.objects.filter(
        staff_id__in=staff_ids,
        status__in=HOLDING_STATUSES,
        occupied_end__gt=start - _PAD,
        occupied_start__lt=end + _PAD,
    )
    if exclude_appointment_id is not None:
        holding = holding.exclude(id=exclude_appointment_id)
    return holding


def holding_spans(
    *,
    staff_ids: Sequence[int],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment_id: int | None = None,
) -> dict[int, list[tuple[int, int, int]]]:
    """The holding appointments of these staff around [start, end) as integers, (occupied
    start, occupied end, service id) in epoch microseconds: 1 query."""
    holding = _holding(staff_ids, start, end, exclude_appointment_id)
    busy: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    # Integers straight from SQL: no datetime parsed per row (the engine works in
    # microseconds).
    for staff_id, occ_start, occ_end, service_id in (
        holding.order_by()
        .annotate(lo=EpochMicroseconds("occupied_start"), hi=EpochMicroseconds("occupied_end"))
        .values_list("staff_id", "lo", "hi", "service_id")
    ):
        busy[staff_id].append((occ_start, occ_end, service_id))
    return busy


def calendars_of(
    *,
    staff: Sequence[StaffMember],
    hours: Hours,
    busy: dict[int, list[tuple[int, int, int]]],
    named: dict[int, list[Busy]] | None = None,
) -> list[StaffCalendar]:
    """The engine's calendars from what staff_hours_around and holding_spans read."""
    weekly, overrides = hours
    return [
        StaffCalendar(
            staff_id=member.id,
            zone=member.zone,
            weekly=weekly.get(member.id, {}),
            overrides=overrides.get(member.id, {}),
            busy=named.get(member.id, []) if named else [],
            busy_us=busy.get(member.id, []),
        )
        for member in staff
    ]


def staff_calendars(
    *,
    staff: Sequence[StaffMember],
    start: dt.datetime,
    end: dt.datetime,
    exclude_appointment_id: int | None = None,
    with_ids: bool = False,
) -> list[StaffCalendar]:
    """Hours, overrides and holding appointments of these staff around [start, end): 3 queries.

    `with_ids` reads each holding span with its appointment (for the explainer); otherwise the
    spans come as integers, which is all the availability engine needs.
    """
    ids = [member.id for member in staff]
    if not ids:
        return []
    hours = staff_hours_around(staff_ids=ids, start=start, end=end)
    if not with_ids:
        busy = holding_spans(
            staff_ids=ids, start=start, end=end, exclude_appointment_id=exclude_appointment_id
        )
        return calendars_of(staff=staff, hours=hours, busy=busy)
    holding = _holding(ids, start, end, exclude_appointment_id)
    # Which appointment holds each span, to explain a refusal in words: datetimes.
    named: dict[int, list[Busy]] = defaultdict(list)
    for staff_id, occ_start, occ_end, service_id, appointment_id in holding.values_list(
        "staff_id", "occupied_start", "occupied_end", "service_id", "id"
    ):
        named[staff_id].append(
            Busy(start=occ_start, end=occ_end, service_id=service_id, appointment_id=appointment_id)
        )
    return calendars_of(staff=staff, hours=hours, busy={}, named=named)


def request_zone(
    *, business: Business, location: Location | None = None, staff: StaffMember | None = None
) -> zoneinfo.ZoneInfo:
    """The zone of a request's dates and of times given without an offset: the location's
    (named, else the named staff member's), else the business's. The one rule for requests."""
    place = location if location is not None else (staff.location if staff else None)
    return place.zone if place is not None else business.zone


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

    def availability(self) -> Availability:
        if self.computed is not None:
            return self.computed
        if self.entry is None or self.rules is None:
            return Availability(zone=self.zone, slots=[])
        return Availability(
            zone=self.zone,
            slots=self.entry.slots(first=self.first, rules=self.rules),
            working_days=self.entry.days(),
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
        return Listing(zone=zone, computed=compute()[0])
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
            return Listing(zone=zone, computed=computed)
        entry = Entry.of(
            version=version,
            now=now,
            zones=zones,
            slots=computed.slots,
            working_days=computed.working_days,
        )
        cache.set(key, entry.pack(), seconds)
    return Listing(
        zone=zone,
        stamp=f"{key}:{entry.ident}",
        first=entry.first_offered(now=now, rules=rules),
        entry=entry,
        rules=rules,
        computed=computed,
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


def business_staff(
    *, business: Business, service_id: int | None = None, include_inactive: bool = False
) -> QuerySet[StaffMember]:
    """The business's staff with their services; customers see the active ones."""
    staff = StaffMember.objects.filter(business=business).select_related(
        "user", "location", "business"
    )
    if not include_inactive:
        staff = staff.filter(active=True)
    if service_id is not None:
        staff = staff.filter(services__id=service_id)
    return staff.prefetch_related("services").order_by("name", "id").distinct()


def staff_weekly_hours(*, staff: StaffMember) -> dict[str, list[list[str]]]:
    """The weekly schedule in the form clients send it: {"mon": [["09:00", "12:00"]], ...}."""
    hours: dict[str, list[list[str]]] = {key: [] for key in WEEKDAY_KEYS}
    for weekday, start, end in (
        WorkingInterval.objects.filter(staff=staff)
        .order_by("weekday", "start_minute")
        .values_list("weekday", "start_minute", "end_minute")
    ):
        hours[WEEKDAY_KEYS[weekday]].append([minute_label(start), minute_label(end)])
    return hours


def staff_overrides(
    *, staff: StaffMember, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[DateOverride]:
    overrides = DateOverride.objects.filter(staff=staff)
    if date_from is not None:
        overrides = overrides.filter(date__gte=date_from)
    if date_to is not None:
        overrides = overrides.filter(date__lte=date_to)
    return overrides.order_by("date")


@dataclass(frozen=True)
class OpeningDay:
    weekday: int  # 0 = Monday
    intervals: list[tuple[str, str]]  # ("09:00", "18:00"), merged; empty when closed


def location_opening_hours(*, location: Location) -> list[OpeningDay]:
    """The weekly hours a location is open: when at least one of its active staff works.

    A shop's hours are not stored apart from its people's, so they cannot disagree; date
    overrides (holidays, special days) are left to the booking calendar itself.
    """
    merged: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for weekday, start, end in (
        WorkingInterval.objects.filter(staff__location=location, staff__active=True)
        .order_by("weekday", "start_minute")
        .values_list("weekday", "start_minute", "end_minute")
    ):
        day = merged[weekday]
        if day and start <= day[-1][1]:
            day[-1] = (day[-1][0], max(day[-1][1], end))
        else:
            day.append((start, end))
    return [
        OpeningDay(
            weekday=weekday,
            intervals=[(minute_label(s), minute_label(e)) for s, e in merged.get(weekday, [])],
        )
        for weekday in range(7)
    ]


def service_locations(*, service: Service) -> list[Location]:
    """The locations where someone active offers the service, by name."""
    return list(
        Location.objects.filter(
            staff__in=bookable_staff(service=service).values("id"),
        )
        .distinct()
        .select_related("business")
        .order_by("name", "id")
    )


def explain_time(
    *, service: Service, staff: StaffMember, start: dt.datetime, now: dt.datetime | None = None
) -> list[Reason]:
    """Why `start` is not a free time of `service` with `staff` (empty: it is): 3 queries."""
    now = now or timezone.now()
    end = start + dt.timedelta(minutes=service.duration_minutes)
    calendars = staff_calendars(staff=[staff], start=start, end=end, with_ids=True)
    return explain_start(calendar=calendars[0], rules=service_rules(service), start=start, now=now)


def staff_of_feed(*, key: str) -> StaffMember | None:
    """The active staff member whose calendar feed this key opens, else None. A feed dies with
    the membership it was issued under: the account linked to the staff member must still be a
    member of the business, since before the feed was issued."""
    if not key or len(key) > 100:
        return None
    return (
        StaffMember.objects.filter(
            calendar_feed__key_hash=feed_key_hash(key),
            active=True,
            user__memberships__business_id=F("business_id"),
            user__memberships__created_at__lte=F("calendar_feed__created_at"),
        )
        .select_related("business", "location")
        .first()
    )


def has_calendar_feed(*, staff: StaffMember) -> bool:
    """Whether the staff member has a feed that still answers (staff_of_feed's rule)."""
    return CalendarFeed.objects.filter(
        staff=staff,
        staff__user__memberships__business_id=F("staff__business_id"),
        staff__user__memberships__created_at__lte=F("created_at"),
    ).exists()
