"""The time picker of the booking and reschedule pages (the customer's and the back office's):
who, the week strip and the free times of one day."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.bookings.availability import availability
from yuyue.catalog.models import Location, Service
from yuyue.catalog.selectors import title_prices
from yuyue.lib.localtime import day_label, local_short_label, weekday_label
from yuyue.scheduling.selectors import bookable_staff, request_zone
from yuyue.webkit.pages import with_query
from yuyue.webkit.params import Choice, parse_day, staff_value, start_value

STRIP_DAYS = 7
# When a whole week is full, how far ahead to look for the next free day to offer.
LOOKAHEAD_DAYS = 62


@dataclass(frozen=True)
class Day:
    date: dt.date
    weekday: str
    label: str  # "1 Dec" / "12月1日"
    number: int  # 1: the day of the month, all a narrow strip has room for
    free: bool
    closed: bool  # nobody works that day (a day off), as opposed to fully booked
    selected: bool
    today: bool
    url: str


@dataclass(frozen=True)
class Time:
    label: str
    value: str
    remaining: int  # seats left; 0 when not known
    url: str
    current: bool = False  # the time the appointment being moved has now


@dataclass(frozen=True)
class ShopTimes:
    """The free times of the selected day at one shop ("any shop": the shop is chosen with the
    time, so the customer knows where they are going before they book)."""

    shop: Location
    times: list[Time]


@dataclass
class Picker:
    zone_name: str
    days: list[Day] = field(default_factory=list)
    selected: Day | None = None
    times: list[Time] = field(default_factory=list)
    shops: list[ShopTimes] = field(default_factory=list)
    previous_url: str | None = None
    next_url: str | None = None
    next_free: Day | None = None
    show_seats: bool = False
    staff_chosen: bool = False  # a day off is then "not working" rather than "closed"
    # "12-08 08:00": when the first day shown that is not open yet opens (放号).
    opens: str = ""

    @property
    def any_free(self) -> bool:
        return any(day.free for day in self.days)


def build_picker(
    *,
    choice: Choice,
    query: Mapping[str, str],
    page_url: str,
    confirm_url: str,
    exclude_appointment_id: int | None = None,
    per_shop: bool = False,
    now: dt.datetime | None = None,
    keep: Mapping[str, object] | None = None,
    current: dt.datetime | None = None,
) -> Picker:
    """Seven days from the `start` the query names (today by default), which of them have free
    time, and the free times of its `date` (the first free day by default), for the service,
    shop and staff of `choice`. One availability query for the week, one more only when the
    week is full.

    `per_shop`: with "any shop" among several, the day's times are listed per shop, each
    linking with its shop chosen. `keep`: more values every link carries (the page's own).

    `current`: the start of the appointment being moved; the picker opens on its day (when
    the query names none) and marks it among the times."""
    now = now or timezone.now()
    service, staff, location = choice.service, choice.staff, choice.location
    first_day, selected = parse_day(query.get("start")), parse_day(query.get("date"))
    shops = choice.offered if per_shop and len(choice.offered) > 1 else None
    common: dict[str, Any] = {
        "service": service,
        "staff_id": None if staff is None else staff.id,
        "location": location,
    }
    zone = request_zone(business=service.business, location=location)
    today = now.astimezone(zone).date()
    last = today + dt.timedelta(days=service.max_days_ahead)
    if current is not None and first_day is None and selected is None:
        # The week of today when the appointment lies in it, else the week from its day.
        selected = current.astimezone(zone).date()
        if not today <= selected < today + dt.timedelta(days=STRIP_DAYS):
            first_day = selected
    first_day = min(max(first_day or today, today), last)
    # Declared, not narrowed: day_of reads it as a date from inside its closure.
    strip_start: dt.date = first_day
    strip_end = first_day + dt.timedelta(days=STRIP_DAYS - 1)
    found = availability(
        **common,
        date_from=first_day,
        date_to=strip_end,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )
    by_day: dict[dt.date, list] = {}
    for slot in found.slots:
        by_day.setdefault(slot.start.astimezone(zone).date(), []).append(slot)
    if selected is None or not first_day <= selected <= strip_end:
        selected = min(by_day) if by_day else first_day
    # The choices so far ride along in every link.
    carry = {**(keep or {}), **choice.carry, "staff": staff_value(staff)}

    def page(**params: object) -> str:
        return with_query(page_url, **carry, **params)

    def day_of(date: dt.date, chosen: bool, week: dt.date | None = None) -> Day:
        return Day(
            date=date,
            weekday=weekday_label(date),
            label=day_label(date),
            number=date.day,
            free=date in by_day,
            closed=date not in by_day and date not in found.working_days,
            selected=chosen,
            today=date == today,
            url=page(start=(week or strip_start).isoformat(), date=date.isoformat()),
        )

    picker = Picker(
        zone_name=zone.key,
        show_seats=service.capacity > 1,
        staff_chosen=staff is not None,
        opens="" if found.opens_at is None else local_short_label(found.opens_at, zone.key),
    )
    for offset in range(STRIP_DAYS):
        date = first_day + dt.timedelta(days=offset)
        if date > last:
            break
        day = day_of(date, date == selected)
        picker.days.append(day)
        if day.selected:
            picker.selected = day
    for slot in by_day.get(selected, []):
        value = start_value(slot.start, zone)
        picker.times.append(
            Time(
                label=f"{slot.start.astimezone(zone):%H:%M}",
                value=value,
                remaining=slot.remaining,
                url=with_query(confirm_url, **carry, start=value),
                current=slot.start == current,
            )
        )
    if shops and location is None and staff is None and picker.times:
        picker.shops = _per_shop(service, shops, by_day.get(selected, []), zone, confirm_url, carry)
        picker.times = []
    if first_day > today:
        picker.previous_url = page(start=max(today, first_day - dt.timedelta(days=STRIP_DAYS)))
    if strip_end < last:
        picker.next_url = page(start=strip_end + dt.timedelta(days=1))
    if not by_day and strip_end < last:
        ahead = availability(
            **common,
            date_from=strip_end + dt.timedelta(days=1),
            date_to=min(last, strip_end + dt.timedelta(days=LOOKAHEAD_DAYS)),
            now=now,
            exclude_appointment_id=exclude_appointment_id,
        )
        if ahead.slots:
            date = ahead.slots[0].start.astimezone(zone).date()
            picker.next_free = replace(day_of(date, chosen=False, week=date), free=True)
    return picker


def _per_shop(
    service: Service,
    shops: list[Location],
    slots: list,
    zone,
    confirm_url: str,
    carry: dict[str, object],
) -> list[ShopTimes]:
    """The slots of one day split by the shop of the staff free at each (one query)."""
    shop_of = dict(bookable_staff(service=service).values_list("id", "location_id"))
    result = []
    for shop in shops:
        times = []
        for slot in slots:
            here = [staff_id for staff_id in slot.staff_ids if shop_of.get(staff_id) == shop.id]
            if not here:
                continue
            value = start_value(slot.start, zone)
            times.append(
                Time(
                    label=f"{slot.start.astimezone(zone):%H:%M}",
                    value=value,
                    # Seats are counted over all the staff free at that start; split between
                    # shops the count is not known per shop, so none is shown (0).
                    remaining=slot.remaining if len(here) == len(slot.staff_ids) else 0,
                    url=with_query(confirm_url, **{**carry, "location": shop.id}, start=value),
                )
            )
        if times:
            result.append(ShopTimes(shop=shop, times=times))
    return result


def staff_options(choice: Choice, url: str, keep: Mapping[str, str] | None = None) -> list[dict]:
    """The choice of anyone first, then each staff member who offers the service, as links
    that keep the day shown (`keep`: the query's `start` and `date`).

    Booking among several shops, everyone is listed whatever shop is chosen, those of the
    chosen shop first, each name with its shop; picking someone picks their shop too (they
    work at one), so the other shop's staff stay a tap away. A reschedule keeps its shop: only
    that shop's staff."""
    days = {
        name: day.isoformat() if (day := parse_day((keep or {}).get(name))) else None
        for name in ("start", "date")
    }
    location = choice.carry["location"]
    options = [
        {
            "label": _("Anyone available"),
            "url": with_query(url, location=location, staff="any", **days),
            "selected": choice.staff is None,
        }
    ]
    several = len(choice.offered) > 1
    shop = choice.location.id if choice.fixed and choice.location is not None else None
    if not several and choice.location is not None:
        shop = choice.location.id
    members = list(bookable_staff(service=choice.service, location_id=shop).order_by("name", "id"))
    if choice.location is not None:
        # Stable: the chosen shop's staff first, each group by name.
        chosen = choice.location.id
        members.sort(key=lambda member: member.location_id != chosen)
    name_shops = several and not choice.fixed
    prices = title_prices(services=[choice.service])
    for member in members:
        label = member.name
        if member.title is not None:
            label = f"{label} · {member.title.name}"
        if name_shops and member.location is not None:
            label = f"{label} · {member.location.name}"
        # Only the customer's own shop choice rides along; a reschedule keeps its shop.
        shop_of_member = member.location_id if name_shops else None
        options.append(
            {
                "label": label,
                "url": with_query(
                    url, location=shop_of_member or location, staff=member.id, **days
                ),
                "selected": choice.staff is not None and choice.staff.id == member.id,
                "photo": member.photo,
                # The price with this person, where their title has its own (service_price).
                "price": prices.get((choice.service.id, member.title_id or 0)),
                "currency": choice.service.business.currency,
            }
        )
    return options
