"""The one way a time to book is read from outside: text or a parsed value, with or without
an offset, made aware in the place's zone."""

import datetime as dt
import re

from django.utils.translation import gettext as _

from yuyue.lib.errors import InvalidInput

_START = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?$")
# Near year 1 or 9999 some zones' local times are not datetimes at all; no bookable time lies
# there, so such values are refused as malformed before any arithmetic. Whether a sane time
# can be booked is the services' question (refuse_unreachable), not the parser's.
_EARLIEST, _LATEST = 1900, 9000


def aware(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """A client's time: as given with an offset, else wall-clock time in `zone`.

    A wall-clock time that happens twice (the hour repeated when clocks fall back) is its
    first occurrence; a client wanting the second sends the offset.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=zone)
    return moment


def parse_start(
    raw: str | None, *, zone: dt.tzinfo, field: str = "start", message: str | None = None
) -> dt.datetime:
    """2026-12-01T09:00+08:00, or 2026-12-01 09:00 in `zone`; InvalidInput on `field` else."""
    text = (raw or "").strip().upper()
    moment = None
    if _START.match(text):
        try:
            moment = aware(dt.datetime.fromisoformat(text), zone)
            if not _EARLIEST <= moment.astimezone(dt.UTC).year <= _LATEST:
                moment = None
        except (ValueError, OverflowError):
            moment = None
    if moment is None:
        raise InvalidInput({field: [message or _("Enter a date and time like 2026-12-01 09:00.")]})
    return moment
