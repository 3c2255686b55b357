from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "yuyue.scheduling"
    verbose_name = _("Staff and hours")
