"""Booking load for the fault scripts: distinct start times, many clients at once."""

import datetime as dt
import itertools
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tools.faults.servers import request


@dataclass
class Outcome:
    sent_at: float
    status: int
    appointment_id: str | None
    error: str = ""
    answered_at: float = 0.0


@dataclass
class Load:
    """Books 15-minute slots from tomorrow on, each start offered once (several staff may
    take the same start, so the database's no-overlap constraint is what is being tested)."""

    base_url: str
    slug: str
    service_id: int
    tokens: list[str]
    # Fewer starts than bookings make clients race for the same times (409s are expected;
    # overlaps are not).
    distinct_starts: int = 60 * 24 * 4
    outcomes: list[Outcome] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        first = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        starts = [first + dt.timedelta(minutes=15 * i) for i in range(self.distinct_starts)]
        random.Random(9).shuffle(starts)
        self._starts = itertools.cycle(starts)
        self._tokens = itertools.cycle(self.tokens)

    def book_once(self) -> Outcome:
        with self._lock:
            start, token = next(self._starts), next(self._tokens)
        sent = time.monotonic()
        try:
            status, body, _headers = request(
                "POST",
                f"{self.base_url}/api/v1/businesses/{self.slug}/appointments",
                {"service_id": self.service_id, "start": start.isoformat()},
                token=token,
                timeout=30,
            )
            error = (body.get("error") or {}).get("code", "") if status >= 400 else ""
            outcome = Outcome(sent, status, body.get("id") if status == 201 else None, error)
        except OSError as problem:
            outcome = Outcome(sent, 0, None, f"{type(problem).__name__}: {problem}")
        outcome.answered_at = time.monotonic()
        with self._lock:
            self.outcomes.append(outcome)
        return outcome

    def run_rate(self, *, per_second: float, seconds: float, workers: int = 40) -> None:
        """Send `per_second` bookings a second for `seconds`, whatever the answers' speed."""
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for i in range(int(per_second * seconds)):
                delay = began + i / per_second - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(self.book_once)

    def run_concurrent(self, *, clients: int, each: int) -> None:
        """`clients` bookers at once, each booking `each` times in a row."""

        def booker() -> None:
            for _ in range(each):
                self.book_once()

        with ThreadPoolExecutor(max_workers=clients) as pool:
            for _ in range(clients):
                pool.submit(booker)


def counts(outcomes: list[Outcome]) -> dict[int, int]:
    result: dict[int, int] = {}
    for outcome in outcomes:
        result[outcome.status] = result.get(outcome.status, 0) + 1
    return dict(sorted(result.items()))
