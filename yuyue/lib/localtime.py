"""An instant as a person reads it: local wall-clock time with the zone and its offset."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

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


# The names people use for the zones our businesses and their customers are in. A zone not
# listed is shown by its IANA name (e.g. "Australia/Lord_Howe"): unambiguous, if not pretty.
_CHINA = pgettext_lazy("time zone", "China Standard Time")
ZONE_NAMES = {
    "Asia/Shanghai": _CHINA,
    "Asia/Chongqing": _CHINA,
    "Asia/Harbin": _CHINA,
    "PRC": _CHINA,
    "Asia/Hong_Kong": pgettext_lazy("time zone", "Hong Kong Time"),
    "Asia/Macau": pgettext_lazy("time zone", "Macau Time"),
    "Asia/Taipei": pgettext_lazy("time zone", "Taipei Time"),
    "Asia/Tokyo": pgettext_lazy("time zone", "Japan Standard Time"),
    "Asia/Seoul": pgettext_lazy("time zone", "Korea Standard Time"),
    "Asia/Singapore": pgettext_lazy("time zone", "Singapore Time"),
    "Europe/London": pgettext_lazy("time zone", "UK Time"),
    "Europe/Berlin": pgettext_lazy("time zone", "Central European Time"),
    "Europe/Paris": pgettext_lazy("time zone", "Central European Time"),
    "America/New_York": pgettext_lazy("time zone", "US Eastern Time"),
    "America/Los_Angeles": pgettext_lazy("time zone", "US Pacific Time"),
    "Australia/Sydney": pgettext_lazy("time zone", "Sydney Time"),
}


def zone_label(zone_name: str) -> str:
    """The name people use for a zone ("北京时间" / "China Standard Time"), else its IANA name."""
    name = ZONE_NAMES.get(zone_name)
    return str(name) if name is not None else zone_name


def utc_offset(local: dt.datetime) -> str:
    raw = local.strftime("%z")
    return f"UTC{raw[:3]}:{raw[3:5]}"


def local_time_label(moment: dt.datetime, zone_name: str, *, with_zone: bool = True) -> str:
    """E.g. "1 Dec 2026, 10:00 (China Standard Time, UTC+08:00)" in the active language;
    without the zone ("1 Dec 2026, 10:00") where the page names it once (`shared_zone`)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    values = {
        "day": local.day,
        "month": MONTHS[local.month - 1],
        "year": local.year,
        "time": f"{local:%H:%M}",
    }
    if not with_zone:
        return _("%(day)d %(month)s %(year)d, %(time)s") % values
    return _("%(day)d %(month)s %(year)d, %(time)s (%(zone)s, %(offset)s)") % {
        **values,
        "zone": zone_label(zone_name),
        "offset": utc_offset(local),
    }


def zone_and_offset(moment: dt.datetime, zone_name: str) -> str:
    """E.g. "China Standard Time (UTC+08:00)": the zone of a time, with its offset then."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return _("%(zone)s (%(offset)s)") % {"zone": zone_label(zone_name), "offset": utc_offset(local)}


def shared_zone(times: Iterable[tuple[dt.datetime, str]]) -> str | None:
    """The zone and offset every (moment, zone name) shares, e.g. "China Standard Time
    (UTC+08:00)", so a page names it once instead of after every time (which also wraps on a
    phone); None when they differ (two zones, or either side of a clock change) or there are
    none: each time then names its own."""
    seen = {zone_and_offset(moment, zone_name) for moment, zone_name in times}
    return seen.pop() if len(seen) == 1 else None


def local_clock_label(moment: dt.datetime, zone_name: str) -> str:
    """Only the wall-clock time, e.g. "11:00", for an end on the same day."""
    return f"{moment.astimezone(zoneinfo.ZoneInfo(zone_name)):%H:%M}"


WEEKDAYS = (
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
)


def weekday_label(day: dt.date) -> str:
    return str(WEEKDAYS[day.weekday()])


def day_label(day: dt.date) -> str:
    """E.g. "1 Dec" in English, "12月1日" in Chinese: a date within the coming months."""
    return _("%(day)d %(month)s") % {"day": day.day, "month": MONTHS[day.month - 1]}


def local_day_time_label(moment: dt.datetime, zone_name: str, *, with_zone: bool = True) -> str:
    """E.g. "Tue 1 Dec 2026, 10:00 (China Standard Time, UTC+08:00)": with its weekday."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return _("%(weekday)s %(label)s") % {
        "weekday": weekday_label(local.date()),
        "label": local_time_label(moment, zone_name, with_zone=with_zone),
    }


def local_short_label(moment: dt.datetime, zone_name: str) -> str:
    """E.g. "12月2日 10:00" or "2 Dec 10:00": for texts whose values have length limits."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{day_label(local.date())} {local:%H:%M}"


def local_weekday_time_label(moment: dt.datetime, zone_name: str) -> str:
    """E.g. "Tue 1 Dec 10:00": for a page that names its zone once."""
    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{weekday_label(local.date())} {day_label(local.date())} {local:%H:%M}"
