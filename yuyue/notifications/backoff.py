"""When to try again after a temporary failure."""

import random


def retry_delay_seconds(
    attempt: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random.

    The ceiling doubles with each attempt (base, 2·base, 4·base, … up to `cap`), and the delay
    is drawn from its upper half. The random half spreads retries of many rows that failed
    together (one mail server outage) so they do not all return at the same instant; the fixed
    half keeps every gap at least as long as the one before it.
    """
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
