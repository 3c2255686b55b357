"""An instant as a person reads it: local wall-clock time with the zone and its offset."""

import datetime as dt
import zoneinfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

MONTHS = (
    pgettext_lazy("month", "Jan"),
    pgettext_lazy("month", "Feb"),
    pgettext_lazy("month", "Mar"),
    pgettext_lazy("month", "Apr"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "Jun"),
    pgettext_lazy("month", "Jul"),
    pgettext_lazy("month", "Aug"),
    pgettext_lazy("month", "Sep"),
    pgettext_lazy("month", "Oct"),
    pgettext_lazy("month", "Nov"),
    pgettext_lazy("month", "Dec"),
)


def utc_offset(local: dt.datetime) -> str:
    raw = local.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:5]}"


def local_time_label(moment: dt.datetime, zone_name: str) -> str:
    """E.g. "1 Dec 2026, 10:00 (Asia/Shanghai, UTC+08:00)" in the active language."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return _("%(day)d %(month)s %(year)d, %(time)s (%(zone)s, %(offset)s)") % {
        "day": local.day,
        "month": MONTHS[local.month - 1],
        "year": local.year,
        "time": f"{local:%H:%M}",
        "zone": zone_name,
        "offset": utc_offset(local),
    }


def local_clock_label(moment: dt.datetime, zone_name: str) -> str:
    """Only the wall-clock time, e.g. "11:00", for an end on the same day."""
    return f"{moment.astimezone(zoneinfo.ZoneInfo(zone_name)):%H:%M}"
