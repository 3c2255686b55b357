from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(*, using: str = "default", **kwargs: Any) -> None:
    """The database cache's table (throttle counters), made by every `migrate`: a fresh
    checkout, `make run` and the test databases all have it. Does nothing with Redis."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "yuyue.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="yuyue-cache-table")
