from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "yuyue.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from yuyue.lib.worker_steps import register
        from yuyue.notifications.erasure import RetentionStep

        # Each business's retention of its customers' records (docs/privacy.md#erasure).
        register("retention", RetentionStep())
