"""Is a chosen time still free, and which free times lie nearest, as the pages show them."""

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from yuyue.bookings.availability import alternatives_for, availability
from yuyue.catalog.models import Location, Service
from yuyue.lib.localtime import day_label, weekday_label
from yuyue.scheduling.engine import Slot
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import request_zone
from yuyue.webkit.params import start_value


def is_free(
    *,
    service: Service,
    staff: StaffMember | None,
    start: dt.datetime,
    location: Location | None = None,
    exclude_appointment_id: int | None = None,
) -> bool:
    """Whether `start` is one of the day's free times right now (the booking re-checks)."""
    zone = request_zone(business=service.business, location=location)
    day = start.astimezone(zone).date()
    found = availability(
        service=service,
        date_from=day,
        date_to=day,
        staff_id=None if staff is None else staff.id,
        location=location,
        exclude_appointment_id=exclude_appointment_id,
    )
    return any(slot.start == start for slot in found.slots)


def alternatives(
    *,
    service: Service,
    staff: StaffMember | None,
    start: dt.datetime,
    found: Sequence[Slot] | None = None,
    location: Location | None = None,
    exclude_appointment_id: int | None = None,
    skip: dt.datetime | None = None,
) -> list[dict]:
    """The nearest free starts as {label, value}: those a refusal carried, else looked up;
    `skip` leaves out a start (a rescheduled appointment's own time)."""
    zone = request_zone(business=service.business, location=location)
    if found is None:
        found = alternatives_for(
            service=service,
            start=start,
            staff=staff,
            location=location,
            exclude_appointment_id=exclude_appointment_id,
        )
    result = []
    for slot in found:
        if skip is not None and slot.start == skip:
            continue
        local = slot.start.astimezone(zone)
        label = _("%(weekday)s %(day)s, %(time)s") % {
            "weekday": weekday_label(local.date()),
            "day": day_label(local.date()),
            "time": f"{local:%H:%M}",
        }
        result.append({"value": start_value(slot.start, zone), "label": label})
    return result
