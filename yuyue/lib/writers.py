"""One queue for SQLite's booking writers.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
polls with growing naps (up to 100 ms each) and serves nobody in order, so under load a writer
could lose the race again and again and wait seconds. Booking writes first take an exclusive
lock on a file beside the database: the kernel queues the waiters and wakes the next one the
moment the lock is let go, so BEGIN IMMEDIATE then finds the database free.

PostgreSQL needs none of this (row locks queue), nor does a write nested in a transaction that
already holds SQLite's lock.
"""

import contextlib
from collections.abc import Iterator

from django.db import connection

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own busy handler is all there is
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def writer_turn() -> Iterator[None]:
    name = str(connection.settings_dict["NAME"])
    if (
        fcntl is None
        or connection.vendor != "sqlite"
        or connection.in_atomic_block
        or name.startswith((":memory:", "file:"))  # no file to put a lock beside
    ):
        yield
        return
    path = f"{name}.writers"
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def one_writer() -> bool:
    """True where a writer holds the whole database (SQLite), so nothing it reads can change
    until it commits; False where writers lock rows (PostgreSQL)."""
    return not connection.features.has_select_for_update
