"""Every write to the waitlist (docs/waitlist.md): joining and leaving, and the worker's round
that lapses offers, clears entries whose dates passed and offers freed time to the first
waiter it fits. Accepting and declining an offer are the booking services'
(`appointment_offer_accept`, `appointment_offer_release`); the hook (yuyue/waitlist/hooks.py)
keeps the entry in step with them."""

import contextlib
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.errors import BookingError, SlotUnavailable
from yuyue.bookings.models import Appointment, Channel, Status
from yuyue.bookings.services import appointment_create, appointment_offer_release
from yuyue.catalog.models import Service
from yuyue.customers.services import customer_for_booking
from yuyue.lib.errors import DomainError, InvalidInput, NotAllowed
from yuyue.lib.writers import writer_turn
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import request_zone, service_rules
from yuyue.waitlist.matching import Freed, Wish, fits_in_order
from yuyue.waitlist.models import FreedTime, WaitlistEntry

logger = logging.getLogger("yuyue.waitlist")
State = WaitlistEntry.State
LIVE = (State.WAITING, State.OFFERED)
# A customer waits for at most this many things at one business at a time.
MAX_LIVE_ENTRIES = 5
# And for at most this many days in one entry.
MAX_RANGE_DAYS = 31


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def waitlist_join(
    *,
    service: Service,
    actor: User,
    date_from: dt.date,
    date_to: dt.date,
    time_from: dt.time,
    time_to: dt.time,
    staff: StaffMember | None = None,
    channel: str = Channel.WEB,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """`actor` waits for `service` (with `staff`, or anyone) on a date from `date_from` to
    `date_to`, starting and ending within `time_from`–`time_to`, local time where it happens."""
    now = _now(now)
    if not actor.is_active:
        raise NotAllowed()
    errors: dict[str, list[str]] = {}
    if not service.active:
        errors["service_id"] = [_("This service is not available for booking.")]
    if staff is not None and (
        staff.business_id != service.business_id
        or not staff.active
        or not staff.services.filter(id=service.id).exists()
    ):
        errors["staff_id"] = [_("This staff member does not offer this service.")]
    if channel not in Channel.values or channel == Channel.BACKOFFICE:
        errors["channel"] = [_("Unknown channel.")]
    today = now.astimezone(request_zone(business=service.business, staff=staff)).date()
    horizon = today + dt.timedelta(days=service.max_days_ahead)
    if date_from < today:
        errors["date_from"] = [_("Choose today or a later date.")]
    elif date_to < date_from:
        errors["date_to"] = [_("The last date comes after the first.")]
    elif date_to > horizon:
        errors["date_to"] = [
            _("This service is booked at most %(n)d days ahead.") % {"n": service.max_days_ahead}
        ]
    elif (date_to - date_from).days >= MAX_RANGE_DAYS:
        errors["date_to"] = [_("Wait for at most %(n)d days at a time.") % {"n": MAX_RANGE_DAYS}]
    if time_to <= time_from:
        errors["time_to"] = [_("The window ends after it begins.")]
    if errors:
        raise InvalidInput(errors)
    with writer_turn(), transaction.atomic():
        client = customer_for_booking(business=service.business, user=actor)
        live = WaitlistEntry.objects.select_for_update().filter(
            customer=actor, business_id=service.business_id, state__in=LIVE
        )
        if len(live) >= MAX_LIVE_ENTRIES:
            raise InvalidInput(
                {
                    "service_id": [
                        _("You are already waiting for %(n)d things here; leave one first.")
                        % {"n": MAX_LIVE_ENTRIES}
                    ]
                }
            )
        return WaitlistEntry.objects.create(
            business=service.business,
            service=service,
            staff=staff,
            customer=actor,
            client=client,
            date_from=date_from,
            date_to=date_to,
            time_from=time_from,
            time_to=time_to,
            channel=channel,
        )


def waitlist_leave(
    *, entry: WaitlistEntry, actor: User, now: dt.datetime | None = None
) -> WaitlistEntry:
    """The customer leaves the waitlist, at any time; an offer standing for them is given back
    (declined) first, so its time goes to the next waiter. Leaving twice changes nothing."""
    now = _now(now)
    if entry.customer_id != actor.pk:
        raise NotAllowed()
    with writer_turn(), transaction.atomic():
        # The offer's row before the entry's, the order the booking services' hook takes.
        if entry.offer_id is not None:
            offer = Appointment.objects.filter(pk=entry.offer_id, status=Status.OFFERED).first()
            if offer is not None:
                # Answered meanwhile: accepted stays booked, lapsed is gone.
                with contextlib.suppress(BookingError):
                    appointment_offer_release(appointment=offer, actor=actor, now=now)
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.state == State.WAITING:
            locked.state = State.LEFT
            locked.save(update_fields=["state", "updated_at"])
        return locked


class _Skip(Exception):
    """This waiter cannot take the time now: its savepoint is rolled back, locks and all."""


def _wishes(freed: FreedTime, services: frozenset[int]) -> list[Wish]:
    """The waiting entries of the business the freed time might fit (by staff and service);
    the dates and windows are matching's to judge. 1 query."""
    day = freed.start.date()
    entries = (
        WaitlistEntry.objects.filter(
            business_id=freed.business_id,
            state=State.WAITING,
            service_id__in=services,
            # Padded a day each way: the local date is matching's to judge.
            date_from__lte=day + dt.timedelta(days=1),
            date_to__gte=day - dt.timedelta(days=1),
        )
        .filter(Q(staff__isnull=True) | Q(staff_id=freed.staff_id))
        .select_related("service")
    )
    wishes = []
    for entry in entries:
        rules = service_rules(entry.service)
        wishes.append(_wish(entry, rules.duration, rules.interval or rules.duration))
    return wishes


def _wish(entry: WaitlistEntry, duration: dt.timedelta, step: dt.timedelta) -> Wish:
    return Wish(
        id=entry.id,
        joined=entry.created_at,
        service_id=entry.service_id,
        duration=duration,
        step=step,
        staff_id=entry.staff_id,
        date_from=entry.date_from,
        date_to=entry.date_to,
        time_from=entry.time_from,
        time_to=entry.time_to,
    )


def waitlist_offer_freed(*, freed: FreedTime, now: dt.datetime | None = None) -> Appointment | None:
    """Offer one freed time to the first waiter it fits whose wish the booking path still
    takes (docs/waitlist.md#the-offer); the freed row is handled either way. Returns the offer.

    In one transaction: the freed row locked (a second worker skips it), then for each fit, in
    a savepoint, the entry's row locked and checked still waiting (one offer at a time per
    waiter), and the offer booked through `appointment_create` (staff rows locked there, the
    exclusion constraints behind them), so one time never becomes two offers."""
    now = _now(now)
    with writer_turn(), transaction.atomic():
        # Only the freed row: its staff and business rows are the booking path's to lock.
        row = (
            FreedTime.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=freed.pk, handled_at__isnull=True)
            .select_related("staff", "business")
            .first()
        )
        if row is None:
            return None
        row.handled_at = now
        row.save(update_fields=["handled_at"])
        staff = row.staff
        if row.end <= now or not staff.active:
            return None
        services = frozenset(staff.services.values_list("id", flat=True))
        plain = Freed(
            staff_id=staff.id,
            start=row.start,
            end=row.end,
            services=services,
            passed_by=row.passed_by_id,
        )
        zone = request_zone(business=row.business, staff=staff)
        for wish, start in fits_in_order(plain, _wishes(row, services), zone):
            try:
                with transaction.atomic():
                    entry = (
                        WaitlistEntry.objects.select_for_update()
                        .select_related("service", "customer")
                        .get(pk=wish.id)
                    )
                    if entry.state != State.WAITING:
                        raise _Skip()
                    try:
                        offer = appointment_create(
                            service=entry.service,
                            start=start,
                            customer=entry.customer,
                            staff=staff,
                            channel=entry.channel,
                            now=now,
                            offer_minutes=row.business.waitlist_offer_minutes,
                        )
                    except (SlotUnavailable, DomainError):
                        raise _Skip() from None
                    entry.state, entry.offer = State.OFFERED, offer
                    entry.save(update_fields=["state", "offer", "updated_at"])
                    return offer
            except _Skip:
                continue
        return None


def waitlist_round(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """One round of `yuyue worker`: lapse the offers whose time ran out (their time frees up
    for the next waiter), clear the entries whose dates passed, then offer the freed times,
    oldest first. Each is its own transaction; one that fails is logged and tried next round."""
    now = _now(now)
    done = {"lapsed": 0, "expired": 0, "offered": 0}
    lapsed = Appointment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).order_by(
        "offer_expires_at", "id"
    )[:limit]
    for offer in lapsed:
        try:
            if appointment_offer_release(appointment=offer, actor=None, now=now) is not None:
                done["lapsed"] += 1
        except Exception:
            logger.exception("waitlist: lapsing offer %s failed", offer.public_id)
    done["expired"] = waitlist_expire_passed(now=now)
    for freed in FreedTime.objects.filter(handled_at__isnull=True).order_by("id")[:limit]:
        try:
            if waitlist_offer_freed(freed=freed, now=now) is not None:
                done["offered"] += 1
        except Exception:
            logger.exception("waitlist: offering freed time %s failed", freed.pk)
    return done


def waitlist_expire_passed(*, now: dt.datetime | None = None) -> int:
    """Waiting entries whose last date has passed where they wait become `expired` (those of
    deleted accounts `left`). An entry with an offer standing is left to the offer's answer or
    lapse."""
    now = _now(now)
    # A day's slack around UTC's date, then each business's own date decides.
    candidates = WaitlistEntry.objects.filter(
        state=State.WAITING, date_to__lt=now.date() + dt.timedelta(days=1)
    ).select_related("business", "staff__location")
    passed = [
        entry.pk
        for entry in candidates
        if entry.date_to
        < now.astimezone(request_zone(business=entry.business, staff=entry.staff)).date()
    ]
    with writer_turn(), transaction.atomic():
        # A deleted account (注销, docs/privacy.md#erasure) waits for nothing any more.
        WaitlistEntry.objects.filter(state=State.WAITING, customer__is_active=False).update(
            state=State.LEFT, updated_at=now
        )
        if not passed:
            return 0
        return WaitlistEntry.objects.filter(pk__in=passed, state=State.WAITING).update(
            state=State.EXPIRED, updated_at=now
        )
