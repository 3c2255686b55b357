import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.phone import validate_phone


class User(AbstractUser):
    """A person: customer, staff or owner. Roles in a business live in catalog.Membership."""

    # One field as the person writes it ("张小美", "Mei Zhang"): never assembled from given and
    # family names, so Chinese names keep their order.
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Stored in international format, e.g. +8613800138000."),
    )
    # Proved by a code sent to it. Typing a number at registration does not prove it, so only
    # a verified phone signs in (by code or with the password) or links to a business's records.
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    # The language of the person's messages; empty until they state one (the language switch,
    # Accept-Language, the mini program's WeChat language): each business's language then.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="",
        blank=True,
        help_text=_("Empty: the language of the business that writes to them."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # "Mallory" and "mallory" are one person: logins match whatever the case.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_case_insensitive_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
            # A proved phone belongs to one active account: the code sign-in finds exactly one.
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(phone_verified=True, is_active=True),
                name="user_verified_phone_unique",
                violation_error_message=_("Another account has already verified this phone."),
            ),
        ]

    @property
    def shown_name(self) -> str:
        """What people see: the display name, else the username."""
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token of the JSON API. Only a hash of the key is stored; the key is shown once.

    A token dies when it expires, on logout, and when its user's password changes: it keeps a
    fingerprint of the password hash it was issued under, so every way of changing a password
    (the API, the back office, `changepassword`) ends it without each having to remember to.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The key's first characters, not secret: enough to tell a user's tokens apart.
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    password_fingerprint = models.CharField(
        _("password fingerprint"), max_length=64, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="api_token_user_expiry")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class PhoneCode(models.Model):
    """A one-time code texted to a phone. Only a keyed hash of the code is kept.

    A code lives five minutes, dies after five wrong tries, once used, and when a newer code
    for the same phone and purpose is sent. Who asked, and from where, is kept for support.
    """

    class Purpose(models.TextChoices):
        # Signs in; the first use creates the account whose verified phone it is.
        LOGIN = "login", _("Sign in")
        # Sets a new password on the account whose verified phone it is.
        RESET = "reset", _("Password reset")

    phone = models.CharField(_("phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    ip = models.CharField(_("requested from"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phone", "purpose", "created_at"], name="phone_code_latest"),
            models.Index(fields=["expires_at"], name="phone_code_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.phone[:-4]}****"


class PrivacyPolicy(models.Model):
    """One version of the privacy policy, in both languages, as the operator wrote it.

    A version is never changed once saved: consents name the version the person agreed to.
    The operator publishes a change as a new version (the admin, `privacy_policy_publish`);
    the one in force is the highest version whose `effective_at` has come.
    """

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    body_zh = models.TextField(_("policy in Chinese"))
    body_en = models.TextField(_("policy in English"))
    effective_at = models.DateTimeField(_("in force from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def in_force(cls, now: "dt.datetime") -> "PrivacyPolicy | None":
        return cls.objects.filter(effective_at__lte=now).order_by("-version").first()

    def body(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en.strip() else self.body_zh


class Consent(models.Model):
    """A person agreed to a version of the privacy policy, at registration or first booking."""

    class Occasion(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        BOOKING = "booking", _("First booking")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("user"),
    )
    policy = models.ForeignKey(
        PrivacyPolicy, on_delete=models.PROTECT, related_name="+", verbose_name=_("policy")
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "policy", "occasion"], name="consent_once_per_policy_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.policy} · {self.occasion}"
