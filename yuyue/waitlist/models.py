"""The waitlist (候补): who waits for which time, and the time that frees up
(docs/waitlist.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yuyue.bookings.models import Appointment, Channel, new_public_id
from yuyue.catalog.models import Business, Service
from yuyue.customers.models import Customer
from yuyue.scheduling.models import StaffMember


class WaitlistEntry(models.Model):
    """One customer's wish: a service, a staff member or anyone, a range of dates and a window
    of local wall-clock times in the business's zone."""

    class State(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("waitlist", "Waiting")
        # An offer stands for them (`offer`, an appointment in status `offered`): one at a time.
        OFFERED = "offered", _("Offer sent")
        BOOKED = "booked", pgettext_lazy("waitlist", "Booked")
        LEFT = "left", _("Left the waitlist")
        EXPIRED = "expired", _("Dates passed")

    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="+", verbose_name=_("business")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    # None: anyone who offers the service.
    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("account"),
    )
    client = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    date_from = models.DateField(_("from date"))
    date_to = models.DateField(_("to date"))
    time_from = models.TimeField(_("from time"))
    time_to = models.TimeField(_("to time"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    # The standing offer while `offered`; the booking it became once `booked`.
    offer = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        verbose_name=_("offer"),
    )
    # How many offers it let pass (declined or lapsed): shown to the business.
    offers_passed = models.PositiveIntegerField(_("offers passed"), default=0)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")),
                name="waitlist_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(time_to__gt=models.F("time_from")),
                name="waitlist_times_in_order",
            ),
            # An offer stands exactly while the entry is `offered`: one at a time.
            models.CheckConstraint(
                condition=~models.Q(state="offered") | models.Q(offer__isnull=False),
                name="waitlist_offered_has_offer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["business", "state", "date_from", "date_to"], name="waitlist_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.date_from}–{self.date_to} · {self.get_state_display()}"


class FreedTime(models.Model):
    """Time a staff member got back (a cancellation, a reschedule's old time, a lapsed hold or
    offer), noted in the transaction that freed it; the worker offers it to the waitlist once,
    after commit, and marks it `handled_at`."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="+", verbose_name=_("business")
    )
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The entry that just let this time pass (declined or lapsed): not offered it again.
    passed_by = models.ForeignKey(
        WaitlistEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("passed by"),
    )
    created_at = models.DateTimeField(_("freed at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("freed time")
        verbose_name_plural = _("freed times")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(handled_at__isnull=True),
                name="freed_time_unhandled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.start:%Y-%m-%d %H:%M}"
