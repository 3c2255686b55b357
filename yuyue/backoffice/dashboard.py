"""The owner's figures for a period, computed from plain rows (one query for appointments,
two for hours), and drawn as SVG shapes the template writes out: no script, no inline style.

Definitions (shown on the page too):
- booked time: the appointments' own time (start to end, buffers not counted) of every
  appointment that was not cancelled;
- available time: the staff's working hours in the period (date overrides included);
- utilization: booked ÷ available;
- no-show rate: no-shows ÷ appointments that were due (completed + no-show);
- cancellation rate: cancelled ÷ all appointments of the period;
- revenue: money received (online and at the counter) minus money refunded in the period, from
  the payments ledger (yuyue.payments.selectors.ledger_net);
- value of completed services: the prices of the period's completed appointments, whatever
  was paid for them.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise

from yuyue.bookings.models import Status

CHART_WIDTH = 640
BAR_HEIGHT = 28
HEAT_CELL = 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written in the table
    x: int
    y: int
    width: int
    height: int
    css: str = ""
    track: int = 0  # the width of 100 % behind a rate's bar; 0 for counts


@dataclass
class Figures:
    date_from: dt.date
    date_to: dt.date
    by_status: list[tuple[str, str | Promise, int]]  # (status, label: lazy, count)
    total: int
    booked_minutes: int
    available_minutes: int
    utilization: Decimal | None
    no_show_rate: Decimal | None
    cancellation_rate: Decimal | None
    completed_value: Decimal
    per_staff: list[dict] = field(default_factory=list)
    per_day: list[dict] = field(default_factory=list)
    heat: list[list[int]] = field(default_factory=list)  # [weekday][hour] starts
    heat_hours: list[int] = field(default_factory=list)


def ratio(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole to four decimals (0.1234 = 12.34 %), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _working_minutes(weekly: dict, overrides: dict, day: dt.date) -> int:
    override = overrides.get(day)
    intervals = override if override is not None else weekly.get(day.weekday(), [])
    return sum(end - start for start, end in intervals)


def compute(
    *,
    rows: list[dict],
    staff: list,
    weekly: dict[int, dict],
    overrides: dict[int, dict],
    date_from: dt.date,
    date_to: dt.date,
    zone: dt.tzinfo,
) -> Figures:
    days = [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
    statuses = Counter(row["status"] for row in rows)
    booked_by_staff: dict[int, int] = defaultdict(int)
    booked_by_day: dict[dt.date, int] = defaultdict(int)
    heat = [[0] * 24 for _ in range(7)]
    completed_value = Decimal("0")
    for row in rows:
        if row["status"] == Status.COMPLETED:
            completed_value += row["price"]
        if row["status"] == Status.CANCELLED:
            continue
        minutes = int((row["end"] - row["start"]).total_seconds() // 60)
        local = row["start"].astimezone(zone)
        booked_by_staff[row["staff_id"]] += minutes
        booked_by_day[local.date()] += minutes
        heat[local.weekday()][local.hour] += 1
    available_by_staff = {
        member.id: sum(
            _working_minutes(weekly.get(member.id, {}), overrides.get(member.id, {}), day)
            for day in days
        )
        for member in staff
    }
    available_by_day = {
        day: sum(
            _working_minutes(weekly.get(member.id, {}), overrides.get(member.id, {}), day)
            for member in staff
        )
        for day in days
    }
    booked = sum(booked_by_staff.values())
    available = sum(available_by_staff.values())
    due = statuses[Status.COMPLETED] + statuses[Status.NO_SHOW]
    busy_hours = [hour for hour in range(24) if any(heat[d][hour] for d in range(7))]
    # At least a working day's hours, so a quiet period still reads as a day.
    first_hour = min([*busy_hours, 9])
    last_hour = max([*busy_hours, 17])
    return Figures(
        date_from=date_from,
        date_to=date_to,
        by_status=[(status.value, status.label, statuses[status.value]) for status in Status],
        total=len(rows),
        booked_minutes=booked,
        available_minutes=available,
        utilization=ratio(booked, available),
        no_show_rate=ratio(statuses[Status.NO_SHOW], due),
        cancellation_rate=ratio(statuses[Status.CANCELLED], len(rows)),
        completed_value=completed_value,
        per_staff=[
            {
                "name": member.name,
                "booked": booked_by_staff.get(member.id, 0),
                "available": available_by_staff[member.id],
                "utilization": ratio(
                    booked_by_staff.get(member.id, 0), available_by_staff[member.id]
                ),
            }
            for member in staff
        ],
        per_day=[
            {
                "day": day,
                "booked": booked_by_day.get(day, 0),
                "available": available_by_day[day],
                "utilization": ratio(booked_by_day.get(day, 0), available_by_day[day]),
            }
            for day in days
        ],
        heat=heat,
        heat_hours=list(range(first_hour, last_hour + 1)),
    )


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def bars(
    items: list[tuple[str, float, str, str]],
    *,
    label_width: int = 160,
    full: float | None = None,
) -> tuple[list[Bar], int]:
    """Horizontal bars (label, value, text, css) and the chart's height. Counts are scaled to
    the largest value; rates pass `full=1.0`, so 50 % fills half the track whatever the others
    are (a 1.3 % rate must not draw nearly full because it is the largest)."""
    largest = full or max((value for _label, value, _text, _css in items), default=0) or 1
    room = CHART_WIDTH - label_width - 70
    drawn = [
        Bar(
            label=label,
            value=value,
            text=text,
            x=label_width,
            y=8 + i * (BAR_HEIGHT + 8),
            width=min(room, max(1, round(room * value / largest))) if value else 0,
            height=BAR_HEIGHT,
            css=css,
            track=room if full else 0,
        )
        for i, (label, value, text, css) in enumerate(items)
    ]
    return drawn, 16 + len(items) * (BAR_HEIGHT + 8)


def heat_cells(heat: list[list[int]], hours: list[int]) -> tuple[list[dict], int, int]:
    """One square per weekday and hour, darker for more starts."""
    peak = max((heat[d][h] for d in range(7) for h in hours), default=0) or 1
    cells = []
    for day in range(7):
        for column, hour in enumerate(hours):
            count = heat[day][hour]
            level = 0 if not count else 1 + min(4, (count * 5 - 1) // peak)
            cells.append(
                {
                    "x": 48 + column * HEAT_CELL,
                    "y": 24 + day * HEAT_CELL,
                    "count": count,
                    "level": level,
                    "day": day,
                    "hour": hour,
                }
            )
    return cells, 48 + len(hours) * HEAT_CELL + 8, 24 + 7 * HEAT_CELL + 8
