"""Reads of appointments that depend on who asks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from yuyue.accounts.models import User
from yuyue.bookings.models import (
    HOLDING_STATUSES,
    Appointment,
    AppointmentEvent,
    Status,
    cancel_reason_label,
)
from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_role
from yuyue.customers.models import Customer
from yuyue.customers.selectors import customer_search
from yuyue.lib.zones import first_zone
from yuyue.notifications.models import Notification

# Dates outside these bounds cannot be turned into instants in every zone (year 1 minus an
# offset is no datetime at all), and no appointment lies there anyway.
_EARLIEST = dt.date(1900, 1, 1)
_LATEST = dt.date(9000, 12, 31)


def _appointments() -> QuerySet[Appointment]:
    return Appointment.objects.select_related(
        "business", "service", "staff", "location__business", "customer", "client"
    )


def appointment_for_viewer(*, user: User, public_id: str) -> Appointment | None:
    """The appointment if `user` may see it: its customer, or staff or owner of its business.

    Anyone else gets None, exactly as for an id that does not exist, so nobody can learn
    whether another customer's appointment exists.
    """
    appointment = _appointments().filter(public_id=public_id).first()
    if appointment is None:
        return None
    if (
        appointment.customer_id is not None
        and appointment.customer_id == user.pk
        and user.is_active
    ):
        return appointment
    if business_role(user=user, business_id=appointment.business_id) is not None:
        return appointment
    return None


def on_local_dates(
    appointments: QuerySet[Appointment], date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[Appointment]:
    """Appointments whose start falls on these local dates (inclusive).

    Local means the appointment's location's zone where it has one, else its business's: a
    day at a Shanghai shop and a day at a Berlin shop are different instants. One query finds
    the zones involved; the filter itself stays in SQL, so counting and paging do too.
    """
    if date_from is None and date_to is None:
        return appointments
    date_from = max(date_from or _EARLIEST, _EARLIEST)
    date_to = min(date_to or _LATEST, _LATEST)
    if date_to < date_from:
        return appointments.none()
    pairs = appointments.order_by().values_list("business__timezone", "location__timezone")
    condition = Q(pk__in=[])
    for business_zone, location_zone in set(pairs):
        zone = first_zone(location_zone, business_zone)
        start = dt.datetime.combine(date_from, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        where = Q(business__timezone=business_zone, start__gte=start, start__lt=end)
        if location_zone is None:
            where &= Q(location__isnull=True)
        else:
            where &= Q(location__timezone=location_zone)
        condition |= where
    return appointments.filter(condition)


def _filtered(
    appointments: QuerySet[Appointment],
    *,
    status: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    newest_first: bool,
) -> QuerySet[Appointment]:
    if status is not None:
        appointments = appointments.filter(status=status)
    appointments = on_local_dates(appointments, date_from, date_to)
    order = ("-start", "-id") if newest_first else ("start", "id")
    return appointments.order_by(*order)


def appointments_of_customer(
    *,
    customer: User,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    newest_first: bool = False,
) -> QuerySet[Appointment]:
    """The customer's own appointments, at every business."""
    return _filtered(
        _appointments().filter(customer=customer),
        status=status,
        date_from=date_from,
        date_to=date_to,
        newest_first=newest_first,
    )


def cancellation_reasons(*, appointment_ids: list[int]) -> dict[int, str]:
    """The reason given when each of these appointments was cancelled (its last cancellation
    with a reason), for the pages that show a cancelled appointment: one query."""
    events = (
        AppointmentEvent.objects.filter(
            appointment_id__in=appointment_ids, action=AppointmentEvent.Action.CANCELLED
        )
        .exclude(reason="")
        .order_by("created_at", "id")
        .values_list("appointment_id", "reason")
    )
    return {appointment_id: cancel_reason_label(reason) for appointment_id, reason in events}


def appointments_of_business(
    *,
    business: Business,
    status: str | None = None,
    staff_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    newest_first: bool = False,
) -> QuerySet[Appointment]:
    """Every appointment of the business; the caller checks that the reader is its staff."""
    appointments = _appointments().filter(business=business)
    if staff_id is not None:
        appointments = appointments.filter(staff_id=staff_id)
    return _filtered(
        appointments,
        status=status,
        date_from=date_from,
        date_to=date_to,
        newest_first=newest_first,
    )


def holding_appointment_at(
    *, customer: User, service_id: int, start: dt.datetime
) -> Appointment | None:
    """The customer's own live appointment of this service at exactly this start, if any."""
    return (
        _appointments()
        .filter(
            customer=customer,
            service_id=service_id,
            start=start,
            status__in=HOLDING_STATUSES,
        )
        .first()
    )


def appointments_overlapping(
    *,
    business: Business,
    start: dt.datetime,
    end: dt.datetime,
    staff_ids: list[int] | None = None,
    include_cancelled: bool = False,
) -> QuerySet[Appointment]:
    """The business's appointments that overlap [start, end), for its day and week calendars;
    the caller checks that the reader is its staff."""
    appointments = _appointments().filter(business=business, start__lt=end, end__gt=start)
    if staff_ids is not None:
        appointments = appointments.filter(staff_id__in=staff_ids)
    if not include_cancelled:
        appointments = appointments.exclude(status=Status.CANCELLED)
    return appointments.order_by("start", "id")


def pending_of_business(
    *, business: Business, now: dt.datetime, staff_ids: list[int] | None = None
) -> QuerySet[Appointment]:
    """Appointments still waiting for the business to confirm them, soonest first."""
    appointments = _appointments().filter(business=business, status=Status.PENDING, end__gt=now)
    if staff_ids is not None:
        appointments = appointments.filter(staff_id__in=staff_ids)
    return appointments.order_by("start", "id")


def appointment_history(*, business: Business, public_id: str) -> Appointment | None:
    """One appointment of the business with its audit trail and messages, for its staff."""
    return (
        _appointments()
        .filter(business=business, public_id=public_id)
        .prefetch_related(
            Prefetch("events", queryset=AppointmentEvent.objects.select_related("actor")),
            Prefetch(
                "notifications",
                queryset=Notification.objects.select_related("recipient").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .first()
    )


@dataclass(frozen=True)
class CustomerRecord:
    visits: int  # completed appointments
    no_shows: int
    cancellations: int
    upcoming: int


def customer_record(*, customer: Customer) -> CustomerRecord:
    """How a customer (a business's record) has kept their appointments there: one query."""
    counts = Appointment.objects.filter(client=customer).aggregate(
        visits=Count("id", filter=Q(status=Status.COMPLETED)),
        no_shows=Count("id", filter=Q(status=Status.NO_SHOW)),
        cancellations=Count("id", filter=Q(status=Status.CANCELLED)),
        upcoming=Count("id", filter=Q(status__in=HOLDING_STATUSES)),
    )
    return CustomerRecord(**counts)


def customers_of_business(*, business: Business, query: str = "") -> QuerySet[Customer]:
    """The business's own customer records, found by name, email or phone digits, with their
    visits and no-shows; the caller checks that the reader is its staff."""
    return customer_search(business=business, query=query).annotate(
        visits=Count("appointments", filter=Q(appointments__status=Status.COMPLETED)),
        no_shows=Count("appointments", filter=Q(appointments__status=Status.NO_SHOW)),
    )


def appointments_by_ids(*, business: Business, ids: list[int]) -> dict[int, Appointment]:
    """The business's appointments with these ids, by id (others are left out)."""
    return {
        appointment.id: appointment
        for appointment in _appointments().filter(business=business, id__in=ids)
    }


def appointment_rows(*, business: Business, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Plain rows of the business's appointments starting in [start, end), for reports: one
    query, whatever their number."""
    return list(
        Appointment.objects.filter(business=business, start__gte=start, start__lt=end)
        .order_by("start", "id")
        .values(
            "public_id",
            "staff_id",
            "staff__name",
            "service__name",
            "client__name",
            "client__phone",
            "location__name",
            "status",
            "start",
            "end",
            "price",
            "currency",
            "channel",
        )
    )


def bookings_made_since(*, business_ids: list[int], since: dt.datetime) -> dict[int, int]:
    """How many appointments each business took since `since` (for the platform's list)."""
    rows = (
        Appointment.objects.filter(business_id__in=business_ids, created_at__gte=since)
        .values("business_id")
        .annotate(n=Count("id"))
    )
    return {row["business_id"]: row["n"] for row in rows}
