"""Every write to the outbox: enqueue with the change that causes it, then claim, mark, resend.

Enqueueing runs inside the booking service's transaction (joining it, without a savepoint: an
error here fails the booking), so a booking that rolls back leaves no row and nothing is ever
sent for it. The dispatcher's writes are each one short transaction, conditional on the lease
still being the caller's.
"""

import datetime as dt
import random
import uuid

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, AppointmentEvent
from yuyue.catalog.models import Membership
from yuyue.catalog.selectors import business_role
from yuyue.customers.models import Customer
from yuyue.lib.errors import DomainError, NotAllowed
from yuyue.notifications import errors, rules
from yuyue.notifications.backoff import retry_delay_seconds
from yuyue.notifications.miniprogram import MiniProgramBudget
from yuyue.notifications.models import Notification
from yuyue.scheduling.models import StaffMember

Status = Notification.Status
Kind = Notification.Kind
LIVE = (Status.PENDING, Status.SENDING)


class NotResendable(DomainError):
    code = "not_resendable"
    default_message = _("Only failed messages can be sent again.")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _row(
    *,
    appointment: Appointment,
    event: AppointmentEvent | None,
    recipient: User | None,
    channel: str,
    kind: str,
    send_after: dt.datetime,
    offset_minutes: int = 0,
) -> Notification:
    return Notification(
        business_id=appointment.business_id,
        appointment=appointment,
        event=event,
        recipient=recipient,
        channel=channel,
        kind=kind,
        language=rules.language_for(
            recipient if recipient is not None else appointment.client, appointment.business
        ),
        offset_minutes=offset_minutes,
        send_after=send_after,
        next_attempt_at=send_after,
    )


def _reminder_rows(
    *,
    appointment: Appointment,
    event: AppointmentEvent,
    now: dt.datetime,
    budget: MiniProgramBudget,
) -> list[Notification]:
    """Reminders for each offset that is still ahead and has no live reminder yet (on any
    channel: a reminder the mini program carries is not doubled by email)."""
    customer = appointment.customer
    person = customer if customer is not None else appointment.client
    live = (
        set()
        if event.action == AppointmentEvent.Action.CREATED  # a new appointment has no rows yet
        else set(
            Notification.objects.filter(
                appointment=appointment, kind=Kind.REMINDER, status__in=LIVE
            ).values_list("recipient_id", "offset_minutes")
        )
    )
    offsets = appointment.business.reminder_offsets_minutes or []
    return [
        _row(
            appointment=appointment,
            event=event,
            recipient=customer,
            channel=channel,
            kind=Kind.REMINDER,
            send_after=send_after,
            offset_minutes=offset,
        )
        for offset, send_after in rules.reminder_times(appointment, offsets, now)
        if (appointment.customer_id, offset) not in live
        for channel in rules.channels_for(person, miniprogram=budget.take(Kind.REMINDER))
    ]


def _move_reminders(*, appointment: Appointment, now: dt.datetime) -> None:
    """Live reminders follow the new start; those whose new time has passed are skipped.

    A reminder a worker is sending right now is taken back too (its lease is cleared): the
    worker can no longer mark it, and it goes again at the new time.
    """
    live = Notification.objects.select_for_update().filter(
        appointment=appointment, kind=Kind.REMINDER, status__in=LIVE
    )
    for reminder in live:
        send_after = appointment.start - dt.timedelta(minutes=reminder.offset_minutes)
        reminder.send_after = reminder.next_attempt_at = send_after
        reminder.lease_until, reminder.lease_token = None, ""
        reminder.attempts, reminder.last_error = 0, ""
        reminder.status = Status.PENDING if send_after > now else Status.SKIPPED
        if reminder.status == Status.SKIPPED:
            reminder.last_error = errors.PAST
        reminder.save()


def _skip_reminders(*, appointment: Appointment, now: dt.datetime) -> None:
    Notification.objects.filter(
        appointment=appointment, kind=Kind.REMINDER, status__in=LIVE
    ).update(
        status=Status.SKIPPED,
        lease_until=None,
        lease_token="",
        last_error=errors.CANCELLED,
        updated_at=now,
    )


def _business_listeners(
    appointment: Appointment, event: AppointmentEvent
) -> list[tuple[User, str]]:
    """Who of the business hears of this booking or cancellation, with their channel choice:
    the staff member's linked account, then each owner; each person once, never the one who
    made the change, never an inactive account or someone who left the business. One query."""
    staff_user_id = appointment.staff.user_id
    members = (
        Membership.objects.filter(business_id=appointment.business_id, user__is_active=True)
        .filter(Q(role=Membership.Role.OWNER) | Q(user_id=staff_user_id))
        .select_related("user")
        .order_by("id")
    )
    listeners: dict[int, tuple[User, str]] = {}
    for membership in sorted(members, key=lambda m: m.user_id != staff_user_id):
        if membership.user_id != event.actor_id:
            listeners.setdefault(membership.user_id, (membership.user, membership.notice_channel))
    return list(listeners.values())


@transaction.atomic(savepoint=False)
def notifications_enqueue_for_event(
    *, appointment: Appointment, event: AppointmentEvent, now: dt.datetime | None = None
) -> list[Notification]:
    """Write the messages `event` implies, and bring the reminders in line with it.

    Customers hear about every change; the staff member's linked user and the business's owners
    hear about new bookings and cancellations, each once (an owner who is the staff member gets
    one message), on the channel they chose, unless they made the change themselves.
    """
    now = _now(now)
    customer_kinds, staff_kinds = rules.event_kinds(event)
    rows: list[Notification] = []
    # The customer's account; None for one without (a walk-in or phone customer), whom the
    # business's record reaches.
    customer = appointment.customer
    person: User | Customer = customer if customer is not None else appointment.client
    budget = MiniProgramBudget(customer)
    for kind in customer_kinds:
        for channel in rules.channels_for(person, miniprogram=budget.take(kind)):
            rows.append(
                _row(
                    appointment=appointment,
                    event=event,
                    recipient=customer,
                    channel=channel,
                    kind=kind,
                    send_after=now,
                )
            )
    for member, choice in _business_listeners(appointment, event) if staff_kinds else []:
        member_budget = (
            MiniProgramBudget(member) if choice == Membership.NoticeChannel.MINIPROGRAM else None
        )
        for kind in staff_kinds:
            carried = member_budget is not None and member_budget.take(kind)
            for channel in rules.notice_channels(member, choice, miniprogram=carried):
                rows.append(
                    _row(
                        appointment=appointment,
                        event=event,
                        recipient=member,
                        channel=channel,
                        kind=kind,
                        send_after=now,
                    )
                )
    if event.action == AppointmentEvent.Action.CANCELLED:
        _skip_reminders(appointment=appointment, now=now)
    elif event.action == AppointmentEvent.Action.RESCHEDULED:
        _move_reminders(appointment=appointment, now=now)
    if (
        event.action in rules.SCHEDULES_REMINDERS | {AppointmentEvent.Action.RESCHEDULED}
        and appointment.status in rules.REMINDED_STATUSES
    ):
        rows.extend(_reminder_rows(appointment=appointment, event=event, now=now, budget=budget))
    return Notification.objects.bulk_create(rows)


def notification_claim_due(
    *, batch_size: int, lease_seconds: int, now: dt.datetime | None = None
) -> tuple[str, list[Notification]]:
    """Lease up to `batch_size` due rows (or rows whose lease expired) to the caller.

    PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers take disjoint rows
    without waiting. SQLite: writers are serialized by BEGIN IMMEDIATE. Either way the UPDATE
    repeats the due condition, so a row another worker leased meanwhile is never taken.
    Returns the lease token and the rows it holds.
    """
    now = _now(now)
    token = uuid.uuid4().hex
    due = Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return token, []
        Notification.objects.filter(due, id__in=ids).update(
            status=Status.SENDING,
            lease_until=now + dt.timedelta(seconds=lease_seconds),
            lease_token=token,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    rows = (
        Notification.objects.filter(lease_token=token, status=Status.SENDING)
        .select_related(
            # What composing any message reads, and nothing more: each joined model costs
            # every row of every batch.
            "recipient",
            "event",
            "appointment__business",
            "appointment__service",
            "appointment__staff",
            "appointment__location",
            "appointment__customer",
            "appointment__client",
        )
        .order_by("next_attempt_at", "id")
    )
    return token, list(rows)


def _held(notification: Notification, lease_token: str):
    return Notification.objects.filter(
        pk=notification.pk, lease_token=lease_token, status=Status.SENDING
    )


@transaction.atomic
def notifications_mark_sent(
    *, lease_token: str, sent: dict[int, tuple[str, str]], now: dt.datetime | None = None
) -> set[int]:
    """Record several deliveries at once: `sent` maps a row's id to (address, provider message
    id). Returns the ids recorded; a row whose lease was lost (someone else's now) is left
    alone and missing from the answer.

    The held rows are locked first (on SQLite the transaction holds the write lock), so the
    UPDATE writes exactly the rows found still carrying the caller's token.
    """
    now = _now(now)
    held = set(
        Notification.objects.select_for_update()
        .filter(pk__in=sent, lease_token=lease_token, status=Status.SENDING)
        .values_list("pk", flat=True)
    )
    if not held:
        return held
    # One UPDATE whose CASEs give each row its own address and provider id, written as SQL:
    # the ORM's Case(When(pk=…)) costs about 0.35 ms of CPU per row to build, more than the
    # rest of recording a delivery.
    ids = sorted(held)
    q = connection.ops.quote_name
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    sql = (
        f"UPDATE {q(Notification._meta.db_table)} SET {q('status')} = %s, "
        f"{q('address')} = CASE {q('id')} {cases} END, "
        f"{q('provider_message_id')} = CASE {q('id')} {cases} END, "
        f"{q('sent_at')} = %s, {q('lease_until')} = NULL, {q('last_error')} = '', "
        f"{q('updated_at')} = %s "
        f"WHERE {q('id')} IN ({', '.join(['%s'] * len(ids))}) AND {q('lease_token')} = %s"
    )
    at = connection.ops.adapt_datetimefield_value(now)
    params = [
        Status.SENT.value,
        *(value for pk in ids for value in (pk, sent[pk][0][:254])),
        *(value for pk in ids for value in (pk, sent[pk][1][:200])),
        at,
        at,
        *ids,
        lease_token,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return held


@transaction.atomic
def notification_mark_sent(
    *,
    notification: Notification,
    lease_token: str,
    address: str,
    provider_message_id: str = "",
    logged_only: bool = False,
    now: dt.datetime | None = None,
) -> bool:
    """Record a delivery; False when the lease was lost (the row is someone else's now).

    `logged_only`: the provider only wrote it to the log (console), and the log says so.
    """
    recorded = notifications_mark_sent(
        lease_token=lease_token,
        sent={notification.pk: (address, provider_message_id)},
        now=now,
    )
    if notification.pk in recorded and logged_only:
        Notification.objects.filter(pk=notification.pk).update(logged_only=True)
    return notification.pk in recorded


@transaction.atomic
def notification_mark_failed(
    *,
    notification: Notification,
    lease_token: str,
    reason: str,
    address: str = "",
    now: dt.datetime | None = None,
) -> bool:
    now = _now(now)
    return bool(
        _held(notification, lease_token).update(
            status=Status.FAILED,
            address=address[:254],
            last_error=reason,
            lease_until=None,
            updated_at=now,
        )
    )


@transaction.atomic
def notification_mark_skipped(
    *, notification: Notification, lease_token: str, reason: str, now: dt.datetime | None = None
) -> bool:
    now = _now(now)
    return bool(
        _held(notification, lease_token).update(
            status=Status.SKIPPED, last_error=reason, lease_until=None, updated_at=now
        )
    )


@transaction.atomic
def notification_mark_retry(
    *,
    notification: Notification,
    lease_token: str,
    reason: str,
    not_before: dt.datetime | None = None,
    address: str = "",
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> bool:
    """Schedule the next attempt after a temporary failure, or give up after the last one."""
    now = _now(now)
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        return notification_mark_failed(
            notification=notification,
            lease_token=lease_token,
            reason=reason,
            address=address,
            now=now,
        )
    delay = retry_delay_seconds(
        notification.attempts,
        base=settings.NOTIFY_RETRY_BASE_SECONDS,
        cap=settings.NOTIFY_RETRY_MAX_SECONDS,
        rng=rng,
    )
    next_attempt = now + dt.timedelta(seconds=delay)
    if not_before is not None and not_before > next_attempt:
        next_attempt = not_before
    return bool(
        _held(notification, lease_token).update(
            status=Status.PENDING,
            next_attempt_at=next_attempt,
            address=address[:254],
            last_error=reason,
            lease_until=None,
            lease_token="",
            updated_at=now,
        )
    )


@transaction.atomic
def notification_leases_extend(
    *, lease_token: str, lease_seconds: int, now: dt.datetime | None = None
) -> int:
    """Keep the rows of a long batch leased; returns how many the caller still holds."""
    now = _now(now)
    return Notification.objects.filter(lease_token=lease_token, status=Status.SENDING).update(
        lease_until=now + dt.timedelta(seconds=lease_seconds), updated_at=now
    )


@transaction.atomic
def notification_release(*, lease_token: str, now: dt.datetime | None = None) -> int:
    """Hand back rows claimed but not attempted (a worker stopping); they are due at once."""
    now = _now(now)
    return Notification.objects.filter(lease_token=lease_token, status=Status.SENDING).update(
        status=Status.PENDING,
        lease_until=None,
        lease_token="",
        attempts=F("attempts") - 1,
        updated_at=now,
    )


def notification_resend(
    *, notification: Notification, actor: User, now: dt.datetime | None = None
) -> Notification:
    """Queue a failed message again, with the same Message-ID, for the dispatcher to retry."""
    now = _now(now)
    if business_role(user=actor, business_id=notification.business_id) != Membership.Role.OWNER:
        raise NotAllowed()
    try:
        with transaction.atomic():
            locked = Notification.objects.select_for_update().get(pk=notification.pk)
            if locked.status != Status.FAILED:
                raise NotResendable()
            locked.status = Status.PENDING
            locked.attempts = 0
            locked.next_attempt_at = now
            locked.lease_until, locked.lease_token = None, ""
            locked.last_error = ""
            locked.save()
    except IntegrityError:
        # A reschedule queued a newer reminder for the same offset meanwhile.
        raise NotResendable(_("A newer reminder is already queued.")) from None
    return locked


# The daily agenda (明日预约) ---------------------------------------------------------------------


def agendas_schedule(*, now: dt.datetime | None = None) -> int:
    """Queue today's agenda of every staff member whose agenda hour has come, once per person,
    business and day: the outbox's unique constraint keeps a second worker (or a second
    round) from queueing it again. Returns how many were missing and written (or found written
    by another worker in the same instant).

    The agenda goes to the staff member's linked account, on the channel their membership
    chose ("none": no agenda); the mini program carries no agenda (it has no template for
    one), so that choice falls back to email or text.
    """
    now = _now(now)
    staff = (
        StaffMember.objects.filter(
            agenda_hour__isnull=False, active=True, user__isnull=False, user__is_active=True
        )
        .select_related("business", "location", "user")
        .order_by("id")
    )
    wanted: dict[tuple[int, int, dt.date], Notification] = {}
    members = {
        (m.business_id, m.user_id): m.notice_channel
        for m in Membership.objects.filter(user_id__in={s.user_id for s in staff})
    }
    for member in staff:
        assert member.agenda_hour is not None and member.user is not None
        choice = members.get((member.business_id, member.user.pk))
        if choice is None or choice == Membership.NoticeChannel.NONE:
            continue  # no longer of the business, or hears nothing
        due = rules.agenda_due(hour=member.agenda_hour, zone=member.zone, now=now)
        if due is None:
            continue
        day, send_after = due
        key = (member.business_id, member.user.pk, day)
        if key in wanted:
            continue
        channel = rules.notice_channels(member.user, choice)[0]
        wanted[key] = Notification(
            business_id=member.business_id,
            recipient=member.user,
            channel=channel,
            kind=Kind.AGENDA,
            language=rules.language_for(member.user, member.business),
            agenda_date=day,
            send_after=send_after,
            next_attempt_at=send_after,
        )
    if not wanted:
        return 0
    # Read first, write only what is missing: most rounds of most workers write nothing.
    queued = set(
        Notification.objects.filter(
            kind=Kind.AGENDA,
            agenda_date__in={day for _b, _u, day in wanted},
            recipient_id__in={user_id for _b, user_id, _d in wanted},
        ).values_list("business_id", "recipient_id", "agenda_date")
    )
    missing = [row for key, row in wanted.items() if key not in queued]
    if not missing:
        return 0
    with transaction.atomic():
        # Another worker may queue the same agenda meanwhile: the constraint keeps one.
        created = Notification.objects.bulk_create(missing, ignore_conflicts=True)
    return len(created)
