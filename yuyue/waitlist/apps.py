from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "yuyue.waitlist"
    verbose_name = _("Waitlist")

    def ready(self) -> None:
        from yuyue.bookings.hooks import on_event
        from yuyue.lib.worker_steps import register
        from yuyue.waitlist.hooks import note_freed_time
        from yuyue.waitlist.services import waitlist_round

        # Time that frees up is noted in the transaction that frees it; the worker offers it
        # after commit (docs/waitlist.md#freed-time).
        on_event("waitlist", note_freed_time)
        register("waitlist", waitlist_round)
