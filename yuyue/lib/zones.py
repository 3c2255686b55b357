"""IANA time zone names, checked against the system's zone database."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def first_zone(*names: str | None) -> zoneinfo.ZoneInfo:
    """The first zone named: an own zone wins over the place's, the place's over the business's.

    For rows read as plain values (a query's columns); model instances answer `zone`.
    """
    return zoneinfo.ZoneInfo(next(name for name in names if name))


@cache
def available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_zone(value: str) -> None:
    if value not in available_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name (for example Asia/Shanghai)."),
            code="invalid_zone",
            params={"value": value},
        )
