"""What the booking and reschedule pages (the customer's and the back office's) read from a
query string or form, checked.

Navigation values (a day, a staff choice) that make no sense fall back to the default view, as
a stale or hand-edited link should still lead somewhere useful; a time to book must be exact,
so a bad one is an error the page names.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yuyue.catalog.models import Location, Service
from yuyue.lib.times import parse_start
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import bookable_staff, service_locations
from yuyue.webkit.pages import an_id

ANY_STAFF = "any"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(raw: str | None) -> dt.date | None:
    if not raw or not _DAY.match(raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def chosen_start(raw: str | None, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A time from the lists, which link it with its offset: 2026-12-01T09:00+08:00."""
    return parse_start(raw, zone=zone, message=_("Choose a time from the list."))


def start_value(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="minutes")


def staff_choice(
    service: Service, raw: str | None, location: Location | None = None
) -> StaffMember | None:
    """The staff member a customer picked for `service` (at `location`), or None for anyone.

    An id that names nobody who offers the service there (anymore) means anyone, rather than a
    dead end: the link may be old.
    """
    staff_id = an_id(raw)
    if staff_id is None:
        return None
    return bookable_staff(
        service=service,
        staff_ids=[staff_id],
        location_id=None if location is None else location.id,
    ).first()


def location_choice(raw: str | None, offered: list[Location]) -> Location | None:
    """The shop a customer picked among those offering the service, or None for any shop."""
    location_id = an_id(raw)
    return next((place for place in offered if place.id == location_id), None)


def staff_value(staff: StaffMember | None) -> str:
    return ANY_STAFF if staff is None else str(staff.id)


@dataclass(frozen=True)
class Choice:
    """For which service, where and with whom: what the customer picked so far, checked against
    what is offered."""

    service: Service
    location: Location | None  # None: any shop
    staff: StaffMember | None  # None: anyone
    offered: list[Location]  # the shops offering the service; a choice only when several
    fixed: bool = False  # the shop is given (a reschedule), not the customer's choice

    @property
    def carry(self) -> dict[str, object]:
        """The query parameters that keep the customer's choices in every link of the flow."""
        chosen = None if self.location is None or self.fixed else self.location.id
        return {"location": chosen, "staff": staff_value(self.staff)}

    @property
    def place(self) -> Location | None:
        """The shop the visit will be at, when it is already known."""
        if self.location is not None:
            return self.location
        if self.staff is not None and self.staff.location is not None:
            return self.staff.location
        return self.offered[0] if len(self.offered) == 1 else None


def choice_of(
    service: Service,
    data: Mapping[str, str],
    *,
    fixed_location: Location | None = None,
    default_staff: str | None = None,
) -> Choice:
    """The shop and staff member named in a request; `fixed_location` is not the customer's
    to change (a reschedule stays at its shop)."""
    offered = service_locations(service=service)
    location: Location | None
    if fixed_location is not None:
        location = fixed_location
    elif len(offered) > 1:
        location = location_choice(data.get("location"), offered)
    else:
        location = None
    staff = staff_choice(service, data.get("staff") or default_staff, location)
    return Choice(
        service=service,
        location=location,
        staff=staff,
        offered=offered,
        fixed=fixed_location is not None,
    )
