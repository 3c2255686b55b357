import hashlib
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.models import Business, Location, Service, StaffTitle
from yuyue.lib.zones import validate_zone

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
MINUTES_PER_DAY = 24 * 60


class StaffMember(models.Model):
    """A bookable resource: a person, a room or a machine. Its row is the booking lock."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="staff", verbose_name=_("business")
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.ForeignKey(
        StaffTitle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("title"),
    )
    # The file name of their photo under MEDIA_ROOT/photos/ (yuyue/lib/photos.py), or empty.
    photo = models.CharField(_("photo"), max_length=64, blank=True, editable=False)
    # The local hour (in their zone) at which their linked account gets tomorrow's
    # appointments (明日预约); None: no daily agenda.
    agenda_hour = models.PositiveSmallIntegerField(
        _("daily agenda at (hour)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(23)],
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("user account"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("location"),
    )
    services = models.ManyToManyField(
        Service, related_name="staff", blank=True, verbose_name=_("services")
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text=_("Leave empty to use the location's, else the business's time zone."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["business", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_name(self) -> str:
        """Hours are wall-clock here: the staff member's own zone, else their location's."""
        # The staff member's own business, not the location's: that is the row loaded with them.
        own_place = self.location.timezone if self.location is not None else ""
        return self.timezone or own_place or self.business.zone_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)


class WorkingInterval(models.Model):
    """One interval of a staff member's weekly hours, in local wall-clock minutes."""

    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="hours", verbose_name=_("staff member")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start_minute = models.PositiveSmallIntegerField(_("start (minutes after midnight)"))
    end_minute = models.PositiveSmallIntegerField(_("end (minutes after midnight)"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["staff", "weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="working_interval_weekday_range"
            ),
            models.CheckConstraint(
                condition=models.Q(start_minute__lt=models.F("end_minute"))
                & models.Q(end_minute__lte=MINUTES_PER_DAY),
                name="working_interval_ordered",
            ),
        ]

    def __str__(self) -> str:
        span = f"{minute_label(self.start_minute)}–{minute_label(self.end_minute)}"
        return f"{self.get_weekday_display()} {span}"


class DateOverride(models.Model):
    """Replaces a staff member's weekly hours on one local date: closed, or special hours."""

    staff = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="overrides",
        verbose_name=_("staff member"),
    )
    date = models.DateField(_("date"))
    # A list of [start_minute, end_minute] pairs; an empty list means closed all day.
    intervals = models.JSONField(_("intervals"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        ordering = ["staff", "date"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "date"], name="date_override_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours_label}"

    @property
    def hours_label(self) -> str:
        """The hours alone ("10:00–14:00, 15:00–18:00"), for a list already headed by date."""
        if not self.intervals:
            return str(_("closed"))
        return ", ".join(f"{minute_label(s)}–{minute_label(e)}" for s, e in self.intervals)


def minute_label(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def feed_key_hash(key: str) -> str:
    # 256 random bits: a fast hash is enough, nobody can search for a preimage.
    return hashlib.sha256(key.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A staff member's private calendar subscription (.ics). Only a hash of the secret in its
    address is stored; revoking deletes the row, and the address answers nothing any more."""

    staff = models.OneToOneField(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("staff member"),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.staff)
