"""User accounts in the back office: the platform operator's page only.

Owners manage their people through memberships; the account list of the whole platform is
no business of theirs.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuyue.accounts.models import Consent, PrivacyPolicy, User
from yuyue.accounts.selectors import current_privacy_policy
from yuyue.accounts.services import privacy_policy_publish
from yuyue.lib.admin import adopt, is_operator


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "email", "phone", "phone_verified", "is_staff")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {
                "fields": (
                    "display_name",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "phone_verified",
                    "language",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "phone",
                    "email",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_operator(request)


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    """The operator publishes the policy here: each save is a new version, never an edit."""

    list_display = ("version", "effective_at", "created_at")
    fields = ("version", "effective_at", "body_zh", "body_en", "created_at")
    readonly_fields = ("version", "created_at")
    ordering = ("-version",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # consents name a version: a change is a new version

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # A new version starts from the one in force, to be edited.
        current = current_privacy_policy()
        initial: dict[str, Any] = {"effective_at": timezone.now()}
        initial.update(super().get_changeform_initial_data(request))
        if current is not None:
            initial.update(body_zh=current.body_zh, body_en=current.body_en)
        return initial

    def save_model(self, request: HttpRequest, obj: PrivacyPolicy, form, change: bool) -> None:
        data = form.cleaned_data
        assert isinstance(request.user, User)  # has_add_permission: an operator
        published = privacy_policy_publish(
            actor=request.user,
            body_zh=data["body_zh"],
            body_en=data["body_en"],
            effective_at=data["effective_at"],
        )
        adopt(obj, published)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Who agreed to which version, and when: written by registration and booking only."""

    list_display = ("user", "policy", "occasion", "accepted_at")
    list_filter = ("occasion", "policy")
    list_select_related = ("user", "policy")
    search_fields = ("=user__username", "=user__phone")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
