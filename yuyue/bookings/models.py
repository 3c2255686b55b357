import secrets
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.models import Business, Location, Service
from yuyue.customers.models import Customer
from yuyue.scheduling.models import StaffMember

MAX_NOTES_LENGTH = 1000
MAX_IDEMPOTENCY_KEY_LENGTH = 100


def new_public_id() -> str:
    # 96 random bits, URL-safe: an id nobody can guess or enumerate.
    return secrets.token_urlsafe(12)


def new_checkin_code() -> str:
    """Six random digits, typed at the counter or read from the QR code. Unique only among a
    business's appointments that may still be checked in (the constraint below); booking
    retries on the rare clash (docs/booking.md#check-in)."""
    return f"{secrets.randbelow(10**CHECKIN_CODE_LENGTH):0{CHECKIN_CODE_LENGTH}d}"


CHECKIN_CODE_LENGTH = 6


class Status(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    # Held for someone on the waitlist until they accept it or its offer lapses
    # (docs/waitlist.md).
    OFFERED = "offered", _("Offered from the waitlist")
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# Statuses whose appointment occupies its staff member's time (docs/booking.md#the-status-machine).
# An appointment that staff started early still occupies the chair, so in_progress holds too
# — otherwise its remaining minutes could be sold a second time. A booking awaiting payment
# holds its time until it is paid or released (docs/payments.md#the-hold); a waitlist offer
# until it is accepted, declined or lapses (docs/waitlist.md#the-offer).
HOLDING_STATUSES = (
    Status.OFFERED,
    Status.AWAITING_PAYMENT,
    Status.PENDING,
    Status.CONFIRMED,
    Status.IN_PROGRESS,
)

# Statuses whose check-in code still names one appointment of its business: those that may yet
# be checked in. Once started, finished or cancelled the code is free for another booking.
CHECKIN_STATUSES = (Status.OFFERED, Status.AWAITING_PAYMENT, Status.PENDING, Status.CONFIRMED)
# Those in which its customer is shown the code: booked, not yet started.
CHECKIN_SHOWN = (Status.PENDING, Status.CONFIRMED)
# The reason of a hold released when its payment window ended (appointment_release_unpaid):
# a code, not words; people read cancel_reason_label's sentence instead.
UNPAID_REASON = "unpaid"
PAID_LATE_REASON = "paid_late"
SYSTEM_REASONS = {
    UNPAID_REASON: _("Not paid in time; cancelled."),
    PAID_LATE_REASON: _(
        "Your payment arrived after the booking was cancelled; it is refunded in full."
    ),
}


def cancel_reason_label(reason: str) -> str:
    """A cancellation's reason as people read it: the system's codes in words, in the active
    language; what a person wrote as they wrote it."""
    label = SYSTEM_REASONS.get(reason)
    return str(label) if label is not None else reason


class Channel(models.TextChoices):
    MINIPROGRAM = "miniprogram", _("Mini program")
    WEB = "web", _("Web")
    BACKOFFICE = "backoffice", _("Back office")
    API = "api", _("API")


# A series repeats at most this often, and at most this far ahead (docs/booking.md#series).
MAX_SERIES_OCCURRENCES = 52
MAX_SERIES_EVERY_WEEKS = 12


class Series(models.Model):
    """Appointments booked together as "every N weeks on the same weekday and local time".

    Each occurrence is an ordinary appointment (its own status, reminders, payment), linked
    here; the series only remembers how it was asked for, so "this and the following" can be
    found and the back office can show them together.
    """

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="series", verbose_name=_("business")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="series", verbose_name=_("service")
    )
    client = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="series", verbose_name=_("customer")
    )
    every_weeks = models.PositiveSmallIntegerField(_("every (weeks)"))
    # The local wall-clock time and zone every occurrence keeps (across DST changes).
    local_time = models.TimeField(_("local time"))
    zone_name = models.CharField(_("time zone"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1)
                & models.Q(every_weeks__lte=MAX_SERIES_EVERY_WEEKS),
                name="series_every_weeks_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.every_weeks}w · {self.local_time:%H:%M}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The zone whose wall-clock time the occurrences keep."""
        return zoneinfo.ZoneInfo(self.zone_name)


class Appointment(models.Model):
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("business")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("service")
    )
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("staff member"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("location"),
    )
    # The business's record of whom the appointment is for (always of the same business: the
    # booking services see to it, as no constraint can look across two tables).
    client = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("customer"),
    )
    # The account whose appointment it is: it sees it among its own and may cancel or move it.
    # NULL for a walk-in or phone customer without one (until they prove the phone).
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("account"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The occupied span includes the service's buffers as they were when booked, so a later
    # change to a service's buffers never silently moves existing bookings into conflict.
    occupied_start = models.DateTimeField(_("occupied from"))
    occupied_end = models.DateTimeField(_("occupied until"))
    # True when the service had capacity 1 at booking time; the PostgreSQL exclusion
    # constraint forbids any overlap between exclusive holding appointments of one staff member.
    exclusive = models.BooleanField(_("exclusive"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Until when a booking awaiting payment holds its time; null when nothing was due online.
    pay_by = models.DateTimeField(_("pay by"), null=True, blank=True, editable=False)
    # Until when a waitlist offer holds its time for the waiter; null for every other booking.
    offer_expires_at = models.DateTimeField(
        _("offer expires at"), null=True, blank=True, editable=False
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    # What the service asked to be paid online when this was booked (deposit or price), kept
    # like the price: a later change to the service never changes what this booking owes.
    online_due = models.DecimalField(
        _("due online"), max_digits=10, decimal_places=2, default=Decimal("0.00"), editable=False
    )
    currency = models.CharField(_("currency"), max_length=3)
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_NOTES_LENGTH)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    # NULL, not "", for "no key": the uniqueness rule must only bind real keys.
    idempotency_key = models.CharField(  # noqa: DJ001
        _("idempotency key"),
        max_length=MAX_IDEMPOTENCY_KEY_LENGTH,
        null=True,
        blank=True,
        editable=False,
    )
    # What the customer shows at the counter (核销): staff type it or scan its QR code and the
    # appointment starts (appointment_check_in).
    checkin_code = models.CharField(
        _("check-in code"),
        max_length=CHECKIN_CODE_LENGTH,
        default=new_checkin_code,
        editable=False,
    )
    # The series it was booked in, if any (docs/booking.md#series).
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("series"),
        editable=False,
    )
    # The calendar invitation's SEQUENCE: each reschedule raises it, so calendars replace the
    # event they already hold instead of showing both times.
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="appointment_idempotency_key_per_customer",
            ),
            # A code names one appointment among those that can still be checked in; it also
            # serves the counter's lookup by code.
            models.UniqueConstraint(
                fields=["business", "checkin_code"],
                condition=models.Q(status__in=CHECKIN_STATUSES),
                name="appointment_checkin_code_open",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(occupied_start__lte=models.F("start"))
                & models.Q(occupied_end__gte=models.F("end")),
                name="appointment_occupied_covers_time",
            ),
        ]
        indexes = [
            models.Index(fields=["staff", "occupied_start"], name="appointment_staff_time"),
            # Bounds the other side of the span query (occupied_end > window start), so
            # loading a calendar skips the history; it also covers the columns loaded.
            models.Index(
                fields=["staff", "occupied_end", "occupied_start", "service", "status"],
                name="appointment_staff_span_end",
            ),
            models.Index(fields=["business", "start"], name="appointment_business_time"),
            models.Index(fields=["customer", "start"], name="appointment_customer_time"),
            # The holds whose payment window has ended, found by the payment sweep.
            models.Index(
                fields=["pay_by"],
                condition=models.Q(status="awaiting_payment"),
                name="appointment_unpaid_holds",
            ),
            # The waitlist offers whose time has run out, found by the waitlist's worker step.
            models.Index(
                fields=["offer_expires_at"],
                condition=models.Q(status="offered"),
                name="appointment_open_offers",
            ),
        ]

    def __str__(self) -> str:
        local = self.start.astimezone(self.zone)
        return f"{self.service} · {local:%Y-%m-%d %H:%M} · {self.get_status_display()}"

    @property
    def zone_name(self) -> str:
        """Where the appointment happens: its location's zone, else its business's."""
        place = self.location.timezone if self.location is not None else ""
        return place or self.business.zone_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)

    @property
    def holds_time(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def usable_checkin_code(self) -> str | None:
        """The code to show its customer, while it can check them in: once booked (a hold is
        paid first), until it starts or ends otherwise, when the code may go to another
        booking. Only the appointment's customer and the business's staff may see it."""
        return self.checkin_code if self.status in CHECKIN_SHOWN else None


class AppointmentEvent(models.Model):
    """Append-only audit trail: who did what to an appointment, when and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CONFIRMED = "confirmed", _("Confirmed")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Marked no-show")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        UNDONE = "undone", _("Undone")
        PAID = "paid", _("Paid")
        # A payment that came after the hold was released: refunded in full at once.
        PAID_LATE = "paid_late", _("Paid too late, refunded")
        ACCEPTED = "accepted", _("Offer accepted")

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("appointment"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Free-form facts of the change (old and new times, staff) for the trail.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"
