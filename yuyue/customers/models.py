"""A business's own record of one customer: what its staff know, search and book for.

A record belongs to one business and is seen by its owners and staff only. It links to a
person's platform account (`user`) only when that person booked there themselves or proved
the phone with a code; a walk-in or phone customer is a record with no account. History and
no-shows are counted from the record's appointments, never stored twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.models import Business

MAX_NAME_LENGTH = 100
MAX_NOTES_LENGTH = 2000
MAX_TAGS = 10
MAX_TAG_LENGTH = 20


class Customer(models.Model):
    business = models.ForeignKey(
        # A business is never deleted (suspended at most), and its records outlive nothing.
        Business,
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("business"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer_records",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    # E.164, or "" when staff did not get one.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # What the business's staff keep in mind ("prefers Tony", "allergic to ammonia"): private
    # to the business, the customer never sees it.
    notes = models.TextField(_("notes"), blank=True, max_length=MAX_NOTES_LENGTH)
    # A few short labels ("VIP", "学生"), in the order staff gave them.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # When the record's personal fields were erased (on request, by the account's 注销, or by
    # the business's retention): the row stays for the business's figures.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # The owner lifted the no-show rule (docs/booking.md#booking-rules): no-shows before this
    # instant no longer count. Why, in their words; the audit log says who and when.
    no_shows_lifted_at = models.DateTimeField(
        _("no-show rule lifted at"), null=True, blank=True, editable=False
    )
    no_shows_lifted_reason = models.CharField(
        _("why the no-show rule was lifted"), max_length=500, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user"],
                condition=models.Q(user__isnull=False),
                name="customer_one_record_per_account",
            ),
            # Staff entering a phone the business already has get that record, not a second.
            models.UniqueConstraint(
                fields=["business", "phone"],
                condition=~models.Q(phone=""),
                name="customer_one_record_per_phone",
            ),
        ]
        indexes = [models.Index(fields=["business", "name"], name="customer_business_name")]

    def __str__(self) -> str:
        return self.name

    # What a notification reads of the person it goes to, as it reads it of an account.
    @property
    def shown_name(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return True
