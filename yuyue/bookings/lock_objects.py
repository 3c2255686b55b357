"""The row locks of every write that takes or releases time, one helper per kind of row.

Every path locks the same rows the same way: `SELECT … FOR UPDATE OF` the row itself (not the
rows joined in for reading), several rows in ascending id, staff rows before an appointment row.
Two writers that need overlapping sets of rows then queue instead of waiting on each other in a
cycle (docs/booking.md#locking-order). On SQLite these are plain reads: BEGIN IMMEDIATE already
serializes the writers.
"""

from collections.abc import Sequence

from yuyue.bookings.models import Appointment
from yuyue.customers.models import Customer
from yuyue.scheduling.models import StaffMember


def staff_members_for_update(ids: Sequence[int], *, nowait: bool = False) -> list[StaffMember]:
    """Lock these staff members' rows, in ascending id, and return them. With `nowait`, raise
    at once (PostgreSQL's lock_not_available) if another transaction holds one of them.

    The linked user, location and business come along: the notifications of a booking need them.
    """
    return list(
        StaffMember.objects.select_for_update(of=("self",), nowait=nowait)
        .filter(id__in=ids)
        .select_related("location", "business", "user")
        .order_by("id")
    )


def appointment_for_update(appointment: Appointment) -> Appointment:
    """Lock one appointment's row and return it afresh, with what its services read."""
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service", "business", "staff", "customer", "location")
        .get(pk=appointment.pk)
    )


def customer_record_for_update(record_id: int) -> Customer:
    """Lock a business's customer record, after the staff rows and before any appointment row:
    the booking rules count a customer's bookings under it, so two bookings of one customer at
    once (for different staff) cannot both pass a limit of one more
    (docs/booking.md#booking-rules)."""
    return Customer.objects.select_for_update(of=("self",)).get(pk=record_id)
