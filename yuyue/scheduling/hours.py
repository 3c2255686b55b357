"""Weekly hours and day intervals in the "HH:MM" form people and clients use.

The rules: docs/availability.md#weekly-hours.
"""

import re
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from yuyue.lib.errors import InvalidInput

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_INTERVALS_PER_DAY = 12
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def parse_time(text: object) -> int:
    """Minutes after midnight of an "HH:MM" string; "24:00" is the next midnight."""
    if not isinstance(text, str) or not _TIME.match(text):
        raise ValueError(_("%(value)r is not a time like 09:30.") % {"value": text})
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def parse_intervals(raw: object) -> list[tuple[int, int]]:
    """A day's intervals, sorted, touching ones merged; overlapping ones are refused."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ValueError(_("Give a list of [start, end] pairs."))
    if len(raw) > MAX_INTERVALS_PER_DAY:
        raise ValueError(_("At most %(n)d intervals per day.") % {"n": MAX_INTERVALS_PER_DAY})
    intervals = []
    for pair in raw:
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            raise ValueError(_("Each interval is a pair [start, end]."))
        start, end = parse_time(pair[0]), parse_time(pair[1])
        if start >= end:
            raise ValueError(
                _("An interval must end after it starts (%(start)s–%(end)s).")
                % {"start": pair[0], "end": pair[1]}
            )
        intervals.append((start, end))
    intervals.sort()
    merged: list[tuple[int, int]] = []
    for start, end in intervals:
        if merged and start < merged[-1][1]:
            raise ValueError(_("Intervals overlap."))
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def parse_weekly(raw: object) -> dict[int, list[tuple[int, int]]]:
    """`{"mon": [["09:00","12:00"], ...], ...}` → weekday number → intervals.

    Every problem is reported at once, under the weekday's key, so a client can show them all.
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput({"hours": [_("Give an object with keys mon…sun.")]})
    errors: dict[str, list[str]] = {}
    for key in raw:
        if key not in WEEKDAY_KEYS:
            errors[str(key)] = [_("Unknown weekday; use mon, tue, wed, thu, fri, sat, sun.")]
    weekly: dict[int, list[tuple[int, int]]] = {}
    for number, key in enumerate(WEEKDAY_KEYS):
        value = raw.get(key) or []
        try:
            weekly[number] = parse_intervals(value)
        except ValueError as error:
            errors[key] = [str(error)]
    if errors:
        raise InvalidInput(errors)
    return weekly
