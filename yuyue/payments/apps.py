from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "yuyue.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from yuyue.lib.worker_steps import register
        from yuyue.payments.sweep import sweep

        # The worker that sends the messages also lapses unpaid holds and applies refunds.
        register("payments", sweep)
