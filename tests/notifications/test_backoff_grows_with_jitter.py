"""The retry delay doubles per attempt up to a cap, with half of it random."""

import random

from yuyue.notifications.backoff import retry_delay_seconds


def test_each_delay_lies_in_the_upper_half_of_a_doubling_ceiling():
    rng = random.Random(7)
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (20, 3600)]:
        for _ in range(200):
            delay = retry_delay_seconds(attempt, base=30, cap=3600, rng=rng)
            assert ceiling / 2 <= delay <= ceiling


def test_the_jitter_spreads_retries_of_messages_that_failed_together():
    rng = random.Random(1)
    delays = {round(retry_delay_seconds(3, base=30, cap=3600, rng=rng), 3) for _ in range(50)}
    assert len(delays) > 40
