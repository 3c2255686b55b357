"""Best fit against first fit: a simulated salon week of "any staff" bookings (issue 14, target 5).

    python bench/bench_bestfit.py
    BENCH_BESTFIT_SEEDS=2 python bench/bench_bestfit.py      # smoke run
    BENCH_BESTFIT_MIX=30,30,40 python bench/bench_bestfit.py # another cut/colour/perm mix, %

Pure engine, no database: the week's bookings are kept as integer busy spans per staff member
and every decision goes through the engine (`find_slots` for what is offered, `choose_staff`
for the product's best fit), exactly as `appointment_create` does for "any staff".

The salon (fixed; only the demand is random):

* 10 staff on three shifts -- 09:00-18:00 with lunch 12:00-13:00, 10:00-19:00 with lunch
  13:00-14:00, 11:00-20:00 with a break 15:00-16:00 -- each off two weekdays, so 6 work on a
  weekday and all 10 at the weekend: 400 working hours in the week.
* Three services on a 15-minute grid: a cut (30 min), a colour (60 min + 10 min to clean up
  after) and a perm (120 min + 15 min after).

The demand (one random stream per seed and load, the same for every rule):

* Customers book over the two weeks before the week, in random order. Each wants a cut
  (55%), a colour (30%) or a perm (15%) on a day (Saturday 21%, Sunday 18%, Friday 15%, other
  weekdays 11-12%) at a preferred start (afternoon and after-work peaks; mostly on the hour or
  half hour, some at quarter past or to), finishing by the 20:00 close.
* A request is accepted at its preferred start if anyone can take it there ("any staff").
  Otherwise the customer takes the nearest offered start on that day within one hour either
  side (earlier on a tie), as they would from the three alternatives a refusal shows; failing
  that they leave. Two other patiences are reported for sensitivity: "exact" (the preferred
  start or nothing) and "day" (any start that day).
* Load: the number of requests is the load times the week's working minutes divided by the
  mean service minutes asked for (60%, 80%, 100% and 120% of capacity).

Rules compared, on the same requests (the same seeds), in the same run: the product's
`choose_staff` ("best"), first fit (the lowest staff id that can take the start), random fit,
"leastlost" (the candidate whose day loses the fewest offered starts, weighted by the demand
mix -- tried as the rule most likely to beat best fit) and "repacked", the ceiling: a start
counts as offered whenever the day's bookings could be re-assigned among the staff on duty to
make room for it. For best and first fit, every preferred start not offered is classified: was
everyone working busy then, could no arrangement at all hold it, or would re-packing have made
room? Figures and conclusions: docs/performance.md, "Best fit against first fit".
"""

import datetime as dt
import os
import random
import sys
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Make `python bench/bench_bestfit.py` work from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yuyue.scheduling.engine import (
    BusySpan,
    ServiceRules,
    StaffCalendar,
    choose_staff,
    find_slots,
    nearest_starts,
    wall_to_instant,
)

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
WEEK = [dt.date(2026, 6, 1) + dt.timedelta(days=d) for d in range(7)]  # Monday to Sunday
NOW = dt.datetime(2026, 5, 18, tzinfo=ZONE)  # bookings are made in the two weeks before
MINUTE_US = 60_000_000
GRID = dt.timedelta(minutes=15)
CLOSE = 20 * 60

SERVICES = (
    ServiceRules(service_id=1, duration=dt.timedelta(minutes=30), interval=GRID),
    ServiceRules(
        service_id=2,
        duration=dt.timedelta(minutes=60),
        buffer_after=dt.timedelta(minutes=10),
        interval=GRID,
    ),
    ServiceRules(
        service_id=3,
        duration=dt.timedelta(minutes=120),
        buffer_after=dt.timedelta(minutes=15),
        interval=GRID,
    ),
)
NAMES = ("cut", "colour", "perm")
MIX = tuple(
    int(share) / 100 for share in os.environ.get("BENCH_BESTFIT_MIX", "55,30,15").split(",")
)
DAY_WEIGHTS = (0.11, 0.11, 0.12, 0.12, 0.15, 0.21, 0.18)
# Preferred start hour -> weight: a late-morning bump, the afternoon, the after-work peak.
HOUR_WEIGHTS = {
    9: 0.4, 10: 0.9, 11: 1.0, 12: 0.7, 13: 0.8, 14: 1.0,
    15: 1.0, 16: 1.0, 17: 1.2, 18: 1.1, 19: 0.6,
}  # fmt: skip
MINUTE_WEIGHTS = {0: 0.55, 30: 0.30, 15: 0.075, 45: 0.075}
SHIFTS = (
    ((540, 720), (780, 1080)),  # 09:00-18:00, lunch 12:00-13:00
    ((600, 780), (840, 1140)),  # 10:00-19:00, lunch 13:00-14:00
    ((660, 900), (960, 1200)),  # 11:00-20:00, break 15:00-16:00
)
STAFF_IDS = range(1, 11)
LOADS = (0.6, 0.8, 1.0, 1.2)
PATIENCES = {"exact": 0, "1h": 60, "day": 24 * 60}
SEEDS = int(os.environ.get("BENCH_BESTFIT_SEEDS", "10"))
TARGET = 1.10


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def weekly_hours(staff_id: int) -> dict[int, tuple[tuple[int, int], ...]]:
    """Shift by id; two weekdays off, staggered so every weekday has 4 of the 10 off."""
    off = {(staff_id - 1) % 5, (staff_id + 1) % 5}
    shift = SHIFTS[staff_id % 3]
    return {weekday: shift for weekday in range(7) if weekday not in off}


WEEKLY = {staff_id: weekly_hours(staff_id) for staff_id in STAFF_IDS}
CAPACITY_MINUTES = sum(
    end - start
    for staff_id in STAFF_IDS
    for day in WEEK
    for start, end in WEEKLY[staff_id].get(day.weekday(), ())
)
MEAN_MINUTES = sum(
    share * rules.duration.total_seconds() / 60 for share, rules in zip(MIX, SERVICES, strict=True)
)


@dataclass(frozen=True)
class Request:
    service: int  # index into SERVICES
    day: dt.date
    start: dt.datetime  # preferred


def demand(seed: int, load: float) -> list[Request]:
    """The requests of one week, in the order they arrive."""
    rng = random.Random(f"demand-{seed}-{load}")
    count = round(load * CAPACITY_MINUTES / MEAN_MINUTES)
    requests = []
    for _ in range(count):
        service = rng.choices(range(len(SERVICES)), MIX)[0]
        duration = int(SERVICES[service].duration.total_seconds()) // 60
        day = rng.choices(WEEK, DAY_WEIGHTS)[0]
        while True:  # a start the customer knows ends by the close
            minute = 60 * rng.choices(list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values()))[0]
            minute += rng.choices(list(MINUTE_WEIGHTS), list(MINUTE_WEIGHTS.values()))[0]
            if minute + duration <= CLOSE:
                break
        requests.append(Request(service, day, wall_to_instant(day, minute, ZONE)))
    return requests


def _us(value: dt.datetime) -> int:
    return int(value.timestamp()) * 1_000_000


def occupied(rules: ServiceRules, start: dt.datetime) -> BusySpan:
    """A booking's busy span as the database loader hands it to the engine."""
    start_us = _us(start)
    return BusySpan(
        start_us - _us_of(rules.buffer_before),
        start_us + _us_of(rules.duration + rules.buffer_after),
        rules.service_id,
    )


def _us_of(value: dt.timedelta) -> int:
    return int(value.total_seconds()) * 1_000_000


class Salon:
    """The week's bookings: busy spans per staff member, and per day (for the re-pack check)
    the (occupied lo, hi, appointment start, end) of each booking."""

    def __init__(self) -> None:
        self.busy: dict[int, list[BusySpan]] = {s: [] for s in STAFF_IDS}
        self.days: dict[dt.date, list[tuple[int, int, int, int]]] = {d: [] for d in WEEK}

    def calendar(self, staff_id: int, extra: BusySpan | None = None) -> StaffCalendar:
        busy = self.busy[staff_id] if extra is None else [*self.busy[staff_id], extra]
        return StaffCalendar(staff_id, ZONE, WEEKLY[staff_id], {}, busy)

    def calendars(self) -> list[StaffCalendar]:
        return [self.calendar(staff_id) for staff_id in STAFF_IDS]

    def book(self, staff_id: int, rules: ServiceRules, start: dt.datetime) -> None:
        span = occupied(rules, start)
        self.busy[staff_id].append(span)
        day = start.astimezone(ZONE).date()
        self.days[day].append((span[0], span[1], _us(start), _us(start + rules.duration)))


# --------------------------------------------------------------------------------------------
# Rules: (salon, service, offered start, staff who can take it, rng) -> the staff member
# --------------------------------------------------------------------------------------------

Rule = Callable[[Salon, ServiceRules, dt.datetime, tuple[int, ...], random.Random], int]


def best_fit(salon, rules, start, staff_ids, rng) -> int:
    """The product's rule, as appointment_create calls it for "any staff"."""
    chosen = choose_staff(calendars=salon.calendars(), rules=rules, start=start, now=NOW)
    assert chosen in staff_ids, (chosen, staff_ids)
    return chosen


def first_fit(salon, rules, start, staff_ids, rng) -> int:
    return staff_ids[0]  # find_slots lists them ascending


def random_fit(salon, rules, start, staff_ids, rng) -> int:
    return rng.choice(staff_ids)


def _offered(calendar: StaffCalendar, day: dt.date) -> float:
    """Starts this calendar offers on `day`, each service weighted by its share of demand:
    the requests it could still take there."""
    return sum(
        share
        * len(
            find_slots(
                calendars=[calendar], rules=r, date_from=day, date_to=day, now=NOW, zone=ZONE
            )
        )
        for share, r in zip(MIX, SERVICES, strict=True)
    )


def least_lost(salon, rules, start, staff_ids, rng) -> int:
    """The candidate whose day loses the fewest offered starts (weighted by the demand mix)
    by taking this booking; then the lowest id. Tried as the rule most likely to beat best
    fit: it looks at what the booking destroys for every service, not only at the gap."""
    day = start.astimezone(ZONE).date()
    extra = occupied(rules, start)

    def lost(staff_id: int) -> float:
        return _offered(salon.calendar(staff_id), day) - _offered(
            salon.calendar(staff_id, extra), day
        )

    return min(staff_ids, key=lambda staff_id: (lost(staff_id), staff_id))


RULES: dict[str, Rule] = {
    "best": best_fit,
    "first": first_fit,
    "random": random_fit,
    "leastlost": least_lost,
}


# --------------------------------------------------------------------------------------------
# The reference: every booking of the day re-packed among the staff on duty
# --------------------------------------------------------------------------------------------


def _day_groups(day: dt.date) -> list[tuple[tuple[tuple[int, int], ...], int]]:
    """Staff on duty on `day` grouped by identical hours: [(working spans in us, head count)]."""
    counts: dict[tuple[tuple[int, int], ...], int] = {}
    for staff_id in STAFF_IDS:
        spans = tuple(
            (_us(wall_to_instant(day, a, ZONE)), _us(wall_to_instant(day, b, ZONE)))
            for a, b in WEEKLY[staff_id].get(day.weekday(), ())
        )
        if spans:
            counts[spans] = counts.get(spans, 0) + 1
    return sorted(counts.items())


GROUPS = {day: _day_groups(day) for day in WEEK}


def repack(day: dt.date, bookings: list[tuple[int, int, int, int]]) -> list[list] | None:
    """How the staff on duty could hold all these bookings (occupied lo, hi, appointment start,
    end) of one day, whoever is given which -- each appointment inside one working span of its
    staff member, no two occupied spans of one staff member overlapping -- or None if they
    cannot. The answer: per staff member on duty, [working spans, [bookings]].

    Exact, by depth-first search over the bookings in order of occupied start. Staff with the
    same hours are interchangeable, and one whose last booking ended by the current start is
    as good as idle, so a state is, per group of hours, the sorted ends still to come; failed
    states are remembered. Small: at most three groups, ten staff. Before searching, a quick
    necessary test settles most refusals: at no instant may more bookings be in progress
    that only some groups of hours can hold than those groups have staff.
    """
    groups = GROUPS[day]
    items = sorted(bookings)
    eligible = []
    for _lo, _hi, start, end in items:
        fits = [
            g
            for g, (spans, _) in enumerate(groups)
            if any(a <= start and end <= b for a, b in spans)
        ]
        if not fits:
            return None
        eligible.append(fits)
    heads = [
        sum(n for g, (_, n) in enumerate(groups) if subset >> g & 1)
        for subset in range(1 << len(groups))
    ]
    active: list[tuple[int, int]] = []  # (occupied end, mask) of bookings in progress
    for (lo, hi, _, _), fits in zip(items, eligible, strict=True):
        active = [(e, m) for e, m in active if e > lo]
        active.append((hi, sum(1 << g for g in fits)))
        for subset in range(1, len(heads)):
            if sum(1 for _, m in active if m & ~subset == 0) > heads[subset]:
                return None
    failed: set[tuple] = set()
    chosen: list[int] = []

    def search(i: int, state: tuple[tuple[int, ...], ...]) -> bool:
        if i == len(items):
            return True
        lo, hi = items[i][0], items[i][1]
        state = tuple(tuple(sorted(0 if e <= lo else e for e in ends)) for ends in state)
        if (i, state) in failed:
            return False
        for g in eligible[i]:
            ends = state[g]
            if ends[0] == 0:  # someone with these hours is free: which one does not matter
                chosen.append(g)
                if search(i + 1, (*state[:g], (*ends[1:], hi), *state[g + 1 :])):
                    return True
                chosen.pop()
        failed.add((i, state))
        return False

    if not search(0, tuple((0,) * count for _, count in groups)):
        return None
    staff = [[spans, []] for spans, count in groups for _ in range(count)]
    for item, g in zip(items, chosen, strict=True):
        # Within the chosen group, anyone whose last booking has ended will do.
        member = next(
            m for m in staff if m[0] == groups[g][0] and (not m[1] or m[1][-1][1] <= item[0])
        )
        member[1].append(item)
    return staff


def pool_full(
    day: dt.date, bookings: list[tuple[int, int, int, int]], start: int, end: int
) -> bool:
    """Whether, at some instant of the appointment [start, end), every staff member working
    then already has an appointment: then no assignment, past or future, could make room.
    (Appointments lie inside working hours, so at any instant there can be no more of them
    than staff working.)"""
    groups = GROUPS[day]
    points = {start}
    points.update(b[2] for b in bookings if start < b[2] < end)
    points.update(x for spans, _ in groups for span in spans for x in span if start < x < end)
    for t in points:
        working = sum(n for spans, n in groups if any(a <= t < b for a, b in spans))
        if sum(1 for b in bookings if b[2] <= t < b[3]) >= working:
            return True
    return False


def simulate_repacked(requests: list[Request], patience: int) -> "Outcome":
    """The same customers, but a start counts as offered whenever the day's bookings could be
    re-packed to make room for it, as if every booking could be moved to another staff member
    after the fact. No assignment rule can do better than that, save by the luck of refusing
    a customer early whose slot a later, longer booking would have used."""
    plans = {day: repack(day, []) for day in WEEK}
    outcome = Outcome()
    step = 15 * MINUTE_US
    for request in requests:
        rules = SERVICES[request.service]
        outcome.asked[request.service] += 1
        plan = plans[request.day]
        day_lo = _us(wall_to_instant(request.day, 0, ZONE))
        want = _us(request.start)
        candidates = sorted(
            (abs(t - want), t)
            for t in range(day_lo, day_lo + 24 * 60 * MINUTE_US, step)
            if abs(t - want) <= patience * MINUTE_US
        )
        duration = _us_of(rules.duration)
        for _, start in candidates:
            lo, hi, _ = occupied(rules, _to_dt(start))
            new = (lo, hi, start, start + duration)
            fits = [m for m in plan if any(a <= start and start + duration <= b for a, b in m[0])]
            if not fits:
                continue  # inside nobody's hours
            # As things stand someone is free: no re-packing needed.
            free = next((m for m in fits if all(e <= lo or s >= hi for s, e, _, _ in m[1])), None)
            if free is not None:
                free[1].append(new)
                free[1].sort()
            else:
                held = [i for m in plan for i in m[1]]
                if pool_full(request.day, held, start, start + duration):
                    continue
                replanned = repack(request.day, [*held, new])
                if replanned is None:
                    continue
                plans[request.day] = replanned
            outcome.accept(request, rules, exact=start == want)
            break
    return outcome


def _to_dt(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    accepted: int = 0
    exact: int = 0  # accepted at the preferred start
    minutes: int = 0  # booked service minutes
    by_service: list[int] = field(default_factory=lambda: [0] * len(SERVICES))
    asked: list[int] = field(default_factory=lambda: [0] * len(SERVICES))
    # Why preferred starts were not offered (with `diagnose`):
    refused: int = 0  # all of them
    hours: int = 0  # nobody works over the whole appointment then
    crowded: int = 0  # at some instant of it everybody working has an appointment
    avoidable: int = 0  # re-packing the day's bookings would have made room

    def accept(self, request: Request, rules: ServiceRules, *, exact: bool) -> None:
        self.accepted += 1
        self.exact += exact
        self.by_service[request.service] += 1
        self.minutes += int(rules.duration.total_seconds()) // 60

    def diagnose(
        self, bookings: list[tuple[int, int, int, int]], request: Request, rules: ServiceRules
    ) -> None:
        start, end = _us(request.start), _us(request.start + rules.duration)
        if not any(a <= start and end <= b for spans, _ in GROUPS[request.day] for a, b in spans):
            self.hours += 1
        elif pool_full(request.day, bookings, start, end):
            self.crowded += 1
        else:
            lo, hi, _ = occupied(rules, request.start)
            self.avoidable += repack(request.day, [*bookings, (lo, hi, start, end)]) is not None

    def add(self, other: "Outcome") -> None:
        for name in ("accepted", "exact", "minutes", "refused", "hours", "crowded", "avoidable"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_service = [a + b for a, b in zip(self.by_service, other.by_service, strict=True)]
        self.asked = [a + b for a, b in zip(self.asked, other.asked, strict=True)]


def simulate(
    requests: list[Request], rule: Rule, patience: int, seed: int, *, diagnose: bool = False
) -> Outcome:
    """Book the requests in arrival order with `rule` choosing the staff member; with
    `diagnose`, check each refused preferred start against a re-pack of the day."""
    salon = Salon()
    rng = random.Random(f"rule-{seed}")  # only random fit draws from it
    outcome = Outcome()
    window = dt.timedelta(minutes=patience)
    for request in requests:
        rules = SERVICES[request.service]
        outcome.asked[request.service] += 1
        slots = find_slots(
            calendars=salon.calendars(),
            rules=rules,
            date_from=request.day,
            date_to=request.day,
            now=NOW,
            zone=ZONE,
        )
        slot = next((s for s in slots if s.start == request.start), None)
        if slot is None:
            outcome.refused += 1
            if diagnose:
                outcome.diagnose(salon.days[request.day], request, rules)
            near = nearest_starts(slots, request.start, limit=1)
            if not near or abs(near[0].start - request.start) > window:
                continue  # the customer leaves
            slot = near[0]
        staff_id = rule(salon, rules, slot.start, slot.staff_ids, rng)
        salon.book(staff_id, rules, slot.start)
        outcome.accept(request, rules, exact=slot.start == request.start)
    return outcome


def main() -> None:
    say(
        f"salon: {len(STAFF_IDS)} staff, {CAPACITY_MINUTES / 60:.0f} working hours in the week; "
        f"{', '.join(f'{n} {m:.0%}' for n, m in zip(NAMES, MIX, strict=True))} "
        f"(mean {MEAN_MINUTES:.1f} min asked); {SEEDS} seeds per load"
    )
    names = [*RULES, "repacked"]
    totals: dict[tuple[str, float, str], Outcome] = {}
    per_seed: dict[tuple[str, float, str], list[Outcome]] = {}
    for patience_name, patience in PATIENCES.items():
        for load in LOADS:
            started = time.perf_counter()
            for seed in range(SEEDS):
                requests = demand(seed, load)  # the same requests for every rule
                for name in names:
                    if name == "repacked":
                        outcome = simulate_repacked(requests, patience)
                    else:
                        diagnose = name in ("best", "first")
                        outcome = simulate(requests, RULES[name], patience, seed, diagnose=diagnose)
                    totals.setdefault((patience_name, load, name), Outcome()).add(outcome)
                    per_seed.setdefault((patience_name, load, name), []).append(outcome)
            say(
                f"patience {patience_name}, load {load:.0%}: {len(requests)} requests a week x "
                f"{SEEDS} seeds x {len(names)} rules in {time.perf_counter() - started:.1f} s"
            )

    for patience_name in PATIENCES:
        print(f"\npatience {patience_name} (totals over {SEEDS} seeds; booked hours per week):")
        print(
            "  load  rule       accepted  booked h  utilis.  "
            + "  ".join(f"{n:>6}" for n in NAMES)
            + "  accepted/first  booked/first"
        )
        for load in LOADS:
            first = totals[(patience_name, load, "first")]
            for name in names:
                o = totals[(patience_name, load, name)]
                shares = "  ".join(
                    f"{a / max(q, 1):6.1%}" for a, q in zip(o.by_service, o.asked, strict=True)
                )
                print(
                    f"  {load:4.0%}  {name:<9} {o.accepted:9d}  {o.minutes / 60 / SEEDS:8.1f}  "
                    f"{o.minutes / (CAPACITY_MINUTES * SEEDS):7.1%}  {shares}  "
                    f"{o.accepted / first.accepted:14.3f}  {o.minutes / first.minutes:12.3f}"
                )
        print("  why preferred starts were refused (share of refusals):")
        for load in LOADS:
            for name in ("best", "first"):
                o = totals[(patience_name, load, name)]
                other = o.refused - o.hours - o.crowded - o.avoidable
                print(
                    f"  {load:4.0%}  {name:<9} {o.refused:5d} refused: everyone working busy "
                    f"{o.crowded / o.refused:6.1%}, nobody's hours {o.hours / o.refused:6.1%}, "
                    f"re-packing would make room {o.avoidable / o.refused:6.1%}, "
                    f"breaks/buffers {other / o.refused:6.1%}"
                )

    print("\nheadline (patience 1h; per-seed range in brackets):")
    for load in LOADS:

        def ratio(name: str, what: str, load: float = load) -> str:
            ones = [
                getattr(a, what) / getattr(b, what)
                for a, b in zip(
                    per_seed[("1h", load, name)], per_seed[("1h", load, "first")], strict=True
                )
            ]
            total = getattr(totals[("1h", load, name)], what) / getattr(
                totals[("1h", load, "first")], what
            )
            return f"{total:.3f} [{min(ones):.3f}-{max(ones):.3f}]"

        met = (
            totals[("1h", load, "best")].accepted >= TARGET * totals[("1h", load, "first")].accepted
        )
        print(
            f"  load {load:4.0%}  accepted  best/first {ratio('best', 'accepted')}  "
            f"leastlost/first {ratio('leastlost', 'accepted')}  "
            f"repacked/first {ratio('repacked', 'accepted')}  "
            f"target best/first >= {TARGET:.2f}: {'met' if met else 'NOT met'}"
        )
        print(
            f"             booked h  best/first {ratio('best', 'minutes')}  "
            f"leastlost/first {ratio('leastlost', 'minutes')}  "
            f"repacked/first {ratio('repacked', 'minutes')}"
        )


if __name__ == "__main__":
    main()
