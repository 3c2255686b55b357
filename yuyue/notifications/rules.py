"""Who hears about what, on which channel and in which language; and whether it still applies.

Plain functions over loaded rows, no queries: the services and the dispatcher share them.
"""

import datetime as dt

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.catalog.models import Business, Membership
from yuyue.customers.models import Customer
from yuyue.notifications import errors
from yuyue.notifications.models import Notification

Kind = Notification.Kind
Action = AppointmentEvent.Action

# What each change to an appointment tells: (kinds for the customer, kinds for the staff).
EVENT_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Action.CREATED: ((Kind.BOOKED,), (Kind.STAFF_NEW_BOOKING,)),
    Action.CONFIRMED: ((Kind.CONFIRMED,), ()),
    Action.CANCELLED: ((Kind.CANCELLED,), (Kind.STAFF_CANCELLED,)),
    Action.RESCHEDULED: ((Kind.RESCHEDULED,), ()),
    # A hold awaiting payment is news once paid (docs/payments.md#the-hold).
    Action.PAID: ((Kind.BOOKED,), (Kind.STAFF_NEW_BOOKING,)),
    # A payment after the booking was cancelled, refunded: the customer hears why, in the
    # cancellation message's words (its reason says so); the staff never held it.
    Action.PAID_LATE: ((Kind.CANCELLED,), ()),
    # So is a waitlist offer once accepted (docs/waitlist.md#the-offer).
    Action.ACCEPTED: ((Kind.BOOKED,), (Kind.STAFF_NEW_BOOKING,)),
}
# Events after which the appointment should have its reminders.
SCHEDULES_REMINDERS = frozenset({Action.CREATED, Action.CONFIRMED, Action.PAID, Action.ACCEPTED})
REMINDED_STATUSES = (Status.PENDING, Status.CONFIRMED)
CANCELLATION_KINDS = frozenset({Kind.CANCELLED, Kind.STAFF_CANCELLED})
LANGUAGES = frozenset({"zh-hans", "en"})


def event_kinds(event: AppointmentEvent) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(kinds for the customer, kinds for the staff) that `event` tells.

    A booking held for payment tells nobody yet (the customer is paying); a hold given up or
    released unpaid tells only the customer, since the staff never heard of it. A waitlist offer
    tells its waiter only (docs/waitlist.md#the-offer); declined or lapsed, nobody: the waiter
    declined it or was told when it would lapse."""
    if event.to_status == Status.AWAITING_PAYMENT:
        return ((), ())
    if event.to_status == Status.OFFERED:
        return ((Kind.WAITLIST_OFFER,), ())
    if event.from_status == Status.OFFERED and event.action == Action.CANCELLED:
        return ((), ())
    customer, staff = EVENT_KINDS.get(event.action, ((), ()))
    if event.from_status == Status.AWAITING_PAYMENT and event.action == Action.CANCELLED:
        return (customer, ())
    return (customer, staff)


def channels_for(user: "User | Customer", *, miniprogram: bool = False) -> list[str]:
    """The mini program when the person accepted its message, else email when they gave an
    address, else a text message to their phone.

    One channel each, so nobody pays for or reads the same news twice. Someone with neither
    still gets an email row: it fails as "no email on file", which the back office shows.
    """
    if miniprogram:
        return [Notification.Channel.MINIPROGRAM]
    if user.email:
        return [Notification.Channel.EMAIL]
    if user.phone:
        return [Notification.Channel.SMS]
    return [Notification.Channel.EMAIL]


NoticeChannel = Membership.NoticeChannel


def notice_channels(user: User, choice: str, *, miniprogram: bool = False) -> list[str]:
    """How a member of the business hears of bookings: their own choice (`choice`, from their
    membership), else the default of channels_for. "none" is no message at all; the mini
    program only while they have a consent left for it (`miniprogram`), else the default."""
    if choice == NoticeChannel.NONE:
        return []
    if choice == NoticeChannel.EMAIL:
        return [Notification.Channel.EMAIL]
    if choice == NoticeChannel.SMS:
        return [Notification.Channel.SMS]
    if choice == NoticeChannel.MINIPROGRAM and miniprogram:
        return [Notification.Channel.MINIPROGRAM]
    return channels_for(user)


def agenda_due(
    *, hour: int, zone: dt.tzinfo, now: dt.datetime
) -> tuple[dt.date, dt.datetime] | None:
    """(the date the agenda lists, when it goes) once today's agenda `hour` has come in `zone`,
    else None. The agenda lists tomorrow, local: sent at 20:00 on Monday, it lists Tuesday."""
    local = now.astimezone(zone)
    if local.hour < hour:
        return None
    today = local.date()
    # Wall-clock hour: on a DST day an hour that does not exist resolves to the one after it.
    at = dt.datetime.combine(today, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
    return today + dt.timedelta(days=1), at


def language_for(user: "User | Customer", business: Business) -> str:
    """The person's own language, else the business's (a customer record has none)."""
    language = getattr(user, "language", "")
    return language if language in LANGUAGES else business.default_language


def reminder_times(
    appointment: Appointment, offsets: list[int], now: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """(offset, send time) for each reminder still ahead of `now`."""
    times = [(m, appointment.start - dt.timedelta(minutes=m)) for m in sorted(set(offsets))]
    return [(m, at) for m, at in times if at > now]


def skip_reason(
    notification: Notification,
    appointment: Appointment | None,
    now: dt.datetime,
    *,
    superseded: bool = False,
) -> str | None:
    """Why this message no longer applies at send time, or None when it should go."""
    if not notification.addressee.is_active:
        return errors.NO_RECIPIENT
    if notification.kind == Kind.AGENDA:
        return None  # its day is checked when it is composed (agenda_skip_reason)
    assert appointment is not None  # every kind but the agenda is about one
    if notification.kind in CANCELLATION_KINDS:
        if appointment.status != Status.CANCELLED:
            return errors.NOT_CANCELLED
        return errors.OVER if appointment.end <= now else None
    if appointment.status == Status.CANCELLED:
        return errors.CANCELLED
    if notification.kind == Kind.WAITLIST_OFFER:
        # An offer answered or lapsed before its message went is no offer any more.
        if appointment.status != Status.OFFERED or (
            appointment.offer_expires_at is not None and appointment.offer_expires_at <= now
        ):
            return errors.OFFER_GONE
        return None
    if notification.kind != Kind.REMINDER:
        return errors.OVER if appointment.end <= now else None
    if appointment.status not in REMINDED_STATUSES:
        return errors.NOT_HOLDING
    if appointment.start <= now:
        return errors.STARTED
    if appointment.start - dt.timedelta(minutes=notification.offset_minutes) != (
        notification.send_after
    ):
        return errors.MOVED
    if superseded:
        return errors.SUPERSEDED
    return None
