"""Reads of the waitlist that depend on who asks (docs/waitlist.md)."""

import datetime as dt

from django.db.models import Q, QuerySet

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Status
from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_role
from yuyue.lib.errors import NotAllowed
from yuyue.waitlist.models import WaitlistEntry

State = WaitlistEntry.State


def my_entries(*, user: User, live_only: bool = False) -> QuerySet[WaitlistEntry]:
    """The customer's own entries, newest first, with their standing offers."""
    entries = WaitlistEntry.objects.filter(customer=user)
    if live_only:
        entries = entries.filter(state__in=(State.WAITING, State.OFFERED))
    return entries.select_related("business", "service", "staff", "offer").order_by(
        "-created_at", "-id"
    )


def my_entry(*, user: User, public_id: str) -> WaitlistEntry | None:
    return my_entries(user=user).filter(public_id=public_id).first()


def my_offer(*, user: User, public_id: str) -> Appointment | None:
    """The customer's own waitlist offer (standing, or answered since) by its public id."""
    return (
        Appointment.objects.filter(customer=user, public_id=public_id)
        .filter(Q(status=Status.OFFERED) | Q(waitlist_entry__isnull=False))
        .select_related("business", "service", "staff", "location")
        .first()
    )


def business_waitlist(
    *,
    business: Business,
    actor: User,
    day: dt.date | None = None,
    service_id: int | None = None,
    live_only: bool = True,
) -> QuerySet[WaitlistEntry]:
    """The business's waitlist for its owners and staff, first come first: those waiting on
    `day` (when given) for `service_id` (when given), with the offers in flight."""
    if business_role(user=actor, business_id=business.id) is None:
        raise NotAllowed()
    entries = WaitlistEntry.objects.filter(business=business)
    if live_only:
        entries = entries.filter(state__in=(State.WAITING, State.OFFERED))
    if day is not None:
        entries = entries.filter(date_from__lte=day, date_to__gte=day)
    if service_id is not None:
        entries = entries.filter(service_id=service_id)
    return entries.select_related("service", "staff", "client", "offer", "offer__staff").order_by(
        "created_at", "id"
    )
