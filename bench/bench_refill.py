"""Refilled time: a month of a 10-staff salon with cancellations and no-shows, with a
waitlist and without it (issue 23, part 5).

    python bench/bench_refill.py
    BENCH_REFILL_SEEDS=2 python bench/bench_refill.py        # smoke run
    BENCH_REFILL_JOIN=0.25 python bench/bench_refill.py      # another share joining the list

Pure engine, no database, as bench/bench_bestfit.py (whose salon this reuses: 10 staff on three
shifts, a cut, a colour and a perm on a 15-minute grid, the same day and hour peaks). Each
decision about what is offered goes through the engine (`find_slots`, `choose_staff`), with a
minimum notice of an hour, at the instant the simulated customer asks.

A month (4 weeks from Monday 1 June 2026), as events in time order:

* **Requests** arrive before their day (a quarter the same day, a third 1-3 days before, the
  rest up to two weeks), for a service, a preferred start and, one in five, a named staff
  member. Load = asked minutes / working minutes (80, 100, 120%): above capacity at the
  weekend and after-work peaks even at 100%. Each customer has a window of starts around
  the preferred one (+/- 30 min 20%, 1 h 35%, 2 h 30%, the whole day 15%) and days they would
  take (their own 70%, a day either side 20%, the week around it 10%): a request takes the
  offered start nearest its preferred one inside the window on its day, else on the nearest
  other day it would take, else it is refused.
* **Cancellations (10%) and no-shows (5%)** of every booking (the draw belongs to the customer,
  so both runs draw the same). A cancellation comes 2-7 days before the start (45%), 1-2 days
  (25%), 2-24 hours (20%) or in the last two hours (10%, late); it frees the time at once. A
  no-show is found out 15 minutes after the start; the time left is free from then (a no-show
  does not hold time in the product), but the waitlist is not told (the issue's triggers are a
  cancellation, a reschedule, an expired hold).
* **Without the waitlist** freed time is refilled only by spontaneous arrivals: the requests
  that happen to come after it was freed and whose preferred start (within their hour) lands
  in it. A refused customer leaves and does not come back.
* **With the waitlist** a refused customer joins it with probability BENCH_REFILL_JOIN (0.5),
  wishing for exactly what they asked: the service, the staff member if they named one (else
  anyone), their days and their window of starts (as the product's window of times: from the
  window's first start to its last start plus the service). When a cancellation frees time,
  the app's matcher decides, as the waitlist worker does (`waitlist_offer_freed`): the wishes
  in the order they joined (`yuyue/waitlist/matching.py`, `fits_in_order`) with the earliest
  start on the service's grid from the freed start whose whole appointment lies inside the
  freed span and the wish's window; the first of them the engine still takes (`choose_staff`
  on the calendar as it stands: notice, hours, buffers, other bookings -- the booking path's
  `who_can_take`) gets one offer, held 15 minutes (busy time: nobody else is offered it). One
  freed time, one offer: the rest of it, if the offer took only part, is left to arrivals.
  The waiter accepts (70%, after 1-15 min), declines (15%) or lets it expire (15%), drawn
  anew for each offer; a declined or expired offer frees its own span, offered the same way
  to the next waiter (never back to the one who passed), and the waiter waits again. Waiters
  whose dates have passed are cleared. Spontaneous arrivals go on as without.

Reported, per load, summed over the seeds (the same requests and fates in both runs): the
freed staff time (appointment minutes, buffers left out) and the share of it booked again --
by a booking made after it was freed and not itself cancelled -- with and without the waitlist;
the utilisation (served appointment minutes / working minutes) and what the waitlist gains;
and, with the waitlist, why the rest stayed empty. Figures and conclusions: docs/performance.md,
"Refilled time".
"""

import dataclasses
import datetime as dt
import heapq
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_bestfit import (
    DAY_WEIGHTS,
    HOUR_WEIGHTS,
    MINUTE_WEIGHTS,
    MIX,
    STAFF_IDS,
    WEEKLY,
    ZONE,
)
from bench_bestfit import SERVICES as BESTFIT_SERVICES

from yuyue.scheduling.engine import (
    BusySpan,
    ServiceRules,
    StaffCalendar,
    choose_staff,
    find_slots,
    nearest_starts,
    wall_to_instant,
)
from yuyue.waitlist import matching

MINUTE = 60_000_000  # microseconds
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NOTICE = dt.timedelta(minutes=60)
SERVICES = tuple(dataclasses.replace(rules, min_notice=NOTICE) for rules in BESTFIT_SERVICES)
NAMES = ("cut", "colour", "perm")
MONTH = [dt.date(2026, 6, 1) + dt.timedelta(days=d) for d in range(28)]  # Monday to Sunday x 4
CLOSE = 20 * 60
NAMED_SHARE = 0.2
CANCEL_SHARE, NO_SHOW_SHARE = 0.10, 0.05
NO_SHOW_FOUND = 15 * MINUTE  # after the start
HOLD = 15 * MINUTE  # an offer is held this long
JOIN = float(os.environ.get("BENCH_REFILL_JOIN", "0.5"))
LOADS = (0.8, 1.0, 1.2)
SEEDS = int(os.environ.get("BENCH_REFILL_SEEDS", "5"))


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _us(value: dt.datetime) -> int:
    return int(value.timestamp()) * 1_000_000


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _dt(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _minutes(rules: ServiceRules, what: str) -> int:
    return int(getattr(rules, what).total_seconds()) * 1_000_000


def local_minute(us: int) -> int:
    moment = _dt(us).astimezone(ZONE)
    return moment.hour * 60 + moment.minute


def local_day(us: int) -> dt.date:
    return _dt(us).astimezone(ZONE).date()


CAPACITY_MINUTES = sum(
    end - start
    for staff_id in STAFF_IDS
    for day in MONTH
    for start, end in WEEKLY[staff_id].get(day.weekday(), ())
)
MEAN_MINUTES = sum(
    share * rules.duration.total_seconds() / 60 for share, rules in zip(MIX, SERVICES, strict=True)
)


# --------------------------------------------------------------------------------------------
# The customers: what they ask for and, drawn up front, what they will do
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wish:
    """What a waiter waits for: a service, a staff member or anyone (None), local dates
    (inclusive) and a window of local start minutes (inclusive)."""

    service: int
    staff_id: int | None
    date_from: dt.date
    date_to: dt.date
    window: tuple[int, int]
    preferred: int  # local start minute, to pick among fitting starts


@dataclass(frozen=True)
class Request:
    ident: int
    arrives: int  # us
    service: int  # index into SERVICES
    day: dt.date
    start: int  # preferred start, us
    staff_id: int | None  # a named staff member, or any
    fate: str  # once booked: "keep", "cancel" or "noshow"
    cancel_lead: int  # us before the start, for "cancel"
    cancel_u: float  # where in (booked, start) it falls if the lead reaches before the booking
    join_u: float  # joins the waitlist when refused if join_u < JOIN
    wish: Wish
    answer: str  # to an offer: "accept", "decline" or "expire"
    answer_after: int  # us after the offer


def _days(wish: Wish) -> list[dt.date]:
    return [
        wish.date_from + dt.timedelta(days=d)
        for d in range((wish.date_to - wish.date_from).days + 1)
    ]


def _lead(rng: random.Random) -> int:
    """How long before the start a request arrives."""
    r = rng.random()
    if r < 0.25:
        return rng.randint(NOTICE.seconds // 60 + 5, 10 * 60) * MINUTE  # the same day
    if r < 0.60:
        return rng.randint(1 * 24 * 60, 3 * 24 * 60) * MINUTE
    return rng.randint(3 * 24 * 60, 14 * 24 * 60) * MINUTE


def _cancel_lead(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.45:
        return rng.randint(2 * 24 * 60, 7 * 24 * 60) * MINUTE
    if r < 0.70:
        return rng.randint(24 * 60, 2 * 24 * 60) * MINUTE
    if r < 0.90:
        return rng.randint(2 * 60, 24 * 60) * MINUTE
    return rng.randint(0, 2 * 60) * MINUTE  # late: inside the notice for half of them


def demand(seed: int, load: float) -> list[Request]:
    """The month's requests, in the order they arrive."""
    rng = random.Random(f"refill-{seed}-{load}")
    count = round(load * CAPACITY_MINUTES / MEAN_MINUTES)
    requests = []
    for ident in range(count):
        service = rng.choices(range(len(SERVICES)), MIX)[0]
        duration = int(SERVICES[service].duration.total_seconds()) // 60
        week = rng.randrange(4)
        weekday = rng.choices(range(7), DAY_WEIGHTS)[0]
        day = MONTH[7 * week + weekday]
        while True:  # a start the customer knows ends by the close
            minute = 60 * rng.choices(list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values()))[0]
            minute += rng.choices(list(MINUTE_WEIGHTS), list(MINUTE_WEIGHTS.values()))[0]
            if minute + duration <= CLOSE:
                break
        start = _us(wall_to_instant(day, minute, ZONE))
        working = [s for s in STAFF_IDS if day.weekday() in WEEKLY[s]]
        staff_id = rng.choice(working) if rng.random() < NAMED_SHARE else None
        r = rng.random()
        fate = (
            "cancel"
            if r < CANCEL_SHARE
            else "noshow"
            if r < CANCEL_SHARE + NO_SHOW_SHARE
            else "keep"
        )
        width = rng.choices((30, 60, 120, 24 * 60), (0.20, 0.35, 0.30, 0.15))[0]
        span = rng.choices((0, 1, 3), (0.7, 0.2, 0.1))[0]
        wish = Wish(
            service=service,
            staff_id=staff_id,
            date_from=max(MONTH[0], day - dt.timedelta(days=span)),
            date_to=min(MONTH[-1], day + dt.timedelta(days=span)),
            window=(max(0, minute - width), min(24 * 60 - 1, minute + width)),
            preferred=minute,
        )
        a = rng.random()
        answer = "accept" if a < 0.70 else "decline" if a < 0.85 else "expire"
        after = HOLD if answer == "expire" else rng.randint(1, 15) * MINUTE
        requests.append(
            Request(
                ident=ident,
                arrives=start - _lead(rng),
                service=service,
                day=day,
                start=start,
                staff_id=staff_id,
                fate=fate,
                cancel_lead=_cancel_lead(rng),
                cancel_u=rng.random(),
                join_u=rng.random(),
                wish=wish,
                answer=answer,
                answer_after=after,
            )
        )
    requests.sort(key=lambda request: (request.arrives, request.ident))
    return requests


# --------------------------------------------------------------------------------------------
# The waitlist matcher
# --------------------------------------------------------------------------------------------


@dataclass
class Waiter:
    request: Request
    joined: int  # us
    waiting: bool = True  # False once booked through an offer
    offered: bool = False  # an offer of theirs stands
    passes: int = 0  # offers declined or let expire (each answer drawn anew)

    def answer(self) -> tuple[str, int]:
        """The answer to the next offer and how long after it: the request's for the first,
        a fresh draw (the same in every run) for later ones."""
        if self.passes == 0:
            return self.request.answer, self.request.answer_after
        rng = random.Random(f"answer-{self.request.ident}-{self.request.arrives}-{self.passes}")
        a = rng.random()
        answer = "accept" if a < 0.70 else "decline" if a < 0.85 else "expire"
        return answer, HOLD if answer == "expire" else rng.randint(1, 15) * MINUTE


@dataclass(frozen=True)
class Freed:
    """Time that freed up: one staff member's appointment span [lo, hi) (us), on a local day."""

    staff_id: int
    day: dt.date
    lo: int
    hi: int
    at: int  # when it was freed
    kind: str  # "cancel" or "noshow"


def app_wish(waiter: Waiter, *, whole_day: bool = False) -> matching.Wish:
    """The waiter's wish in the app's terms: its window of starts becomes a window of times the
    whole appointment lies in (the last start plus the service), as the product stores it."""
    request = waiter.request
    wish = request.wish
    rules = SERVICES[wish.service]
    first, last = (0, 24 * 60 - 1) if whole_day else wish.window
    end = min(last + int(rules.duration.total_seconds()) // 60, 24 * 60 - 1)
    return matching.Wish(
        id=request.ident,
        joined=_dt(waiter.joined),
        service_id=rules.service_id,
        duration=rules.duration,
        step=rules.interval or rules.duration,
        staff_id=wish.staff_id,
        date_from=wish.date_from,
        date_to=wish.date_to,
        time_from=dt.time(first // 60, first % 60),
        time_to=dt.time(end // 60, end % 60),
    )


# Every staff member of the salon offers every service.
OFFERED = frozenset(rules.service_id for rules in SERVICES)


def first_taken(
    waiters: Sequence[Waiter],
    freed: Freed,
    calendar: StaffCalendar,
    now: dt.datetime,
    *,
    passed_by: int | None = None,
    whole_day: bool = False,
) -> tuple[Waiter, dt.datetime] | None:
    """The waiter the worker would offer the freed time to, and the start; None if nobody.

    The app's matcher (`fits_in_order`) gives the fits, first come first served; the first
    whose start the engine still offers on this staff member's calendar as it stands now
    (`choose_staff`: the booking path's check) is the one, as `waitlist_offer_freed` tries
    `appointment_create` for each fit in turn."""
    plain = matching.Freed(
        staff_id=freed.staff_id,
        start=_dt(freed.lo),
        end=_dt(freed.hi),
        services=OFFERED,
        passed_by=passed_by,
    )
    waiting = {w.request.ident: w for w in waiters if w.waiting and not w.offered}
    wishes = [app_wish(w, whole_day=whole_day) for w in waiting.values()]
    for wish, start in matching.fits_in_order(plain, wishes, ZONE):
        waiter = waiting[wish.id]
        rules = SERVICES[waiter.request.service]
        if choose_staff(calendars=[calendar], rules=rules, start=start, now=now) is not None:
            return waiter, start
    return None


# --------------------------------------------------------------------------------------------
# The month
# --------------------------------------------------------------------------------------------


@dataclass
class Booking:
    ident: int
    request: Request
    staff_id: int
    start: int
    end: int
    booked_at: int
    via: str  # "direct" or "waitlist"
    status: str = "booked"  # "booked", "cancelled", "noshow"


@dataclass
class Outcome:
    capacity: int = 0  # working minutes
    served: int = 0  # appointment minutes of bookings kept
    freed: dict[str, int] = field(default_factory=lambda: {"cancel": 0, "noshow": 0})
    refilled: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, via) -> minutes
    limits: dict[str, int] = field(default_factory=dict)  # why freed minutes stayed empty
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Outcome") -> None:
        self.capacity += other.capacity
        self.served += other.served
        for mine, theirs in (
            (self.freed, other.freed),
            (self.refilled, other.refilled),
            (self.limits, other.limits),
            (self.counts, other.counts),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value  # type: ignore[index]

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


class Salon:
    def __init__(self, *, waitlist: bool) -> None:
        self.waitlist = waitlist
        # (staff, local day) -> busy spans (occupied, us) of bookings and held offers
        self.busy: dict[tuple[int, dt.date], list[BusySpan]] = {}
        self.bookings: list[Booking] = []
        self.freed: list[Freed] = []
        self.waiters: list[Waiter] = []
        self.events: list[tuple[int, int, str, object]] = []
        self.sequence = 0
        self.outcome = Outcome()
        self.offers = 0
        # Per freed time (by its index in self.freed), with the waitlist: who was waiting for
        # it when it was freed (see who_waits).
        self.wanted: dict[int, str] = {}

    # -- calendars ---------------------------------------------------------------------------

    def calendar(self, staff_id: int, day: dt.date) -> StaffCalendar:
        return StaffCalendar(
            staff_id, ZONE, WEEKLY[staff_id], {}, self.busy.get((staff_id, day), ())
        )

    def take(self, staff_id: int, rules: ServiceRules, start: int, ident: int) -> None:
        lo = start - _minutes(rules, "buffer_before")
        hi = start + _minutes(rules, "duration") + _minutes(rules, "buffer_after")
        self.busy.setdefault((staff_id, local_day(start)), []).append(
            BusySpan(lo, hi, rules.service_id, ident)
        )

    def release(self, staff_id: int, start: int, ident: int) -> None:
        spans = self.busy[(staff_id, local_day(start))]
        spans[:] = [span for span in spans if span.appointment_id != ident]

    # -- events ------------------------------------------------------------------------------

    def at(self, when: int, kind: str, payload: object) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (when, self.sequence, kind, payload))

    def run(self, requests: list[Request]) -> Outcome:
        for request in requests:
            self.at(request.arrives, "arrive", request)
        while self.events:
            when, _, kind, payload = heapq.heappop(self.events)
            getattr(self, f"on_{kind}")(when, payload)
        self.tally()
        return self.outcome

    def book(self, request: Request, staff_id: int, start: int, now: int, via: str) -> None:
        rules = SERVICES[request.service]
        booking = Booking(
            ident=len(self.bookings) + 1,
            request=request,
            staff_id=staff_id,
            start=start,
            end=start + _minutes(rules, "duration"),
            booked_at=now,
            via=via,
        )
        self.bookings.append(booking)
        self.take(staff_id, rules, start, booking.ident)
        if request.fate == "cancel":
            cancel = start - request.cancel_lead
            if cancel <= now:  # the customer booked later than they cancel: between the two
                cancel = now + int((start - now) * request.cancel_u)
            self.at(cancel, "cancel", booking)
        elif request.fate == "noshow":
            self.at(start + NO_SHOW_FOUND, "noshow", booking)

    def on_arrive(self, now: int, request: Request) -> None:
        """The customer takes the offered start nearest their preferred one inside their window
        on their day, else on the other days they would take (nearest day first), else is
        refused -- and then, with the waitlist, may wait for exactly that wish."""
        wish = request.wish
        rules = SERVICES[request.service]
        staff = STAFF_IDS if request.staff_id is None else (request.staff_id,)
        when = _dt(now)
        slots = find_slots(
            calendars=[
                StaffCalendar(
                    s, ZONE, WEEKLY[s], {},
                    [span for day in _days(wish) for span in self.busy.get((s, day), ())],
                )
                for s in staff
            ],
            rules=rules,
            date_from=wish.date_from,
            date_to=wish.date_to,
            now=when,
            zone=ZONE,
        )  # fmt: skip
        by_day: dict[dt.date, list] = {}
        for slot in slots:
            if wish.window[0] <= local_minute(_us(slot.start)) <= wish.window[1]:
                by_day.setdefault(slot.start.astimezone(ZONE).date(), []).append(slot)
        if not by_day:
            self.outcome.count("refused")
            if self.waitlist and request.join_u < JOIN:
                self.waiters.append(Waiter(request, now))
                self.outcome.count("joined")
            return
        day = min(by_day, key=lambda d: (abs((d - request.day).days), d))
        target = wall_to_instant(day, wish.preferred, ZONE)
        slot = nearest_starts(by_day[day], target, limit=1)[0]
        self.outcome.count("booked at once")
        self.outcome.count("booked another day" if day != request.day else "booked that day")
        if request.staff_id is None:
            calendars = [self.calendar(s, day) for s in staff]
            staff_id = choose_staff(calendars=calendars, rules=rules, start=slot.start, now=when)
            assert staff_id is not None
        else:
            staff_id = request.staff_id
        self.book(request, staff_id, _us(slot.start), now, "direct")

    def on_cancel(self, now: int, booking: Booking) -> None:
        booking.status = "cancelled"
        self.outcome.count("cancellations")
        self.release(booking.staff_id, booking.start, booking.ident)
        freed = Freed(
            booking.staff_id, local_day(booking.start), booking.start, booking.end, now, "cancel"
        )
        self.freed.append(freed)
        if self.waitlist:
            self.wanted[len(self.freed) - 1] = self.who_waits(now, freed)
            self.offer(now, freed)

    def on_noshow(self, now: int, booking: Booking) -> None:
        booking.status = "noshow"
        self.release(booking.staff_id, booking.start, booking.ident)
        self.freed.append(
            Freed(
                booking.staff_id,
                local_day(booking.start),
                booking.start,
                booking.end,
                now,
                "noshow",
            )
        )

    def who_waits(self, now: int, freed: Freed) -> str:
        """Who on the list, as the time is freed, could take it: someone ("a waiter fits"),
        someone if only their window were wider ("waiters wanted other hours"), nobody though
        some wait for that staff member's day ("waiters' services did not fit"), or nobody
        waits for that day at all."""
        today = local_day(now)
        day = [
            w
            for w in self.waiters
            if w.waiting
            and not w.offered
            and w.request.wish.date_to >= today
            and w.request.wish.date_from <= freed.day <= w.request.wish.date_to
            and w.request.wish.staff_id in (None, freed.staff_id)
        ]
        if not day:
            return "nobody waiting for that day"
        calendar = self.calendar(freed.staff_id, freed.day)
        if first_taken(day, freed, calendar, _dt(now)) is not None:
            return "a waiter fits"
        if first_taken(day, freed, calendar, _dt(now), whole_day=True) is not None:
            return "waiters wanted other hours"
        return "waiters' services did not fit"

    def offer(self, now: int, freed: Freed, passed_by: int | None = None) -> None:
        """Offer the freed time to one waiter, first come first served (the worker's rule:
        one freed time, one offer)."""
        # Waiters whose dates have passed are cleared.
        today = local_day(now)
        self.waiters = [w for w in self.waiters if w.waiting and w.request.wish.date_to >= today]
        match = first_taken(
            self.waiters,
            freed,
            self.calendar(freed.staff_id, freed.day),
            _dt(now),
            passed_by=passed_by,
        )
        if match is None:
            return
        waiter, start = match
        self.offers += 1
        ident = -self.offers  # a held offer's busy span
        waiter.offered = True
        self.take(freed.staff_id, SERVICES[waiter.request.service], _us(start), ident)
        self.outcome.count("offers")
        answer, after = waiter.answer()
        self.at(now + after, "answer", (waiter, freed, _us(start), ident, answer))

    def on_answer(self, now: int, payload: tuple[Waiter, Freed, int, int, str]) -> None:
        waiter, freed, start, ident, answer = payload
        self.release(freed.staff_id, start, ident)
        waiter.offered = False
        if answer == "accept":
            waiter.waiting = False
            self.outcome.count("accepted")
            self.book(waiter.request, freed.staff_id, start, now, "waitlist")
        else:
            # The waiter waits again; the offer's own span is freed time for the next one.
            waiter.passes += 1
            self.outcome.count(answer + "d")
            rules = SERVICES[waiter.request.service]
            span = dataclasses.replace(
                freed, lo=start, hi=start + _minutes(rules, "duration"), at=now
            )
            self.offer(now, span, passed_by=waiter.request.ident)

    # -- the figures -------------------------------------------------------------------------

    def tally(self) -> None:
        out = self.outcome
        out.capacity = CAPACITY_MINUTES
        for booking in self.bookings:
            if booking.status == "booked":
                out.served += (booking.end - booking.start) // MINUTE
        # Each freed span against the bookings made after it on that staff member and kept
        # (a no-show counts as booked again: the time was sold, the customer did not come).
        standing: dict[tuple[int, dt.date], list[Booking]] = {}
        for booking in self.bookings:
            if booking.status != "cancelled":
                standing.setdefault((booking.staff_id, local_day(booking.start)), []).append(
                    booking
                )
        for index, freed in enumerate(self.freed):
            out.freed[freed.kind] += (freed.hi - freed.lo) // MINUTE
            covered = [0] * ((freed.hi - freed.lo) // MINUTE)
            for booking in standing.get((freed.staff_id, freed.day), ()):
                if booking.booked_at <= freed.at:
                    continue
                lo = max(booking.start, freed.lo)
                hi = min(booking.end, freed.hi)
                for minute in range((lo - freed.lo) // MINUTE, (hi - freed.lo) // MINUTE):
                    if not covered[minute]:
                        covered[minute] = 1
                        key = (freed.kind, booking.via)
                        out.refilled[key] = out.refilled.get(key, 0) + 1
            self.why_empty(freed, covered, standing, self.wanted.get(index))

    def why_empty(
        self,
        freed: Freed,
        covered: list[int],
        standing: dict[tuple[int, dt.date], list[Booking]],
        wanted: str | None,
    ) -> None:
        """Why each minute of freed time nobody booked again stayed empty: the first of
        found out only after the start (a no-show); inside the notice when freed (a late
        cancellation); on a free stretch shorter than the shortest service (30 minutes) in the
        month as it ended; else nobody who wanted it asked in time -- split, with the
        waitlist, by who was waiting when it was freed (`who_waits`; "a waiter fits" there
        means the offers lapsed or took only part of it)."""
        taken = [
            (b.start - _minutes(SERVICES[b.request.service], "buffer_before"),
             b.end + _minutes(SERVICES[b.request.service], "buffer_after"))
            for b in standing.get((freed.staff_id, freed.day), ())
            if b.status == "booked"
        ]  # fmt: skip
        shifts = [
            (_us(wall_to_instant(freed.day, a, ZONE)), _us(wall_to_instant(freed.day, b, ZONE)))
            for a, b in WEEKLY[freed.staff_id][freed.day.weekday()]
        ]
        shortest = min(_minutes(rules, "duration") for rules in SERVICES)
        for index, done in enumerate(covered):
            if done:
                continue
            minute = freed.lo + index * MINUTE
            if freed.kind == "noshow":
                reason = "no-show"
            elif minute < freed.at + _minutes(SERVICES[0], "min_notice"):
                reason = "late cancellation"
            else:
                lo, hi = next((a, b) for a, b in shifts if a <= minute < b)
                for a, b in taken:
                    if b <= minute:
                        lo = max(lo, b)
                    elif a > minute:
                        hi = min(hi, a)
                if hi - lo < shortest:
                    reason = "stretch too short"
                elif wanted is None:
                    reason = "nobody asked"
                else:
                    reason = f"nobody asked ({wanted})"
            self.outcome.limits[reason] = self.outcome.limits.get(reason, 0) + 1


def main() -> None:
    say(
        f"salon: {len(STAFF_IDS)} staff, {CAPACITY_MINUTES / 60:.0f} working hours in 4 weeks; "
        f"{', '.join(f'{n} {m:.0%}' for n, m in zip(NAMES, MIX, strict=True))}; notice "
        f"{NOTICE}; cancellations {CANCEL_SHARE:.0%}, no-shows {NO_SHOW_SHARE:.0%}; "
        f"{JOIN:.0%} of refused customers join the waitlist; {SEEDS} seeds per load"
    )
    totals: dict[tuple[float, bool], Outcome] = {}
    per_seed: dict[tuple[float, bool], list[Outcome]] = {}
    for load in LOADS:
        started = time.perf_counter()
        for seed in range(SEEDS):
            requests = demand(seed, load)  # the same requests and fates for both runs
            for waitlist in (False, True):
                outcome = Salon(waitlist=waitlist).run(requests)
                totals.setdefault((load, waitlist), Outcome()).add(outcome)
                per_seed.setdefault((load, waitlist), []).append(outcome)
        say(
            f"load {load:.0%}: {len(requests)} requests a month x {SEEDS} seeds x 2 runs in "
            f"{time.perf_counter() - started:.1f} s"
        )

    def refilled(o: Outcome, kind: str | None = None, via: str | None = None) -> int:
        return sum(
            v
            for (k, w), v in o.refilled.items()
            if (kind is None or k == kind) and (via is None or w == via)
        )

    print(f"\ntotals over {SEEDS} seeds (hours; shares of freed staff time):")
    print(
        "  load  waitlist  freed h (cancel + no-show)  booked again: of cancelled  of all   "
        "by waitlist  by arrivals  utilisation"
    )
    for load in LOADS:
        for waitlist in (False, True):
            o = totals[(load, waitlist)]
            freed = sum(o.freed.values())
            print(
                f"  {load:4.0%}  {'with' if waitlist else 'without':<8}  "
                f"{freed / 60:8.0f} ({o.freed['cancel'] / 60:.0f} + {o.freed['noshow'] / 60:.0f})"
                f"          {refilled(o, 'cancel') / o.freed['cancel']:18.1%}  "
                f"{refilled(o) / freed:6.1%}   {refilled(o, via='waitlist') / freed:11.1%}  "
                f"{refilled(o, via='direct') / freed:11.1%}  {o.served / o.capacity:11.2%}"
            )
    print("\nthe waitlist's gain (with - without; per-seed range in brackets):")
    for load in LOADS:
        a, b = totals[(load, True)], totals[(load, False)]
        gains = [
            (x.served - y.served) / x.capacity
            for x, y in zip(per_seed[(load, True)], per_seed[(load, False)], strict=True)
        ]
        share = [
            refilled(x) / sum(x.freed.values()) - refilled(y) / sum(y.freed.values())
            for x, y in zip(per_seed[(load, True)], per_seed[(load, False)], strict=True)
        ]
        print(
            f"  load {load:4.0%}: utilisation {b.served / b.capacity:.2%} -> "
            f"{a.served / a.capacity:.2%} = +{(a.served - b.served) / a.capacity * 100:.2f} points "
            f"[{min(gains) * 100:+.2f} to {max(gains) * 100:+.2f}], "
            f"{(a.served - b.served) / 60 / SEEDS:+.1f} served hours a month "
            f"({a.served / b.served - 1:+.2%}); freed time booked again "
            f"{refilled(b) / sum(b.freed.values()):.1%} -> "
            f"{refilled(a) / sum(a.freed.values()):.1%}"
            f" [{min(share) * 100:+.1f} to {max(share) * 100:+.1f} points]"
        )
    print("\nwith the waitlist: why freed time stayed empty (share of all freed minutes):")
    for load in LOADS:
        o = totals[(load, True)]
        freed = sum(o.freed.values())
        reasons = ", ".join(
            f"{reason} {minutes / freed:.1%}"
            for reason, minutes in sorted(o.limits.items(), key=lambda item: -item[1])
        )
        c = o.counts
        print(
            f"  load {load:4.0%}: {reasons};\n"
            f"             cancellations {c.get('cancellations', 0)}, refused "
            f"{c.get('refused', 0)}, joined "
            f"{c.get('joined', 0)}, offers {c.get('offers', 0)}: accepted "
            f"{c.get('accepted', 0)}, declined {c.get('declined', 0)}, expired "
            f"{c.get('expired', 0)}"
        )
    without = totals[(LOADS[1], False)]
    freed = sum(without.freed.values())
    reasons = ", ".join(
        f"{reason} {minutes / freed:.1%}"
        for reason, minutes in sorted(without.limits.items(), key=lambda item: -item[1])
    )
    print(f"  (without the waitlist, load {LOADS[1]:.0%}: {reasons})")


if __name__ == "__main__":
    main()
