"""Set up a fault run's data in the database DATABASE_URL names, and print it as JSON.

One business open around the clock with four staff and a 15-minute service, and N customers
with API tokens, so that the load scripts can book hundreds of distinct times.
Run as a script: `python tools/faults/fixture.py CUSTOMERS`.
"""

import inspect
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    import django

    django.setup()
    from yuyue.accounts.models import User
    from yuyue.accounts.services import token_issue
    from yuyue.catalog.services import business_create, service_create
    from yuyue.scheduling.services import staff_hours_set, staff_member_create

    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    owner = User.objects.create_user(username="fault-owner", password=None, phone="+8613800138000")

    def as_owner(service, **fields):
        # Write services take the acting user where they ask for one.
        if "actor" in inspect.signature(service).parameters:
            fields["actor"] = owner
        return service(**fields)

    business = business_create(owner=owner, slug="fault", name="Fault run", timezone="UTC")
    service = as_owner(
        service_create,
        business=business,
        name="15 minutes",
        duration_minutes=15,
        price="1.00",
        min_notice_minutes=0,
        max_days_ahead=365,
    )
    week = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    for i in range(4):
        staff = as_owner(
            staff_member_create, business=business, name=f"Staff {i}", services=[service]
        )
        as_owner(staff_hours_set, staff=staff, hours=week)
    tokens = []
    for i in range(customers):
        user = User.objects.create_user(
            username=f"fault-{i}", password=None, phone="+8613800138000"
        )
        tokens.append(token_issue(user=user).key)
    print(json.dumps({"slug": business.slug, "service_id": service.id, "tokens": tokens}))


if __name__ == "__main__":
    main()
