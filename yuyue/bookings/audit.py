"""Every appointment change goes to the audit log once its transaction commits."""

from typing import Any

from django.db import transaction

from yuyue.bookings.models import AppointmentEvent
from yuyue.lib.audit import audit


def log_appointment_event(
    sender: type, instance: AppointmentEvent, created: bool, **kwargs: Any
) -> None:
    if not created:
        return
    fields = {
        "appointment": instance.appointment.public_id,
        "business": instance.appointment.business_id,
        "from_status": instance.from_status or "-",
        "to_status": instance.to_status,
    }
    actor = instance.actor or "-"
    transaction.on_commit(lambda: audit(f"appointment.{instance.action}", actor=actor, **fields))
