"""`yuyue notifications_health`: is the dispatcher keeping up? For monitoring and alarms."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yuyue.notifications.selectors import outbox_health


class Command(BaseCommand):
    help = (
        "Print the age of the oldest due notification and the outbox counts as JSON. With "
        "--max-age, exit with status 1 when the oldest due row is older (the dispatcher is "
        "down or behind)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age", type=int, default=None, help="Seconds a due row may wait.")

    def handle(self, *args, **options) -> None:
        health = outbox_health(now=timezone.now())
        self.stdout.write(json.dumps(health))
        age = health["oldest_due_age_seconds"]
        if options["max_age"] is not None and age is not None and age > options["max_age"]:
            raise CommandError(
                f"the oldest due notification has waited {age} s (limit {options['max_age']} s)"
            )
