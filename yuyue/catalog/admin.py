"""Back office for businesses, their members, locations and services; writes go via services."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.admin_scoping import BusinessScopedAdmin
from yuyue.catalog.forms import PaymentFieldsOptional
from yuyue.catalog.models import Business, Invitation, Location, Membership, Service
from yuyue.catalog.services import (
    BUSINESS_FIELDS,
    LOCATION_FIELDS,
    SERVICE_FIELD_NAMES,
    SERVICE_FIELDS,
    business_create,
    business_update,
    invitation_create,
    invitation_revoke,
    location_create,
    location_update,
    membership_end,
    membership_grant,
    service_create,
    service_update,
)
from yuyue.lib.admin import adopt, describe_error, is_operator
from yuyue.lib.errors import DomainError


def _changed(form: forms.ModelForm, allowed: frozenset[str]) -> dict[str, Any]:
    """The fields a person changed on the form that the service accepts."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}


@admin.register(Business)
class BusinessAdmin(BusinessScopedAdmin):
    business_path = "pk"
    list_display = ("name", "slug", "timezone", "currency", "default_language")
    search_fields = ("name", "slug")
    fields = (
        "slug",
        "name",
        "timezone",
        "currency",
        "default_language",
        "phone",
        "keeps_deposit_after_cutoff",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Business | None = None):
        # The slug is in URLs and settings (YUYUE_DEFAULT_BUSINESS); it never changes.
        return ("slug",) if obj is not None else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new tenant is the platform operator's decision.
        return is_operator(request)

    def save_model(self, request: HttpRequest, obj: Business, form, change: bool) -> None:
        if change:
            business_update(actor=request.user, business=obj, **_changed(form, BUSINESS_FIELDS))
            return
        data = form.cleaned_data
        created = business_create(
            owner=request.user,
            slug=data["slug"],
            name=data["name"],
            timezone=data["timezone"],
            currency=data["currency"],
            default_language=data["default_language"],
        )
        if data.get("phone"):
            business_update(actor=request.user, business=created, phone=data["phone"])
        adopt(obj, created)


@admin.register(Membership)
class MembershipAdmin(BusinessScopedAdmin):
    list_display = ("user", "business", "role", "created_at")
    list_filter = ("role", ("business", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "business")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = ("business", "user", "role", "created_at")
    deletable = True

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People join by accepting an invitation (see Invitations), never by being looked up.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None):
        if obj is None:
            return ()
        if obj.user_id == request.user.pk and not is_operator(request):
            # Owners cannot demote themselves here and lock themselves out of their business.
            return ("business", "user", "role", "created_at")
        return ("business", "user", "created_at")

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        saved = membership_grant(
            actor=request.user, business=obj.business, user=obj.user, role=form.cleaned_data["role"]
        )
        adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_end(membership=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for membership in queryset.select_related("business", "user"):
            try:
                membership_end(membership=membership, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{membership}: {describe_error(error)}", messages.ERROR)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("business", "role", "staff")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        business, staff = data.get("business"), data.get("staff")
        if business is not None and staff is not None and staff.business_id != business.id:
            raise ValidationError({"staff": _("This staff member belongs to another business.")})
        return data


@admin.register(Invitation)
class InvitationAdmin(BusinessScopedAdmin):
    """Owners invite people here; the link is shown once, after saving."""

    form = InvitationForm
    list_display = ("business", "role", "staff", "created_by", "expires_at", "state")
    list_filter = ("role", ("business", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("business", "staff", "created_by")
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None):
        if obj is None:
            return ("business", "role", "staff")
        return (
            "business",
            "role",
            "staff",
            "created_by",
            "created_at",
            "expires_at",
            "accepted_by",
            "accepted_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None):
        return () if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("state"))
    def state(self, obj: Invitation) -> str:
        if obj.accepted_at is not None:
            return gettext("accepted")
        if obj.revoked_at is not None:
            return gettext("withdrawn")
        if obj.is_open(timezone.now()):
            return gettext("open")
        return gettext("expired")

    def save_model(self, request: HttpRequest, obj: Invitation, form, change: bool) -> None:
        data = form.cleaned_data
        issued = invitation_create(
            business=data["business"], actor=request.user, role=data["role"], staff=data["staff"]
        )
        adopt(obj, issued.invitation)
        url = settings.YUYUE_PUBLIC_URL + reverse("web:invitation", args=[issued.token])
        self.message_user(
            request,
            gettext(
                "Send this link to the person you invite; it is shown only now and works "
                "once, for whoever accepts it while logged in: %(url)s"
            )
            % {"url": url},
            messages.WARNING,
        )

    @admin.action(description=_("Withdraw the selected invitations"), permissions=("change",))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        for invitation in queryset.select_related("business"):
            if invitation.accepted_at is not None or invitation.revoked_at is not None:
                continue
            try:
                invitation_revoke(invitation=invitation, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{invitation}: {describe_error(error)}", messages.ERROR)


@admin.register(Location)
class LocationAdmin(BusinessScopedAdmin):
    list_display = ("name", "business", "address", "phone", "timezone")
    list_filter = (("business", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("business",)
    search_fields = ("name", "address")
    fields = ("business", "name", "address", "phone", "timezone", "latitude", "longitude")

    def get_readonly_fields(self, request: HttpRequest, obj: Location | None = None):
        return ("business",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Location, form, change: bool) -> None:
        if change:
            location_update(actor=request.user, location=obj, **_changed(form, LOCATION_FIELDS))
            return
        data = form.cleaned_data
        created = location_create(
            actor=request.user,
            business=data["business"],
            name=data["name"],
            address=data["address"],
            phone=data["phone"],
            timezone=data["timezone"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )
        adopt(obj, created)


class ServiceAdminForm(PaymentFieldsOptional, forms.ModelForm):
    class Meta:
        model = Service
        fields = ("business", *SERVICE_FIELD_NAMES)


@admin.register(Service)
class ServiceAdmin(BusinessScopedAdmin):
    form = ServiceAdminForm
    list_display = (
        "name",
        "business",
        "duration_minutes",
        "price",
        "capacity",
        "requires_confirmation",
        "active",
    )
    list_filter = (
        "active",
        "requires_confirmation",
        ("business", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("business",)
    search_fields = ("name",)
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("business", "name", "description", "price", "active")}),
        (
            _("Time"),
            {
                "fields": (
                    "duration_minutes",
                    "buffer_before_minutes",
                    "buffer_after_minutes",
                    "slot_interval_minutes",
                    "capacity",
                )
            },
        ),
        (
            _("Booking rules"),
            {
                "fields": (
                    "requires_confirmation",
                    "min_notice_minutes",
                    "max_days_ahead",
                    "cancel_cutoff_minutes",
                    "reschedule_cutoff_minutes",
                )
            },
        ),
        (
            _("Payment"),
            {
                "fields": (
                    "payment_mode",
                    "deposit_amount",
                    "payment_window_minutes",
                    "allows_series",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Service | None = None):
        return ("business",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Service, form, change: bool) -> None:
        if change:
            service_update(actor=request.user, service=obj, **_changed(form, SERVICE_FIELDS))
            return
        data = form.cleaned_data
        fields = {name: data[name] for name in SERVICE_FIELDS if name in data and name != "name"}
        created = service_create(
            actor=request.user, business=data["business"], name=data["name"], **fields
        )
        adopt(obj, created)

    def _set_active(self, request: HttpRequest, queryset: QuerySet, active: bool) -> None:
        changed = []
        for service in queryset:
            if service.active == active or not self.has_change_permission(request, service):
                continue
            try:
                service_update(actor=request.user, service=service, active=active)
            except DomainError as error:
                self.message_user(request, f"{service}: {describe_error(error)}", messages.ERROR)
            else:
                changed.append(str(service))
        if changed:
            template = (
                gettext("Now bookable: %(names)s.")
                if active
                else gettext("No longer bookable: %(names)s.")
            )
            self.message_user(request, template % {"names": ", ".join(changed)}, messages.SUCCESS)

    @admin.action(description=_("Make the selected services bookable"), permissions=("change",))
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, True)

    @admin.action(description=_("Stop bookings for the selected services"), permissions=("change",))
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, False)
