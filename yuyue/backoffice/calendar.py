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

from yuyue.bookings.models import Appointment, Status
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
# A column is 12 grid tracks wide, so 1, 2, 3 or 4 lanes side by side divide it evenly.
TRACKS = 12
# A block this many rows high or lower has room for one line of text only.
SHORT_SPAN = 6
MOVABLE = (Status.PENDING, Status.CONFIRMED)


@dataclass
class Block:
    """One appointment, or one sitting of a class (capacity > 1): its seats taken together."""

    appointment: Appointment  # a class's first seat: the block links to it
    row: int
    span: int
    start_label: str
    end_label: str
    minute: int  # the start, in minutes after the column's midnight
    track: int = 1  # the first of the column's TRACKS it covers
    width: int = TRACKS  # how many tracks it covers
    seats: list[Appointment] = field(default_factory=list)  # a class's appointments

    @property
    def is_class(self) -> bool:
        return self.appointment.service.capacity > 1

    @property
    def short(self) -> bool:
        return self.span <= SHORT_SPAN

    @property
    def movable(self) -> bool:
        """Dragged to another time or column (one appointment; a class moves seat by seat)."""
        return not self.is_class and self.appointment.status in MOVABLE

    @property
    def step(self) -> int:
        """The service's slot grid in minutes, which a dragged block snaps to."""
        service = self.appointment.service
        return service.slot_interval_minutes or service.duration_minutes


@dataclass
class Band:
    """A stretch of working time, shaded open on the column."""

    row: int
    span: int
    start: int = 0  # minutes after the column's midnight
    end: int = 0


@dataclass
class Column:
    staff: StaffMember
    day: dt.date
    heading: str
    bands: list[Band] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    closed: str = ""  # no hours that day: "override" (a date override) or "weekly" (day off)
    is_mine: bool = False
    is_today: bool = False
    offset: str = "+00:00"  # the business zone's UTC offset that day, for times the page sends


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
                offset=_offset(day_start),
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
        column.bands = [Band(row=row_of(s), span=span_of(s, e), start=s, end=e) for s, e in spans]
        blocks = [
            Block(
                appointment=appointment,
                row=row_of(s),
                span=span_of(s, e),
                start_label=f"{appointment.start.astimezone(zone):%H:%M}",
                end_label=f"{appointment.end.astimezone(zone):%H:%M}",
                minute=s,
                seats=seats,
            )
            for appointment, s, e, seats in _sittings(placed)
        ]
        _lay_out(blocks)
        column.blocks = blocks

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


def _offset(moment: dt.datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _sittings(
    placed: list[tuple[Appointment, int, int]],
) -> list[tuple[Appointment, int, int, list[Appointment]]]:
    """The column's appointments, a class's seats at the same time joined into one sitting."""
    sittings: list[tuple[Appointment, int, int, list[Appointment]]] = []
    classes: dict[tuple[int, int], list[Appointment]] = {}
    for appointment, s, e in placed:
        if appointment.service.capacity > 1:
            key = (appointment.service_id, s)
            if key in classes:
                classes[key].append(appointment)
                continue
            classes[key] = [appointment]
            sittings.append((appointment, s, e, classes[key]))
        else:
            sittings.append((appointment, s, e, [appointment]))
    return sittings


def _lay_out(blocks: list[Block]) -> None:
    """Side by side only where blocks overlap: each cluster of overlapping blocks gets its own
    number of lanes, so one overlap at 10:00 does not narrow the whole day."""
    cluster: list[tuple[Block, int]] = []
    cluster_end = -1
    lanes_end: list[int] = []

    def close() -> None:
        lanes = min(max(1, len(lanes_end)), MAX_LANES)
        width = TRACKS // lanes
        for block, lane in cluster:
            block.width = width
            block.track = min(lane, lanes - 1) * width + 1

    for block in sorted(blocks, key=lambda b: (b.row, -b.span)):
        start, end = block.row, block.row + block.span
        if cluster and start >= cluster_end:
            close()
            cluster, lanes_end = [], []
        lane = next((i for i, lane_end in enumerate(lanes_end) if lane_end <= start), None)
        if lane is None:
            lane = len(lanes_end)
            lanes_end.append(end)
        else:
            lanes_end[lane] = end
        cluster.append((block, lane))
        cluster_end = max(cluster_end, end)
    if cluster:
        close()
