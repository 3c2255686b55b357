"""The engine's reasons for a refused time, in words staff read."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Service
from yuyue.lib.localtime import local_clock_label, local_short_label, weekday_label
from yuyue.scheduling.engine import Reason
from yuyue.scheduling.models import StaffMember
from yuyue.webkit.templatetags.webkit import minutes


def _span(start: dt.datetime, end: dt.datetime, zone_name: str) -> str:
    return f"{local_clock_label(start, zone_name)}–{local_clock_label(end, zone_name)}"


def _hours(reason: Reason, zone_name: str) -> str:
    return ", ".join(_span(start, end, zone_name) for start, end in reason.spans) or "—"


def reason_text(
    reason: Reason,
    *,
    service: Service,
    staff: StaffMember,
    day: dt.date,
    zone_name: str,
    appointments: dict[int, Appointment],
) -> list[str]:
    """One sentence per reason (one per blocking appointment for an overlap)."""
    code = reason.code
    if code == "past":
        return [_("This time has already passed.")]
    if code == "notice":
        return [
            _("Too soon: %(service)s is booked at least %(notice)s ahead.")
            % {"service": service.name, "notice": minutes(service.min_notice_minutes)}
        ]
    if code == "horizon":
        return [
            ngettext(
                "Too far ahead: customers may book at most %(n)d day ahead.",
                "Too far ahead: customers may book at most %(n)d days ahead.",
                service.max_days_ahead,
            )
            % {"n": service.max_days_ahead}
        ]
    if code == "not_released":
        opens = local_short_label(reason.opens, zone_name) if reason.opens else "—"
        return [
            _(
                "Not open yet: this day's times open %(opens)s; staff can still book it for "
                "a customer."
            )
            % {"opens": opens}
        ]
    if code == "day_off":
        return [
            _("%(staff)s does not work on %(weekday)s.")
            % {"staff": staff.name, "weekday": weekday_label(day)}
        ]
    if code == "closed_override":
        return [_("%(staff)s is off that day (a date override).") % {"staff": staff.name}]
    if code == "outside_hours":
        return [
            _("Outside %(staff)s's working hours that day: %(hours)s.")
            % {"staff": staff.name, "hours": _hours(reason, zone_name)}
        ]
    if code == "outside_override":
        return [
            _("Outside the special hours set for that date: %(hours)s.")
            % {"hours": _hours(reason, zone_name)}
        ]
    if code == "break":
        return [
            _("It runs into a break: %(staff)s works %(hours)s that day.")
            % {"staff": staff.name, "hours": _hours(reason, zone_name)}
        ]
    if code == "off_grid":
        step = service.slot_interval_minutes or service.duration_minutes
        return [
            _(
                "Customers book on a %(step)s grid from the start of each working interval; "
                "staff can still book this time for them."
            )
            % {"step": minutes(step)}
        ]
    if code == "overlap":
        lines = []
        for busy in reason.busy:
            other = appointments.get(busy.appointment_id or 0)
            occupied = _span(busy.start, busy.end, zone_name)
            if other is None:
                lines.append(
                    _("Another appointment occupies %(occupied)s.") % {"occupied": occupied}
                )
                continue
            lines.append(
                _(
                    "Taken by %(customer)s's %(service)s at %(start)s–%(end)s; with its buffers "
                    "it occupies %(occupied)s."
                )
                % {
                    "customer": other.client.name,
                    "service": other.service.name,
                    "start": local_clock_label(other.start, zone_name),
                    "end": local_clock_label(other.end, zone_name),
                    "occupied": occupied,
                }
            )
        if service.buffer_before_minutes or service.buffer_after_minutes:
            lines.append(
                _("This service itself needs %(before)s before and %(after)s after.")
                % {
                    "before": minutes(service.buffer_before_minutes),
                    "after": minutes(service.buffer_after_minutes),
                }
            )
        return lines
    if code == "full":
        return [
            ngettext(
                "Full: its %(n)d seat is taken.", "Full: all %(n)d seats are taken.", reason.peak
            )
            % {"n": reason.peak}
        ]
    return [code]
