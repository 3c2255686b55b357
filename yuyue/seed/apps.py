from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedConfig(AppConfig):
    name = "yuyue.seed"
    verbose_name = _("The original brief's routes")
