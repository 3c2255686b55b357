"""The day and week calendars: columns of staff (or days), rows of five minutes in the
business's zone, appointments as blocks over the shaded working hours.

The page cannot position anything with inline styles (the CSP forbids them), so every block
says where it sits with two classes, `r-N` (the row it starts on) and `s-N` (how many rows it
spans); backoffice/manage.css defines one rule per row. A constant number of queries loads a
calendar, whatever the number of staff, days or appointments.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from yuyue.bookings.models import Appointment
from yuyue.bookings.selectors import appointments_overlapping
from yuyue.catalog.models import Business
from yuyue.lib.localtime import day_label, weekday_label
from yuyue.scheduling.engine import wall_to_instant
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import staff_hours

ROW_MINUTES = 5
# Shown even on an empty day, so the grid never collapses to nothing.
DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR = 9, 18
MAX_LANES = 4


@dataclass
class Block:
    appointment: Appointment
    row: int
    span: int
    lane: int
    start_label: str
    end_label: str


@dataclass
class Band:
    """A stretch of working time, shaded open on the column."""

    row: int
    span: int


@dataclass
class Column:
    staff: StaffMember
    day: dt.date
    heading: str
    bands: list[Band] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    lanes: int = 1
    closed: str = ""  # no hours that day: "override" (a date override) or "weekly" (day off)
    is_mine: bool = False
    is_today: bool = False


@dataclass
class Grid:
    zone_name: str
    first_minute: int
    last_minute: int
    columns: list[Column]
    hours: list[tuple[int, str]]  # (row, "09:00")
    end_row: int
    now_row: int | None

    @property
    def rows(self) -> int:
        return self.end_row - 1


def _minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _local_bands(
    *,
    weekly: dict[int, list[tuple[int, int]]],
    overrides: dict[dt.date, list],
    staff_zone: zoneinfo.ZoneInfo,
    day_start: dt.datetime,
    day_end: dt.datetime,
) -> tuple[list[tuple[int, int]], str | None]:
    """Working minutes of the staff member inside one business-local day, as minutes after
    its start, and whether that day is closed by an override (None when not)."""
    local_day = day_start.astimezone(staff_zone).date()
    spans: list[tuple[int, int]] = []
    closed: str | None = None
    # A staff member in another zone may work across the business's midnight: look at the
    # neighbouring local dates too.
    for day in (local_day - dt.timedelta(days=1), local_day, local_day + dt.timedelta(days=1)):
        override = overrides.get(day)
        intervals = override if override is not None else weekly.get(day.weekday(), [])
        if day == local_day and override is not None and not override:
            closed = ""
        for s, e in intervals:
            begin = wall_to_instant(day, s, staff_zone)
            finish = wall_to_instant(day, e, staff_zone, end=True)
            begin, finish = max(begin, day_start), min(finish, day_end)
            if begin < finish:
                spans.append(
                    (_minutes_between(day_start, begin), _minutes_between(day_start, finish))
                )
    return sorted(spans), closed


def build_grid(
    *,
    business: Business,
    staff: list[StaffMember],
    days: list[dt.date],
    now: dt.datetime,
    mine_ids: frozenset[int] = frozenset(),
) -> Grid:
    """One column per (day, staff member), days outermost. Three queries."""
    zone = business.zone
    day_starts = {
        day: dt.datetime.combine(day, dt.time(), tzinfo=zone)
        for day in [*days, days[-1] + dt.timedelta(days=1)]
    }
    window_start, window_end = day_starts[days[0]], day_starts[days[-1] + dt.timedelta(days=1)]
    ids = [member.id for member in staff]
    weekly, overrides = staff_hours(
        staff_ids=ids,
        date_from=days[0] - dt.timedelta(days=1),
        date_to=days[-1] + dt.timedelta(days=1),
    )
    by_column: dict[tuple[dt.date, int], list[Appointment]] = {}
    for appointment in appointments_overlapping(
        business=business, start=window_start, end=window_end, staff_ids=ids
    ):
        day = appointment.start.astimezone(zone).date()
        day = min(max(day, days[0]), days[-1])
        by_column.setdefault((day, appointment.staff_id), []).append(appointment)

    today = now.astimezone(zone).date()
    first, last = DEFAULT_FIRST_HOUR * 60, DEFAULT_LAST_HOUR * 60
    columns: list[Column] = []
    raw: list[tuple[Column, list[tuple[int, int]], list[tuple[Appointment, int, int]]]] = []
    for day in days:
        day_start, day_end = day_starts[day], day_starts[day + dt.timedelta(days=1)]
        length = _minutes_between(day_start, day_end)
        for member in staff:
            staff_zone = member.zone
            spans, closed = _local_bands(
                weekly=weekly.get(member.id, {}),
                overrides=overrides.get(member.id, {}),
                staff_zone=staff_zone,
                day_start=day_start,
                day_end=day_end,
            )
            column = Column(
                staff=member,
                day=day,
                heading=member.name if len(days) == 1 else f"{weekday_label(day)} {day_label(day)}",
                is_mine=member.id in mine_ids,
                is_today=day == today,
            )
            if not spans:
                column.closed = "override" if closed is not None else "weekly"
            placed = []
            for appointment in by_column.get((day, member.id), []):
                s = max(0, _minutes_between(day_start, appointment.start))
                e = min(length, _minutes_between(day_start, appointment.end))
                e = max(e, s + ROW_MINUTES)
                placed.append((appointment, s, e))
            for s, e in spans + [(s, e) for _a, s, e in placed]:
                first, last = min(first, s), max(last, e)
            raw.append((column, spans, placed))
            columns.append(column)

    if today in days:
        # Today's grid always reaches the present moment, so the now-line is never hidden.
        minute = _minutes_between(day_starts[today], now)
        first, last = min(first, minute), max(last, minute + 1)
    first = first // 60 * 60
    last = min(25 * 60, -(-last // 60) * 60)

    def row_of(minute: int) -> int:
        return (max(minute, first) - first) // ROW_MINUTES + 1

    def span_of(start: int, end: int) -> int:
        return max(1, -(-(min(end, last) - max(start, first)) // ROW_MINUTES))

    for column, spans, placed in raw:
        column.bands = [Band(row=row_of(s), span=span_of(s, e)) for s, e in spans]
        lanes_end: list[int] = []
        for appointment, s, e in placed:
            lane = next((i for i, end in enumerate(lanes_end) if end <= s), None)
            if lane is None:
                lane = len(lanes_end)
                lanes_end.append(e)
            else:
                lanes_end[lane] = e
            lane = min(lane, MAX_LANES - 1)
            column.blocks.append(
                Block(
                    appointment=appointment,
                    row=row_of(s),
                    span=span_of(s, e),
                    lane=lane + 1,
                    start_label=f"{appointment.start.astimezone(zone):%H:%M}",
                    end_label=f"{appointment.end.astimezone(zone):%H:%M}",
                )
            )
        column.lanes = min(max(1, len(lanes_end)), MAX_LANES)

    now_row = None
    if today in days:
        minute = _minutes_between(day_starts[today], now)
        if first <= minute < last:
            now_row = row_of(minute)
    hours = [(row_of(minute), f"{minute // 60 % 24:02d}:00") for minute in range(first, last, 60)]
    return Grid(
        zone_name=business.timezone,
        first_minute=first,
        last_minute=last,
        columns=columns,
        hours=hours,
        end_row=row_of(last),
        now_row=now_row,
    )
