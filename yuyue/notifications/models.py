import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuyue.bookings.models import Appointment, AppointmentEvent
from yuyue.catalog.models import Business


def new_message_id() -> str:
    # Fixed when the row is written and reused by every attempt, so a message delivered twice
    # (at least once delivery) carries the same Message-ID both times and can be recognised.
    return f"<{uuid.uuid4().hex}@yuyue.notifications>"


class Notification(models.Model):
    """One message to one person on one channel: the outbox row and its delivery log."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        MINIPROGRAM = "miniprogram", _("Mini program")

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        REMINDER = "reminder", _("Reminder")
        STAFF_NEW_BOOKING = "staff_new_booking", _("New booking (staff)")
        STAFF_CANCELLED = "staff_cancelled", _("Cancellation (staff)")
        AGENDA = "agenda", _("Tomorrow's appointments (staff)")
        WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")

    class Status(models.TextChoices):
        # Named for messages, not appointments: "queued", never the 待确认 of an appointment.
        PENDING = "pending", pgettext_lazy("message", "Queued")
        SENDING = "sending", pgettext_lazy("message", "Sending")
        SENT = "sent", pgettext_lazy("message", "Sent")
        FAILED = "failed", pgettext_lazy("message", "Failed")
        SKIPPED = "skipped", pgettext_lazy("message", "Skipped")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="+", verbose_name=_("business")
    )
    # Empty only for a daily agenda, which is about a day rather than one appointment.
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("appointment"),
    )
    # The change that caused this message; reminders keep the one that first scheduled them.
    event = models.ForeignKey(
        AppointmentEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    # A daily agenda's local date (the day it lists); empty for every other kind.
    agenda_date = models.DateField(_("agenda date"), null=True, blank=True)
    # The account it goes to; NULL for the customer of an appointment without an account (a
    # walk-in or phone customer), whom the business's record reaches (`addressee`).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10)
    # Minutes before the start, for reminders; 0 for every other kind.
    offset_minutes = models.PositiveIntegerField(_("minutes before start"), default=0)
    send_after = models.DateTimeField(_("send after"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    # Who holds the lease: a fresh token per claim, so a worker whose lease expired and was
    # taken over can no longer mark the row.
    lease_token = models.CharField(_("lease token"), max_length=40, blank=True)
    # Where it went (email address or phone), recorded at send time for the log and the caps.
    address = models.CharField(_("address"), max_length=254, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    # Written to the log by the console provider instead of sent: "sent" for the outbox (it is
    # done), but the log must not tell anyone the person received it.
    logged_only = models.BooleanField(_("logged only, not sent"), default=False)
    message_id = models.CharField(
        _("message id"), max_length=100, unique=True, default=new_message_id, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One event tells one person one thing once per channel (reminders: per offset).
            models.UniqueConstraint(
                fields=["event", "recipient", "channel", "kind", "offset_minutes"],
                name="notification_once_per_event",
            ),
            # At most one live reminder per offset, whichever event scheduled it: a reschedule
            # moves the live one instead of adding a second.
            models.UniqueConstraint(
                fields=["appointment", "recipient", "channel", "offset_minutes"],
                condition=models.Q(kind="reminder", status__in=["pending", "sending"]),
                name="notification_one_live_reminder",
            ),
            # The same two for a customer without an account: NULLs never collide in a
            # unique index, so these name the rows with no recipient.
            models.UniqueConstraint(
                fields=["event", "channel", "kind", "offset_minutes"],
                condition=models.Q(recipient__isnull=True),
                name="notification_once_per_event_no_account",
            ),
            models.UniqueConstraint(
                fields=["appointment", "channel", "offset_minutes"],
                condition=models.Q(
                    recipient__isnull=True, kind="reminder", status__in=["pending", "sending"]
                ),
                name="notification_one_live_reminder_no_account",
            ),
            # One agenda per person, business and day, however many workers schedule it.
            models.UniqueConstraint(
                fields=["business", "recipient", "agenda_date"],
                condition=models.Q(kind="agenda"),
                name="notification_one_agenda_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="agenda", agenda_date__isnull=False)
                | models.Q(appointment__isnull=False, event__isnull=False),
                name="notification_about_something",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["status", "lease_until"], name="notification_leases"),
            models.Index(fields=["channel", "address", "sent_at"], name="notification_caps"),
            models.Index(
                fields=["business", "channel", "sent_at"], name="notification_business_caps"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.recipient_id}"

    @property
    def addressee(self) -> Any:
        """Whom it goes to: the account, else the appointment's customer record (both have
        `shown_name`, `email`, `phone` and `is_active`)."""
        if self.recipient_id is not None or self.appointment is None:
            return self.recipient
        return self.appointment.client

    @property
    def status_label(self) -> str:
        """The status as the message log shows it: a logged-only text is not called sent."""
        if self.status == self.Status.SENT and self.logged_only:
            return str(LOGGED_ONLY)
        return str(self.get_status_display())


LOGGED_ONLY = pgettext_lazy("message", "Logged only — not sent")
