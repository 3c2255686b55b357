"""The notification log in the back office: read-only, with a resend action for failures."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.catalog.admin_scoping import BusinessScopedAdmin, owner_business_ids
from yuyue.lib.admin import format_local, is_operator, refusal_message
from yuyue.lib.errors import DomainError
from yuyue.notifications.models import Notification
from yuyue.notifications.services import notification_resend
from yuyue.scheduling.selectors import request_zone


@admin.register(Notification)
class NotificationAdmin(BusinessScopedAdmin):
    list_display = (
        "created_local",
        "kind",
        "channel",
        "recipient",
        "address",
        "status_shown",
        "attempts",
        "next_attempt_local",
        "error",
        "business",
    )
    list_filter = (
        "status",
        "kind",
        "channel",
        ("business", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = (
        "recipient",
        "business",
        "appointment__location",
        "appointment__business",
    )
    search_fields = ("=message_id", "=appointment__public_id", "address", "recipient__username")
    ordering = ("-created_at", "-id")
    actions = ("resend",)
    fields = (
        "appointment",
        "kind",
        "channel",
        "recipient",
        "language",
        "address",
        "status_shown",
        "attempts",
        "send_after_local",
        "next_attempt_local",
        "sent_local",
        "error",
        "provider_message_id",
        "message_id",
        "created_local",
    )
    readonly_fields = fields

    # The log is written by the booking services and the dispatcher only.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(owner_business_ids(request))

    def _local(self, obj: Notification, moment) -> str:
        if obj.appointment is not None:
            return format_local(moment, obj.appointment.zone_name)
        return format_local(moment, str(request_zone(business=obj.business)))

    @admin.display(description=_("created"), ordering="created_at")
    def created_local(self, obj: Notification) -> str:
        return self._local(obj, obj.created_at)

    @admin.display(description=_("send after"), ordering="send_after")
    def send_after_local(self, obj: Notification) -> str:
        return self._local(obj, obj.send_after)

    @admin.display(description=_("next attempt"), ordering="next_attempt_at")
    def next_attempt_local(self, obj: Notification) -> str:
        if obj.status != Notification.Status.PENDING:
            return "-"
        return self._local(obj, obj.next_attempt_at)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def sent_local(self, obj: Notification) -> str:
        return self._local(obj, obj.sent_at)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, obj: Notification) -> str:
        return obj.status_label

    @admin.display(description=_("last error"))
    def error(self, obj: Notification) -> str:
        # Known reasons are stored in English and shown in the reader's language; a mail
        # server's own words are shown as they came.
        return gettext(obj.last_error) if obj.last_error else "-"

    @admin.action(description=_("Send the selected failed messages again"), permissions=("resend",))
    def resend(self, request: HttpRequest, queryset: QuerySet) -> None:
        queued = 0
        for notification in queryset:
            try:
                notification_resend(notification=notification, actor=request.user)
            except DomainError as error:
                label = f"{notification.get_kind_display()} → {notification.addressee}"
                self.message_user(request, refusal_message(label, error), messages.ERROR)
            else:
                queued += 1
        if queued:
            self.message_user(
                request,
                gettext("Queued again: %(count)d.") % {"count": queued},
                messages.SUCCESS,
            )
