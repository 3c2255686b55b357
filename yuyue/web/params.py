"""What the customer pages read from a query string or form, checked.

Navigation values (a day, a staff choice) that make no sense fall back to the default view, as
a stale or hand-edited link should still lead somewhere useful; a time to book must be exact,
so a bad one is an error the page names.
"""

import datetime as dt
import re
import zoneinfo

from django.utils.translation import gettext as _

from yuyue.catalog.models import Service
from yuyue.lib.errors import InvalidInput
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import bookable_staff

ANY_STAFF = "any"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EARLIEST, _LATEST = 1900, 9000
_START = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")


def parse_day(raw: str | None) -> dt.date | None:
    if not raw or not _DAY.match(raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def parse_start(raw: str | None, field: str = "start") -> dt.datetime:
    """An instant written with its offset, as the time lists link it: 2026-12-01T09:00+08:00."""
    text = (raw or "").strip().upper()
    moment = None
    if _START.match(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is not None:
        try:
            # Near year 1 or 9999 some zones' local times are not datetimes at all; no
            # bookable time lies there, so such values are refused before any arithmetic.
            if not _EARLIEST <= moment.astimezone(dt.UTC).year <= _LATEST:
                moment = None
        except OverflowError:
            moment = None
    if moment is None:
        raise InvalidInput({field: [_("Choose a time from the list.")]})
    return moment


def start_value(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="minutes")


def staff_choice(service: Service, raw: str | None) -> StaffMember | None:
    """The staff member a customer picked for `service`, or None for anyone.

    An id that names nobody who offers the service (anymore) means anyone, rather than a dead
    end: the link may be old.
    """
    if not raw or raw == ANY_STAFF or not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    return bookable_staff(service=service, staff_ids=[int(raw)]).first()


def staff_value(staff: StaffMember | None) -> str:
    return ANY_STAFF if staff is None else str(staff.id)
