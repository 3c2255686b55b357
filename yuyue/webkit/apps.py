from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebkitConfig(AppConfig):
    name = "yuyue.webkit"
    label = "webkit"
    verbose_name = _("Web toolkit")
