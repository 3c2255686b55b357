"""One version per business of everything its free times are computed from, in the shared cache.

Every write that can change a business's free times (appointments, staff members, their hours
and overrides, services, locations, the business's zone) calls `availability_changed` inside its
transaction. Once the transaction commits, the business's version becomes a new random token,
so every listing cached under the old one stops matching (yuyue/scheduling/selectors.py). After
the commit, never before: a reader that saw the new version reads the new rows, so it cannot
cache what the write replaced under the new version.

A random token rather than a counter: setting it needs no read, so two writers at once never
lose a bump (the database cache's own `incr` reads, then writes), and a version pushed out of
the cache comes back as a new token, never as a number that old listings still carry.

Lives in catalog (the business's app) so that catalog's own services can call it: the layers
import only downhill (tests/test_layering.py).
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def _key(business_id: int) -> str:
    return f"availability:version:{business_id}"


def _bump(business_id: int) -> None:
    # Never expires: a lost version only costs a miss, but a short-lived one would cost a miss
    # per business every time it lapsed.
    cache.set(_key(business_id), secrets.token_hex(8), timeout=None)


def availability_changed(*, business_id: int) -> None:
    """Call inside a write's transaction: once it commits, cached free times of the business
    are stale. A rolled-back write bumps nothing."""
    if not settings.AVAILABILITY_CACHE_SECONDS:
        return
    # robust: the write has committed by then; a cache that is down must not turn it into an
    # error. Its cached listings then live until their time-to-live (logged by Django).
    transaction.on_commit(lambda: _bump(business_id), robust=True)


def version_key(business_id: int) -> str:
    """The cache key of the business's version, to read with its listing in one round trip."""
    return _key(business_id)


def new_version(business_id: int) -> str:
    """The business's version when the cache has none (first use, or pushed out): one is set,
    unless another process set one first, and the one that stands is returned."""
    cache.add(_key(business_id), secrets.token_hex(8), timeout=None)
    return cache.get(_key(business_id)) or ""
