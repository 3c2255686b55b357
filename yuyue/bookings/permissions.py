"""Who may do what to an appointment, now: the one rule the services, pages and API all read.

The rule (docs/booking.md, "Who may change an appointment"):

- Owners and staff of the appointment's business may cancel or reschedule a pending or
  confirmed appointment at any time, cut-offs do not apply to them, and they move it through
  the status machine (confirm, start, complete, no-show once the start has passed). This holds
  on their own bookings too: they could do the same from the back office anyway.
- The customer may cancel or reschedule their own pending or confirmed appointment until the
  service's cut-off before the start, and nothing else. Money at stake moves the cancel
  deadline: a booking paid online may still be cancelled after the cut-off, up to its start
  (the refund policy then keeps the deposit, docs/payments.md#refunds-by-policy: a late
  customer loses the deposit rather than being told to call), and an unpaid hold may be given
  up until its start (it costs nobody anything; a payment arriving after is refunded in full).
- A withdrawn service can still be cancelled, but no longer moved to another time.
- Everyone else may do nothing (the edges answer 404 where the appointment's existence is
  secret).

- Undo: owners and staff may take back the last status change they or a colleague made —
  start, complete or no-show — within UNDO_WINDOW of it, as a new "undone" event (the trail
  keeps both). Confirmations and cancellations have told the customer already, and a reschedule
  is undone by rescheduling again, so they are not undone this way.

Refusals carry the domain error the service raises, so every entry point gives the same reason.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.errors import CutoffPassed, InvalidTransition, NotAllowed
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.catalog.selectors import Roles, business_role
from yuyue.lib.errors import DomainError

CUSTOMER = "customer"
CHANGEABLE = (Status.PENDING, Status.CONFIRMED)
# action -> the statuses it may start from (the status machine, docs/booking.md)
SOURCES = {
    # An unpaid hold may be given up, not moved: its payment is for the time it holds.
    "cancel": (Status.AWAITING_PAYMENT, *CHANGEABLE),
    "reschedule": CHANGEABLE,
    "confirm": (Status.PENDING,),
    "start": (Status.CONFIRMED,),
    "complete": (Status.IN_PROGRESS,),
    "no_show": (Status.CONFIRMED,),
}
ACTIONS = tuple(SOURCES)
UNDO_WINDOW = dt.timedelta(minutes=10)
UNDOABLE = (
    AppointmentEvent.Action.STARTED,
    AppointmentEvent.Action.COMPLETED,
    AppointmentEvent.Action.NO_SHOW,
)


@dataclass(frozen=True)
class Decision:
    """Allowed (truthy), or refused with the error that says why."""

    refusal: DomainError | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        return "" if self.refusal is None else str(self.refusal.message)

    def require(self) -> None:
        if self.refusal is not None:
            raise self.refusal


ALLOWED = Decision()


@dataclass(frozen=True)
class AppointmentPermissions:
    role: str | None  # "owner", "staff", "customer" or None
    cancel: Decision
    reschedule: Decision
    confirm: Decision
    start: Decision
    complete: Decision
    no_show: Decision
    # Until when the customer may cancel online: the cut-off, or the start when money is at
    # stake (late_cancel_allowed); and the cut-off itself, after which a deposit is kept.
    cancel_deadline: dt.datetime
    cancel_cutoff: dt.datetime
    reschedule_deadline: dt.datetime

    @property
    def is_staff(self) -> bool:
        return self.role not in (None, CUSTOMER)

    @property
    def can_cancel(self) -> bool:
        return bool(self.cancel)

    @property
    def can_reschedule(self) -> bool:
        return bool(self.reschedule)

    @property
    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(action for action in ACTIONS if self.decision(action))

    def decision(self, action: str) -> Decision:
        return getattr(self, action)

    def require(self, action: str) -> None:
        """Raise the refusal of `action`, if it is refused."""
        refusal = self.decision(action).refusal
        if refusal is not None:
            raise refusal


def _role(appointment: Appointment, actor: User | None, roles: Roles | None) -> str | None:
    if roles is not None:
        role = roles.of(appointment.business_id)
    else:
        role = business_role(user=actor, business_id=appointment.business_id)
    if role is not None:
        return role
    # An appointment without an account (a walk-in) is nobody's to act on as its customer.
    if (
        actor is not None
        and actor.is_active
        and appointment.customer_id is not None
        and actor.pk == appointment.customer_id
    ):
        return CUSTOMER
    return None


def cancel_cutoff(appointment: Appointment) -> dt.datetime:
    """The service's cancellation cut-off for this appointment: a customer cancelling a paid
    booking later than this loses the deposit (docs/payments.md#refunds-by-policy); an unpaid
    one can no longer be cancelled online."""
    return appointment.start - dt.timedelta(minutes=appointment.service.cancel_cutoff_minutes)


def late_cancel_allowed(appointment: Appointment) -> bool:
    """Whether the customer may cancel after the cut-off, up to the start: when money is at
    stake (a booking paid online, `online_due` above 0 once it left `awaiting_payment`; a
    waived payment is booked with 0) or it is an unpaid hold, which is given up at no cost."""
    return appointment.status == Status.AWAITING_PAYMENT or appointment.online_due > 0


def _too_late(appointment: Appointment) -> CutoffPassed:
    phone = (appointment.location.phone if appointment.location is not None else "") or (
        appointment.business.phone
    )
    if phone:
        return CutoffPassed(
            _("It is too late to change this appointment online; please call %(phone)s.")
            % {"phone": phone}
        )
    return CutoffPassed()


def _wrong_status(appointment: Appointment, action: str) -> InvalidTransition:
    if action in ("cancel", "reschedule"):
        return InvalidTransition(
            _("This appointment is %(status)s and can no longer be changed.")
            % {"status": Status(appointment.status).label}
        )
    return InvalidTransition()


def _decision(
    appointment: Appointment, role: str | None, action: str, now: dt.datetime, deadline
) -> Decision:
    if role is None or (role == CUSTOMER and action not in ("cancel", "reschedule")):
        return Decision(NotAllowed())
    if appointment.status not in SOURCES[action]:
        return Decision(_wrong_status(appointment, action))
    if action == "reschedule" and not appointment.service.active:
        return Decision(
            InvalidTransition(_("This service is no longer offered online; please call the shop."))
        )
    if role == CUSTOMER and now > deadline:
        return Decision(_too_late(appointment))
    if action == "no_show" and now < appointment.start:
        return Decision(
            InvalidTransition(_("A no-show can only be recorded once the start time has passed."))
        )
    return ALLOWED


def undo_decision(
    *,
    appointment: Appointment,
    actor: User | None,
    last_event: AppointmentEvent | None,
    now: dt.datetime | None = None,
) -> Decision:
    """May `actor` undo `last_event` (the appointment's latest event) now? The one rule of
    undoing: staff and owners only, a start, completion or no-show, within UNDO_WINDOW, and
    only while the appointment is still in the status that change left it in."""
    now = now if now is not None else timezone.now()
    role = _role(appointment, actor, None)
    if role is None or role == CUSTOMER:
        return Decision(NotAllowed())
    if (
        last_event is None
        or last_event.action not in UNDOABLE
        or last_event.to_status != appointment.status
        or not last_event.from_status
    ):
        return Decision(InvalidTransition(_("There is no status change to undo.")))
    if now - last_event.created_at > UNDO_WINDOW:
        return Decision(
            InvalidTransition(
                _("A status change can be undone only within %(minutes)d minutes.")
                % {"minutes": UNDO_WINDOW.total_seconds() // 60}
            )
        )
    return ALLOWED


def appointment_permissions(
    *,
    appointment: Appointment,
    actor: User | None,
    now: dt.datetime | None = None,
    roles: Roles | None = None,
) -> AppointmentPermissions:
    """What `actor` may do to `appointment` at `now`, each refusal with its reason.

    `roles` (the actor's `business_roles`, read once) spares a query per row in lists.
    """
    now = now if now is not None else timezone.now()
    role = _role(appointment, actor, roles)
    service = appointment.service
    cutoff = cancel_cutoff(appointment)
    deadlines = {
        "cancel": appointment.start if late_cancel_allowed(appointment) else cutoff,
        "reschedule": appointment.start - dt.timedelta(minutes=service.reschedule_cutoff_minutes),
    }
    decisions = {
        action: _decision(appointment, role, action, now, deadlines.get(action))
        for action in ACTIONS
    }
    return AppointmentPermissions(
        role=role,
        cancel_deadline=deadlines["cancel"],
        cancel_cutoff=cutoff,
        reschedule_deadline=deadlines["reschedule"],
        **decisions,
    )
