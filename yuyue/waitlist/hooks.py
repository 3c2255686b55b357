"""What the waitlist does when an appointment changes (registered with
yuyue.bookings.hooks.on_event): runs in the change's transaction, under the appointment's row
lock, so what it notes commits or rolls back with the change (docs/waitlist.md#freed-time).

Lock order: the appointment's row (held by the booking service), then the entry's. The worker
that makes offers locks an entry and then staff rows, never an appointment, so the two never
wait on each other in a cycle.
"""

import datetime as dt

from django.utils import timezone

from yuyue.bookings.models import HOLDING_STATUSES, Appointment, AppointmentEvent, Status
from yuyue.waitlist.models import FreedTime, WaitlistEntry

Action = AppointmentEvent.Action
State = WaitlistEntry.State


def note_freed_time(appointment: Appointment, event: AppointmentEvent) -> None:
    if event.action == Action.ACCEPTED:
        WaitlistEntry.objects.filter(offer=appointment, state=State.OFFERED).update(
            state=State.BOOKED
        )
        return
    if event.action == Action.CANCELLED and event.from_status in HOLDING_STATUSES:
        passed_by = None
        if event.from_status == Status.OFFERED:
            # Declined or lapsed: the waiter waits again, and the time goes to the next one.
            entry = (
                WaitlistEntry.objects.select_for_update()
                .filter(offer=appointment, state=State.OFFERED)
                .first()
            )
            if entry is not None:
                entry.state, entry.offer = State.WAITING, None
                entry.offers_passed += 1
                entry.save(update_fields=["state", "offer", "offers_passed", "updated_at"])
                passed_by = entry
        _freed(appointment, appointment.staff_id, appointment.start, appointment.end, passed_by)
    elif event.action == Action.RESCHEDULED:
        old = event.data.get("old") or {}
        if "start" in old and "staff_id" in old:
            start = dt.datetime.fromisoformat(old["start"])
            end = start + (appointment.end - appointment.start)
            _freed(appointment, int(old["staff_id"]), start, end, None)


def _freed(
    appointment: Appointment,
    staff_id: int,
    start: dt.datetime,
    end: dt.datetime,
    passed_by: WaitlistEntry | None,
) -> None:
    # Time already past is nobody's, and a business nobody waits at needs no note.
    if end <= timezone.now() or not (
        WaitlistEntry.objects.filter(
            business_id=appointment.business_id, state=State.WAITING
        ).exists()
    ):
        return
    FreedTime.objects.create(
        business_id=appointment.business_id,
        staff_id=staff_id,
        start=start,
        end=end,
        passed_by=passed_by,
    )
