import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.lib.zones import validate_zone

MAX_DURATION_MINUTES = 24 * 60
MAX_BUFFER_MINUTES = 24 * 60
MAX_CAPACITY = 1000
MAX_NOTICE_MINUTES = 365 * 24 * 60
MAX_DAYS_AHEAD = 730
MAX_RETENTION_MONTHS = 120
# Booking rules per business (docs/booking.md#booking-rules): explicit bounds, so a typo cannot
# make a rule that nobody can ever satisfy or that reads years of history.
MAX_FUTURE_BOOKINGS = 100
MAX_NO_SHOW_LIMIT = 50
MAX_NO_SHOW_WINDOW_DAYS = 730
MAX_RELEASE_DAYS_BEFORE = MAX_DAYS_AHEAD
# How long a waitlist offer holds its time for the waiter (docs/waitlist.md#the-offer).
DEFAULT_WAITLIST_OFFER_MINUTES = 15
MAX_WAITLIST_OFFER_MINUTES = 24 * 60


MAX_PAYMENT_WINDOW_MINUTES = 24 * 60
DEFAULT_PAYMENT_WINDOW_MINUTES = 15


class PaymentMode(models.TextChoices):
    """What a customer pays online when booking (docs/payments.md)."""

    NONE = "none", _("Nothing online")
    DEPOSIT = "deposit", _("A deposit")
    FULL = "full", _("The full price")


MAX_REMINDER_OFFSET_MINUTES = 30 * 24 * 60
MAX_REMINDERS = 5


def default_reminder_offsets() -> list[int]:
    return [24 * 60, 2 * 60]


def validate_reminder_offsets(value: object) -> None:
    if (
        not isinstance(value, list)
        or len(value) > MAX_REMINDERS
        or not all(
            isinstance(m, int) and not isinstance(m, bool) and 0 < m <= MAX_REMINDER_OFFSET_MINUTES
            for m in value
        )
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Give up to %(n)d different whole numbers of minutes, each from 1 to %(max)d."),
            code="invalid_reminders",
            params={"n": MAX_REMINDERS, "max": MAX_REMINDER_OFFSET_MINUTES},
        )


class BookingLimitScope(models.TextChoices):
    ALL = "all", _("In all")
    SERVICE = "service", _("Per service")


class NoShowAction(models.TextChoices):
    DEPOSIT = "deposit", _("Ask for a deposit")
    REFUSE = "refuse", _("Refuse online bookings")


class Business(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_zone]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CNY",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))],
    )
    default_language = models.CharField(
        _("default language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    reminder_offsets_minutes = models.JSONField(
        _("reminders (minutes before start)"),
        default=default_reminder_offsets,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text=_("For example [1440, 120]: a day and two hours before. Empty: no reminders."),
    )
    # After the customer's cancellation cut-off the deposit is the shop's unless it says
    # otherwise (docs/payments.md#refunds-by-policy).
    keeps_deposit_after_cutoff = models.BooleanField(
        _("keep the deposit when a customer cancels late"), default=True
    )
    # Customers' records with no appointment in this many months (and none ahead) are
    # anonymised by the worker's daily step (docs/privacy.md#erasure); 0 keeps them.
    customer_retention_months = models.PositiveSmallIntegerField(
        _("anonymise inactive customers after (months)"),
        default=0,
        validators=[MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_("0: keep them. Otherwise at most 120."),
    )
    # Booking rules (docs/booking.md#booking-rules), all off by default. Checked by
    # yuyue/bookings/rules.py (the limits) and the availability engine (the release time).
    max_future_bookings = models.PositiveSmallIntegerField(
        _("future bookings per customer at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FUTURE_BOOKINGS)],
        help_text=_("Leave empty for no limit."),
    )
    max_future_bookings_scope = models.CharField(
        _("counted"),
        max_length=10,
        choices=BookingLimitScope.choices,
        default=BookingLimitScope.ALL,
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows before the rule applies"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NO_SHOW_LIMIT)],
        help_text=_("Leave empty for no rule."),
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("no-shows counted over (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NO_SHOW_WINDOW_DAYS)],
    )
    no_show_action = models.CharField(
        _("then"), max_length=10, choices=NoShowAction.choices, default=NoShowAction.DEPOSIT
    )
    no_show_deposit = models.DecimalField(
        _("deposit asked after no-shows"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("At most the service's price."),
    )
    release_days_before = models.PositiveSmallIntegerField(
        _("times open (days before)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RELEASE_DAYS_BEFORE)],
        help_text=_("放号: a day's times open this many days before it. Leave empty: always open."),
    )
    release_time = models.TimeField(
        _("times open at"), default=dt.time(8, 0), help_text=_("Local time, for example 08:00.")
    )
    # Whether customers may book a weekly series themselves (services allowing it); staff
    # always may.
    customers_book_series = models.BooleanField(_("customers may book a series"), default=False)
    waitlist_offer_minutes = models.PositiveSmallIntegerField(
        _("waitlist offers hold their time for (minutes)"),
        default=DEFAULT_WAITLIST_OFFER_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WAITLIST_OFFER_MINUTES)],
        help_text=_("A time freed for someone on the waitlist is held this long for them."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by the platform operator (business_suspend): its pages and API refuse, nothing is
    # deleted, and clearing it (business_reactivate) restores everything.
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_name(self) -> str:
        return self.timezone

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)


class Membership(models.Model):
    """A user's role in one business. Owners manage everything; staff run the day."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("business")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )

    class NoticeChannel(models.TextChoices):
        # Empty: the default, email when the person has an address, else a text message.
        DEFAULT = "", _("Default (email if I have one, else SMS)")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        MINIPROGRAM = "miniprogram", _("Mini program")
        NONE = "none", _("None")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    # How this member hears of bookings and cancellations (and their daily agenda).
    notice_channel = models.CharField(
        _("booking notices by"),
        max_length=20,
        choices=NoticeChannel.choices,
        default=NoticeChannel.DEFAULT,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.business} · {self.get_role_display()}"


class Location(models.Model):
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="locations", verbose_name=_("business")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_zone],
        help_text=_("Leave empty to use the business's time zone."),
    )
    # Where the shop is on a map, as the map it opens in takes it (WeChat's wx.openLocation:
    # GCJ-02, the coordinates Chinese map apps show); both or neither.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["business", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_name(self) -> str:
        return self.timezone or self.business.zone_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                _("Give both the latitude and the longitude of the shop, or neither.")
            )


MAX_CATALOGUE_ENTRIES = 100


class ServiceCategory(models.Model):
    """A heading of the business's service list; `position` is the owner's order."""

    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        related_name="service_categories",
        verbose_name=_("business"),
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["business", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "name"], name="service_category_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StaffTitle(models.Model):
    """A rank of the business's staff (首席, 高级 …), which may have its own prices."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="staff_titles", verbose_name=_("business")
    )
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("staff title")
        verbose_name_plural = _("staff titles")
        ordering = ["business", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="staff_title_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def _minutes(maximum: int, minimum: int = 0) -> list:
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]


class Service(models.Model):
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="services", verbose_name=_("business")
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # The file name of its photo under MEDIA_ROOT/photos/ (yuyue/lib/photos.py), or empty.
    photo = models.CharField(_("photo"), max_length=64, blank=True, editable=False)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=_minutes(MAX_DURATION_MINUTES, 1)
    )
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    buffer_before_minutes = models.PositiveIntegerField(
        _("buffer before (minutes)"), default=0, validators=_minutes(MAX_BUFFER_MINUTES)
    )
    buffer_after_minutes = models.PositiveIntegerField(
        _("buffer after (minutes)"), default=0, validators=_minutes(MAX_BUFFER_MINUTES)
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        default=1,
        validators=_minutes(MAX_CAPACITY, 1),
        help_text=_("Customers served at once; 1 means one at a time."),
    )
    slot_interval_minutes = models.PositiveIntegerField(
        _("slot interval (minutes)"),
        null=True,
        blank=True,
        validators=_minutes(MAX_DURATION_MINUTES, 5),
        help_text=_("Leave empty to use the duration."),
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"), default=60, validators=_minutes(MAX_NOTICE_MINUTES)
    )
    max_days_ahead = models.PositiveIntegerField(
        _("maximum days ahead"), default=60, validators=_minutes(MAX_DAYS_AHEAD)
    )
    requires_confirmation = models.BooleanField(_("requires confirmation"), default=False)
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("cancellation cut-off (minutes before start)"),
        default=120,
        validators=_minutes(MAX_NOTICE_MINUTES),
    )
    reschedule_cutoff_minutes = models.PositiveIntegerField(
        _("reschedule cut-off (minutes before start)"),
        default=120,
        validators=_minutes(MAX_NOTICE_MINUTES),
    )
    payment_mode = models.CharField(
        _("online payment"), max_length=10, choices=PaymentMode.choices, default=PaymentMode.NONE
    )
    deposit_amount = models.DecimalField(
        _("deposit"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text=_("Only for a deposit: what the customer pays when booking."),
    )
    payment_window_minutes = models.PositiveIntegerField(
        _("payment window (minutes)"),
        default=DEFAULT_PAYMENT_WINDOW_MINUTES,
        validators=_minutes(MAX_PAYMENT_WINDOW_MINUTES, 1),
        help_text=_("How long an unpaid booking holds its time."),
    )
    # A recurring series (every N weeks) may be booked of it (docs/booking.md#series).
    allows_series = models.BooleanField(_("may be booked as a series"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["business", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1), name="service_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="service_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="service_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_amount__gte=0), name="service_deposit_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_window_minutes__gte=1),
                name="service_payment_window_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.payment_mode == PaymentMode.DEPOSIT:
            deposit = self.deposit_amount or Decimal("0.00")
            if deposit <= 0:
                raise ValidationError(
                    {"deposit_amount": _("Give the deposit: more than 0.")}, code="no_deposit"
                )
            if self.price is not None and deposit > self.price:
                raise ValidationError(
                    {"deposit_amount": _("A deposit is at most the price.")}, code="deposit_high"
                )
        elif self.payment_mode == PaymentMode.FULL and self.price is not None and self.price <= 0:
            raise ValidationError(
                {"payment_mode": _("A free service has nothing to pay in advance.")},
                code="nothing_to_pay",
            )

    def amount_due_online(self, price: Decimal | None = None) -> Decimal:
        """What a booking of this service pays online: nothing, the deposit or the price
        (`price`: the booking's own snapshot)."""
        price = self.price if price is None else price
        if self.payment_mode == PaymentMode.DEPOSIT:
            return min(self.deposit_amount, price)
        if self.payment_mode == PaymentMode.FULL:
            return price
        return Decimal("0.00")


class TitlePrice(models.Model):
    """What a service costs with a staff member of this title, instead of its own price."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="title_prices", verbose_name=_("service")
    )
    title = models.ForeignKey(
        StaffTitle, on_delete=models.CASCADE, related_name="prices", verbose_name=_("title")
    )
    price = models.DecimalField(
        _("price"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )

    class Meta:
        verbose_name = _("price by title")
        verbose_name_plural = _("prices by title")
        constraints = [
            models.UniqueConstraint(fields=["service", "title"], name="title_price_unique"),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="title_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.title}"


class Invitation(models.Model):
    """An offer of a role in a business, accepted by the invitee while logged in as themself.

    Only a hash of the token is stored: the link in the owner's hands is the only copy.
    """

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("business")
    )
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices)
    staff = models.ForeignKey(
        "scheduling.StaffMember",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("staff member"),
        help_text=_("The staff member whose account the invitee becomes, if any."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.business} · {self.get_role_display()} · {self.created_at:%Y-%m-%d}"

    def is_open(self, now: dt.datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def state(self, now: dt.datetime) -> str:
        """ "accepted", "revoked", "open" or "expired"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "open" if self.is_open(now) else "expired"


class SignupInvitation(models.Model):
    """A single-use link to open a business when sign-up is by invitation (YUYUE_SIGNUP=invite),
    handed out by the platform operator. Only a hash of its token is stored."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(_("for whom"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    business = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business opened"),
    )

    class Meta:
        verbose_name = _("sign-up invitation")
        verbose_name_plural = _("sign-up invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.note or '—'} · {self.created_at:%Y-%m-%d}"

    def is_open(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at
