"""Which actions the back office offers on an appointment.

The rule lives in `yuyue.bookings.permissions.appointment_permissions` (issue 10); until that
lands on this branch, this stand-in applies the same status machine for staff and owners.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Status
from yuyue.catalog.selectors import business_role

try:
    from yuyue.bookings.permissions import appointment_permissions
except ImportError:

    @dataclass(frozen=True)
    class _Decision:
        allowed: bool

        def __bool__(self) -> bool:
            return self.allowed

    @dataclass(frozen=True)
    class _Permissions:
        role: str | None
        cancel: _Decision
        reschedule: _Decision
        confirm: _Decision
        start: _Decision
        complete: _Decision
        no_show: _Decision

    def appointment_permissions(  # type: ignore[no-redef]
        *, appointment: Appointment, actor: User, now: dt.datetime | None = None
    ) -> _Permissions:
        now = now or timezone.now()
        role = business_role(user=actor, business_id=appointment.business_id)
        staff = role is not None
        status = appointment.status
        changeable = (
            staff and status in (Status.PENDING, Status.CONFIRMED) and now < appointment.end
        )
        return _Permissions(
            role=role,
            cancel=_Decision(changeable),
            reschedule=_Decision(changeable and appointment.service.active),
            confirm=_Decision(staff and status == Status.PENDING),
            start=_Decision(staff and status == Status.CONFIRMED),
            complete=_Decision(staff and status == Status.IN_PROGRESS),
            no_show=_Decision(staff and status == Status.CONFIRMED and now >= appointment.start),
        )
