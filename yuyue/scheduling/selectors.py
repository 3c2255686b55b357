"""Staff, their hours and the service's rules, read in a fixed number of queries for the
availability engine. What holds the staff's time (appointments) is the bookings app's to read:
yuyue/bookings/availability.py composes the two, passing busy spans in here."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from yuyue.catalog.models import Business, Location, Service
from yuyue.scheduling.engine import ServiceRules, StaffCalendar
from yuyue.scheduling.hours import WEEKDAY_KEYS
from yuyue.scheduling.models import (
    CalendarFeed,
    DateOverride,
    StaffMember,
    WorkingInterval,
    feed_key_hash,
    minute_label,
)

# Staff may sit in other zones than the request's; loading a day more on each side covers any
# offset difference (at most 26 hours between two IANA zones). Busy spans are read as widely.
READ_PAD = dt.timedelta(days=2)


def service_rules(service: Service) -> ServiceRules:
    business = service.business
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
        # The business's release time (放号), the same for all its services.
        release_days_before=business.release_days_before,
        release_minute=business.release_time.hour * 60 + business.release_time.minute,
    )


def bookable_staff(
    *, service: Service, staff_ids: Sequence[int] | None = None, location_id: int | None = None
):
    """Active staff of the service's business who offer it (a queryset, not yet evaluated)."""
    qs = StaffMember.objects.filter(
        business_id=service.business_id, active=True, services=service
    ).select_related("location", "business", "title")
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
        staff_ids=staff_ids, date_from=(start - READ_PAD).date(), date_to=(end + READ_PAD).date()
    )


# Busy spans per staff member: (occupied start, occupied end, service id, appointment id), the
# instants in epoch microseconds (the engine's BusySpan).
BusySpans = dict[int, list[tuple[int, int, int, int | None]]]


def calendars_of(
    *, staff: Sequence[StaffMember], hours: Hours, busy: BusySpans
) -> list[StaffCalendar]:
    """The engine's calendars from what staff_hours_around read and the busy spans given."""
    weekly, overrides = hours
    return [
        StaffCalendar(
            staff_id=member.id,
            zone=member.zone,
            weekly=weekly.get(member.id, {}),
            overrides=overrides.get(member.id, {}),
            busy=busy.get(member.id, ()),
        )
        for member in staff
    ]


def request_zone(
    *, business: Business, location: Location | None = None, staff: StaffMember | None = None
) -> zoneinfo.ZoneInfo:
    """The zone of a request's dates and of times given without an offset: the location's
    (named, else the named staff member's), else the business's. The one rule for requests."""
    place = location if location is not None else (staff.location if staff else None)
    return place.zone if place is not None else business.zone


def business_staff(
    *, business: Business, service_id: int | None = None, include_inactive: bool = False
) -> QuerySet[StaffMember]:
    """The business's staff with their services; customers see the active ones."""
    staff = StaffMember.objects.filter(business=business).select_related(
        "user", "location", "business", "title"
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


def _feed_still_answers(feed: str) -> Q:
    """The one rule of a live calendar feed: the account linked to the staff member is still a
    member of the business, since before the feed was issued; a feed dies with that membership.
    `feed` is the path to the CalendarFeed: "calendar_feed__" from a StaffMember query, "" from
    a CalendarFeed query (the staff member then is "staff__")."""
    staff = "" if feed else "staff__"
    return Q(
        **{
            f"{staff}user__memberships__business_id": F(f"{staff}business_id"),
            f"{staff}user__memberships__created_at__lte": F(f"{feed}created_at"),
        }
    )


def staff_of_feed(*, key: str) -> StaffMember | None:
    """The active staff member whose calendar feed this key opens and still answers
    (`_feed_still_answers`), else None."""
    if not key or len(key) > 100:
        return None
    return (
        StaffMember.objects.filter(
            _feed_still_answers("calendar_feed__"),
            calendar_feed__key_hash=feed_key_hash(key),
            active=True,
        )
        .select_related("business", "location")
        .first()
    )


def has_calendar_feed(*, staff: StaffMember) -> bool:
    """Whether the staff member has a feed that still answers (`_feed_still_answers`)."""
    return CalendarFeed.objects.filter(_feed_still_answers(""), staff=staff).exists()
