"""`manage.py demo`: create the demo salon, once, so a fresh install has something to show."""

import contextlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.models import Status
from yuyue.catalog.models import Business
from yuyue.demo.demo import LOGINS, demo_build, demo_exists, login_lines
from yuyue.lib.admin import describe_error
from yuyue.lib.audit import audit_muted
from yuyue.lib.errors import DomainError


class Command(BaseCommand):
    help = "Create the demo business with staff, services and appointments (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing unless the database has no business at all.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        slug = settings.YUYUE_DEFAULT_BUSINESS
        if if_empty and Business.objects.exists():
            self.stdout.write(_("The database already has a business; no demo data was added."))
            return
        if demo_exists(slug):
            self.stdout.write(
                _("The demo business “%(slug)s” already exists; nothing was created.")
                % {"slug": slug}
            )
            self._print_logins()
            return
        taken = sorted(
            User.objects.filter(username__in=[login.username for login in LOGINS]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise CommandError(
                _(
                    "The demo needs the usernames %(names)s, but they already exist. "
                    "Use an empty database for the demo."
                )
                % {"names": ", ".join(taken)}
            )
        try:
            # One transaction: a failure halfway leaves no half-made salon behind. The audit
            # line of each sample booking (about forty) would bury the summary and the logins
            # below; `-v 2` shows them.
            quiet = audit_muted() if options["verbosity"] < 2 else contextlib.nullcontext()
            with quiet, transaction.atomic():
                result = demo_build(slug=slug, say=self.stdout.write)
        except DomainError as error:
            raise CommandError(
                _("The demo could not be created: %(error)s") % {"error": describe_error(error)}
            ) from error
        summary = ", ".join(
            f"{Status(status).label} {count}" for status, count in result.appointments.items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo business “%(name)s” (%(slug)s) is ready. Appointments: %(summary)s.")
                % {"name": result.business.name, "slug": slug, "summary": summary}
            )
        )
        self._print_logins()

    def _print_logins(self) -> None:
        for line in login_lines(settings.YUYUE_PUBLIC_URL):
            self.stdout.write(line)
