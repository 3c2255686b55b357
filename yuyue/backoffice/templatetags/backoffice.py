"""Template filters of the back office."""

from django import template

from yuyue.bookings.models import Appointment
from yuyue.lib.localtime import local_day_time_label

register = template.Library()


@register.filter
def local_when(appointment: Appointment) -> str:
    """The appointment's start in its local time, with weekday, zone and offset."""
    return local_day_time_label(appointment.start, appointment.zone_name)
