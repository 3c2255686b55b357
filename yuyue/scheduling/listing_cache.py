"""Free-time listings kept in the shared cache, exactly as an uncached call would give them.

`selectors.availability_listing` (behind `availability`) is the one caller. An entry holds the
slots computed at one instant `computed_at` with the business's version of that moment
(yuyue/catalog/versions.py); it answers a later request at `now` when:

* the business's version is still the one it was computed under (no write since), and
* `computed_at <= now < valid_until`, the first local midnight after `computed_at` in any zone
  involved (the request's and every staff member's): the horizon (`max_days_ahead` days after
  the local today) and the clamp of `date_to` to it only move at a local midnight, and the
  release time (放号) opens the next day at its release instant, also before `valid_until`.

Between those two instants the only thing `now` changes is the minimum notice: a start is
offered iff it is at least `min_notice` after `now`, whichever staff member takes it, and the
grid of starts never depends on `now`. So the listing at `now` is the stored one without the
starts before `now + min_notice`: the entry's slots from `Entry.first_offered` on. Entries also
expire after AVAILABILITY_CACHE_SECONDS, a safety net should a version bump be lost.

Entries are plain tuples, strings and ints (no class of ours is pickled), so changing this code
never makes an old entry unreadable; FORMAT changes the keys when the layout changes.
"""

import bisect
import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yuyue.scheduling.engine import ServiceRules, Slot, release_instant

FORMAT = 1
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)
_FAR = 1 << 62


def _us(value: dt.datetime) -> int:
    return (value - _EPOCH) // _ONE_US


def listing_key(
    *,
    business_id: int,
    rules: ServiceRules,
    zone: dt.tzinfo,
    date_from: dt.date,
    date_to: dt.date,
    staff_id: int | None,
    location_id: int | None,
    exclude_appointment_id: int | None,
) -> str:
    """Everything a listing is computed from besides the stored rows (which the version covers)
    and `now` (see the module docstring). The service's rules are in the key, not only its id:
    a caller holding an older copy of the service gets the listing of the rules it holds."""
    interval = rules.interval // _ONE_US if rules.interval is not None else 0
    rule_values = (
        rules.duration // _ONE_US,
        rules.buffer_before // _ONE_US,
        rules.buffer_after // _ONE_US,
        rules.capacity,
        interval,
        rules.min_notice // _ONE_US,
        rules.max_days_ahead,
        "" if rules.release_days_before is None else rules.release_days_before,
        rules.release_minute,
    )
    return ":".join(
        str(part)
        for part in (
            "availability",
            FORMAT,
            business_id,
            rules.service_id,
            "-".join(map(str, rule_values)),
            zone,
            date_from.isoformat(),
            date_to.isoformat(),
            staff_id or "",
            location_id or "",
            exclude_appointment_id or "",
        )
    )


def _next_day_us(now: dt.datetime, zone: dt.tzinfo) -> int:
    """The first instant after `now` at which the local date in `zone` may differ."""
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    midnight = dt.datetime.combine(tomorrow, dt.time(), tzinfo=zone)
    # A midnight skipped or repeated by a clock change has two readings; the earlier one is
    # never after the date really changes.
    return min(_us(midnight), _us(midnight.replace(fold=1)))


def _next_release_us(now: dt.datetime, zone: dt.tzinfo, rules: ServiceRules | None) -> int:
    """The first instant after `now` at which another day's times open (放号), or never."""
    if rules is None or rules.release_days_before is None:
        return _FAR
    today = now.astimezone(zone).date()
    for day in (today, today + dt.timedelta(days=1)):
        opens = release_instant(
            rules=rules, zone=zone, day=day + dt.timedelta(days=rules.release_days_before)
        )
        if opens is not None and opens > now:
            return _us(opens)
    return _FAR


@dataclass(frozen=True, slots=True)
class Entry:
    """A cached listing; `pack` and `unpack` turn it into plain values for the cache."""

    version: str
    # Random, set when computed: names this entry's content for whoever keeps something derived
    # from it (the API keeps its JSON), even should two entries share a version and a moment.
    ident: str
    computed_at: int  # epoch microseconds
    valid_until: int
    starts: Sequence[int]  # ascending epoch microseconds, one per slot
    staff: Sequence[tuple[int, ...]]
    remaining: Sequence[int]
    working_days: Sequence[int]  # date ordinals

    @classmethod
    def of(
        cls,
        *,
        version: str,
        now: dt.datetime,
        zones: Iterable[dt.tzinfo],
        slots: Sequence[Slot],
        working_days: Iterable[dt.date],
        rules: ServiceRules | None = None,
    ) -> "Entry":
        # Many slots share one set of staff: one tuple each, which pickle then stores once.
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}
        return cls(
            version=version,
            ident=secrets.token_hex(8),
            computed_at=_us(now),
            valid_until=min(
                min(_next_day_us(now, zone), _next_release_us(now, zone, rules)) for zone in zones
            ),
            starts=[_us(slot.start) for slot in slots],
            staff=[shared.setdefault(slot.staff_ids, slot.staff_ids) for slot in slots],
            remaining=[slot.remaining for slot in slots],
            working_days=sorted(day.toordinal() for day in working_days),
        )

    def pack(self) -> tuple:
        return (
            self.version,
            self.ident,
            self.computed_at,
            self.valid_until,
            self.starts,
            self.staff,
            self.remaining,
            self.working_days,
        )

    @classmethod
    def unpack(cls, value: object) -> "Entry | None":
        if not isinstance(value, tuple) or len(value) != 8:
            return None
        return cls(*value)

    def answers(self, *, version: str | None, now: dt.datetime) -> bool:
        return version == self.version and self.computed_at <= _us(now) < self.valid_until

    def first_offered(self, *, now: dt.datetime, rules: ServiceRules) -> int:
        """The index of the first slot still offered at `now` (see the module docstring)."""
        return bisect.bisect_left(self.starts, _us(now + rules.min_notice))

    def slots(self, *, first: int, rules: ServiceRules) -> list[Slot]:
        """The slots from index `first` on."""
        duration = rules.duration
        slots = []
        for start, staff, remaining in zip(
            self.starts[first:], self.staff[first:], self.remaining[first:], strict=True
        ):
            begins = _EPOCH + dt.timedelta(microseconds=start)
            slots.append(Slot(begins, begins + duration, staff, remaining))
        return slots

    def days(self) -> frozenset[dt.date]:
        return frozenset(dt.date.fromordinal(day) for day in self.working_days)
