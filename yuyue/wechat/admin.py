"""WeChat identities and consents in the back office: read-only, for superusers only (they are
personal data that no business owns)."""

from django.contrib import admin
from django.http import HttpRequest

from yuyue.wechat.models import SubscribeConsent, WeChatIdentity


class _ReadOnlyForSuperusers(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WeChatIdentity)
class WeChatIdentityAdmin(_ReadOnlyForSuperusers):
    list_display = ("user", "appid", "openid", "unionid", "created_at")
    search_fields = ("user__username", "user__phone", "openid", "unionid")
    list_select_related = ("user",)


@admin.register(SubscribeConsent)
class SubscribeConsentAdmin(_ReadOnlyForSuperusers):
    list_display = (
        "user",
        "template_id",
        "remaining",
        "accepted_total",
        "last_answer",
        "updated_at",
    )
    search_fields = ("user__username", "template_id")
    list_select_related = ("user",)
