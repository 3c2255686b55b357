"""IANA time zone names, checked against the system's zone database."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Files in the system's zone folder that are not IANA zone names: "localtime" is whatever
# the server's clock is set to, "posixrules" a default rule, "Factory" a placeholder.
NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})

# The zones offered in a list where a business or a shop chooses one: where our businesses
# are, then the world's big business zones. Any IANA zone stays valid (the API takes one).
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Macau",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "America/Sao_Paulo",
    "UTC",
)


def first_zone(*names: str | None) -> zoneinfo.ZoneInfo:
    """The first zone named: an own zone wins over the place's, the place's over the business's.

    For rows read as plain values (a query's columns); model instances answer `zone`.
    """
    return zoneinfo.ZoneInfo(next(name for name in names if name))


@cache
def available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def validate_zone(value: str) -> None:
    if value not in available_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name (for example Asia/Shanghai)."),
            code="invalid_zone",
            params={"value": value},
        )
