"""Back office for businesses, their members, locations and services; writes go via services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.models import User
from yuyue.accounts.phone import normalize_phone
from yuyue.catalog.admin_scoping import BusinessScopedAdmin
from yuyue.catalog.models import Business, Location, Membership, Service
from yuyue.catalog.services import (
    BUSINESS_FIELDS,
    LOCATION_FIELDS,
    SERVICE_FIELDS,
    business_create,
    business_update,
    location_create,
    location_update,
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
    fields = ("slug", "name", "timezone", "currency", "default_language", "phone")

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


class MembershipAddForm(forms.ModelForm):
    account = forms.CharField(
        label=_("user"),
        max_length=150,
        help_text=_("The username or mobile number of an existing account."),
    )

    class Meta:
        model = Membership
        fields = ("business", "account", "role")

    def clean_account(self) -> User:
        text = self.cleaned_data["account"].strip()
        user = User.objects.filter(username=text, is_active=True).first()
        if user is not None:
            return user
        try:
            phone = normalize_phone(text)
        except ValidationError:
            phone = None
        matches = list(User.objects.filter(phone=phone, is_active=True)[:2]) if phone else []
        if not matches:
            raise ValidationError(_("No active account has this username or mobile number."))
        if len(matches) > 1:
            raise ValidationError(
                _("Several accounts share this mobile number; give the username.")
            )
        return matches[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        business, user = data.get("business"), data.get("account")
        if business is not None and user is not None:
            if Membership.objects.filter(business=business, user=user).exists():
                raise ValidationError(
                    _("This person is already a member; change their membership instead.")
                )
            self.instance.user = user
        return data


@admin.register(Membership)
class MembershipAdmin(BusinessScopedAdmin):
    list_display = ("user", "business", "role", "created_at")
    list_filter = ("role", ("business", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "business")
    search_fields = ("user__username", "user__phone", "user__first_name", "user__last_name")

    def get_form(self, request: HttpRequest, obj: Membership | None = None, **kwargs: Any):
        if obj is None:
            kwargs["form"] = MembershipAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Membership | None = None):
        if obj is None:
            return ("business", "account", "role")
        return ("business", "user", "role", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None):
        if obj is None:
            return ()
        if obj.user_id == request.user.pk and not is_operator(request):
            # Owners cannot demote themselves here and lock themselves out of their business.
            return ("business", "user", "role", "created_at")
        return ("business", "user", "created_at")

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        user = obj.user if change else form.cleaned_data["account"]
        saved = membership_grant(
            actor=request.user, business=obj.business, user=user, role=form.cleaned_data["role"]
        )
        adopt(obj, saved)


@admin.register(Location)
class LocationAdmin(BusinessScopedAdmin):
    list_display = ("name", "business", "address", "phone", "timezone")
    list_filter = (("business", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("business",)
    search_fields = ("name", "address")
    fields = ("business", "name", "address", "phone", "timezone")

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
        )
        adopt(obj, created)


@admin.register(Service)
class ServiceAdmin(BusinessScopedAdmin):
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
