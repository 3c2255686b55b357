"""Scorecard fixtures: the API's clients and booking, and a fresh throttle store."""

from tests.api.conftest import (  # noqa: F401  (fixtures shared with the API tests)
    anon,
    as_customer,
    as_other_owner,
    as_owner,
    as_staff,
    as_stranger,
    booked,
)
