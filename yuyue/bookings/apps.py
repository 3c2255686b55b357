from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "yuyue.bookings"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from yuyue.bookings.audit import log_appointment_event
        from yuyue.bookings.models import AppointmentEvent

        post_save.connect(
            log_appointment_event, sender=AppointmentEvent, dispatch_uid="yuyue-audit-events"
        )
