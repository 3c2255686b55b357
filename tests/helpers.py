"""Plain helpers shared by tests (fixtures live in conftest.py)."""

import datetime as dt
import glob
import os
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from yuyue.accounts.models import User

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Tuesday morning, before opening time, in the business's zone.
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)
# Debian's libfaketime (package faketime): what puts a process a test starts on the test's clock.
LIBFAKETIME = "/usr/lib/*/faketime/libfaketime.so.1"
WORKWEEK = {
    day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(
        username=username,
        password="correct horse battery",
        phone=extra.pop("phone", "+8613800138000"),
        **extra,
    )


def at(day: dt.date, hhmm: str, zone=SHANGHAI) -> dt.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)


def make_appointment(*, service, staff, customer, start: dt.datetime, status: str = "confirmed"):
    """Put an appointment straight into the table, in any status, as test set-up.

    Tests of the booking services book through them; this is for arranging a state
    (a past appointment, one in progress) that the services would need many steps to reach.
    """
    from django.db import transaction

    from yuyue.bookings.models import Appointment
    from yuyue.catalog.versions import availability_changed

    end = start + dt.timedelta(minutes=service.duration_minutes)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            business_id=service.business_id,
            service=service,
            staff=staff,
            location=staff.location,
            customer=customer,
            start=start,
            end=end,
            occupied_start=start - dt.timedelta(minutes=service.buffer_before_minutes),
            occupied_end=end + dt.timedelta(minutes=service.buffer_after_minutes),
            exclusive=service.capacity == 1,
            status=status,
            price=service.price,
            currency="CNY",
        )
        # Written past the services, so it says itself that cached free times are stale.
        availability_changed(business_id=service.business_id)
    return appointment


def owner_of(thing) -> User:
    """The (first) owner of a business, or of the business a row belongs to: the actor that
    owner-only services ask for when a test sets the scene."""
    business_id = getattr(thing, "business_id", None) or thing.id
    return User.objects.filter(
        memberships__business_id=business_id, memberships__role="owner"
    ).earliest("id")


def join_business(*, business, user: User, role: str, actor: User | None = None):
    """A member as the product makes one: an owner invites, the person accepts as themself."""
    from yuyue.catalog.services import invitation_accept, invitation_create

    inviter = actor or business.memberships.filter(role="owner").first().user
    issued = invitation_create(business=business, actor=inviter, role=role)
    return invitation_accept(token=issued.token, actor=user)


def clock_env() -> dict[str, str]:
    """The environment variables that start a process on this test's clock.

    time-machine moves the clock of this process only; a worker, server or script a test starts
    would read the real date, which moves on every day. libfaketime starts the process's clock
    at this process's "now" (rounded up to the second, its resolution, so that nothing due now
    looks not yet due there) and lets it run. `TZ` is the zone it reads that time in, and the
    one Django sets in the process anyway (TIME_ZONE), so re-reading it later changes nothing.
    """
    library = sorted(glob.glob(LIBFAKETIME))
    if not library:
        message = "libfaketime is not installed (Debian: apt-get install faketime)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the tests that start processes.", pytrace=False)
        pytest.skip(message)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now().astimezone(zone)
    start = now.replace(microsecond=0) + dt.timedelta(seconds=1 if now.microsecond else 0)
    return {
        "LD_PRELOAD": library[0],
        "FAKETIME": start.strftime("@%Y-%m-%d %H:%M:%S"),
        "TZ": settings.TIME_ZONE,
    }
