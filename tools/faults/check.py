"""After a fault run: which of the given appointment ids are stored, and how many pairs of
holding appointments of one staff member overlap. Prints JSON; reads ids on stdin."""

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
    from yuyue.bookings.models import HOLDING_STATUSES, Appointment

    ids = set(json.load(sys.stdin))
    stored = set(Appointment.objects.filter(public_id__in=ids).values_list("public_id", flat=True))
    holding = Appointment.objects.filter(status__in=HOLDING_STATUSES, exclusive=True)
    overlaps = 0
    for appointment in holding.iterator():
        overlaps += holding.filter(
            staff_id=appointment.staff_id,
            id__gt=appointment.id,
            occupied_start__lt=appointment.occupied_end,
            occupied_end__gt=appointment.occupied_start,
        ).count()
    print(
        json.dumps(
            {
                "stored": len(stored),
                "missing": sorted(ids - stored),
                "appointments": Appointment.objects.count(),
                "overlaps": overlaps,
            }
        )
    )


if __name__ == "__main__":
    main()
