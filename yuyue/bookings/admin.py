"""Back office for appointments: read-only pages, changed only through the status actions."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yuyue.bookings.models import Appointment, AppointmentEvent
from yuyue.bookings.services import (
    appointment_cancel,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_start,
)
from yuyue.catalog.admin_scoping import BusinessScopedAdmin, BusinessScopedInline
from yuyue.lib.admin import format_local, refusal_message
from yuyue.lib.errors import DomainError


class AppointmentEventInline(BusinessScopedInline, admin.TabularInline):
    """The audit trail, append-only: nobody adds, changes or deletes an event here."""

    model = AppointmentEvent
    editable = False
    extra = 0
    can_delete = False
    fields = ("at_local", "actor", "action", "from_status", "to_status", "reason")
    readonly_fields = fields
    verbose_name_plural = _("history")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("actor", "appointment__business", "appointment__location")
        )

    @admin.display(description=_("at"))
    def at_local(self, obj: AppointmentEvent) -> str:
        return format_local(obj.created_at, obj.appointment.zone_name)


@admin.register(Appointment)
class AppointmentAdmin(BusinessScopedAdmin):
    list_display = (
        "public_id",
        "start_local",
        "business",
        "staff",
        "service",
        "client",
        "status",
    )
    list_filter = (
        "status",
        ("staff", admin.RelatedOnlyFieldListFilter),
        ("service", admin.RelatedOnlyFieldListFilter),
        ("business", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("business", "location", "staff", "service", "client")
    date_hierarchy = "start"
    ordering = ("-start",)
    # A check-in code is exact too: support finds the booking a customer reads out.
    search_fields = (
        "=public_id",
        "=checkin_code",
        "client__name",
        "client__phone",
        "customer__username",
    )
    actions = ("confirm", "start", "complete", "mark_no_show", "cancel")
    inlines = (AppointmentEventInline,)
    fields = (
        "public_id",
        "checkin_code",
        "status",
        "business",
        "location",
        "service",
        "staff",
        "client",
        "customer",
        "customer_phone",
        "start_local",
        "end_local",
        "price_label",
        "channel",
        "notes",
        "created_local",
    )
    readonly_fields = fields

    # Nothing is written through the page itself: booking has its own flow, and every later
    # change is a status transition that must go through the services and their audit trail.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False

    @admin.display(description=_("start (local time)"), ordering="start")
    def start_local(self, obj: Appointment) -> str:
        return format_local(obj.start, obj.zone_name)

    @admin.display(description=_("end (local time)"), ordering="end")
    def end_local(self, obj: Appointment) -> str:
        return format_local(obj.end, obj.zone_name)

    @admin.display(description=_("booked at"), ordering="created_at")
    def created_local(self, obj: Appointment) -> str:
        return format_local(obj.created_at, obj.zone_name)

    @admin.display(description=_("price"), ordering="price")
    def price_label(self, obj: Appointment) -> str:
        return f"{obj.price} {obj.currency}"

    @admin.display(description=_("customer's phone"))
    def customer_phone(self, obj: Appointment) -> str:
        return obj.client.phone or "-"

    # Actions ---------------------------------------------------------------------------------

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        transition: Callable[..., Appointment],
        done: str,
    ) -> None:
        """Run one transition per selected row; each row succeeds or fails on its own."""
        succeeded = []
        for appointment in queryset:
            try:
                transition(appointment=appointment, actor=request.user)
            except DomainError as error:
                self.message_user(
                    request, refusal_message(appointment.public_id, error), messages.ERROR
                )
            else:
                succeeded.append(appointment.public_id)
        if succeeded:
            self.message_user(
                request,
                done % {"count": len(succeeded), "ids": ", ".join(succeeded)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Confirm the selected appointments"), permissions=("view",))
    def confirm(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request, queryset, appointment_confirm, gettext("Confirmed %(count)d: %(ids)s.")
        )

    @admin.action(description=_("Start the selected appointments"), permissions=("view",))
    def start(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, appointment_start, gettext("Started %(count)d: %(ids)s."))

    @admin.action(description=_("Complete the selected appointments"), permissions=("view",))
    def complete(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request, queryset, appointment_complete, gettext("Completed %(count)d: %(ids)s.")
        )

    @admin.action(description=_("Mark the selected appointments as no-show"), permissions=("view",))
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(
            request,
            queryset,
            appointment_mark_no_show,
            gettext("Marked as no-show %(count)d: %(ids)s."),
        )

    @admin.action(description=_("Cancel the selected appointments"), permissions=("view",))
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._apply(request, queryset, appointment_cancel, gettext("Cancelled %(count)d: %(ids)s."))
