"""The customer's appointments: the list, one appointment, cancel and reschedule."""

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.bookings.errors import CutoffPassed, SlotUnavailable
from yuyue.bookings.models import HOLDING_STATUSES, Appointment, Status
from yuyue.bookings.permissions import CUSTOMER, AppointmentPermissions, appointment_permissions
from yuyue.bookings.rules import deposit_reason
from yuyue.bookings.selectors import appointments_of_customer, cancellation_reasons
from yuyue.bookings.services import appointment_reschedule, series_cancel
from yuyue.catalog.selectors import business_roles
from yuyue.lib.errors import DomainError, InvalidInput, http_status
from yuyue.lib.localtime import local_day_time_label, local_short_label
from yuyue.payments.selectors import cancel_refund, payment_summary
from yuyue.scheduling.selectors import request_zone
from yuyue.web.calendar import calendar_file
from yuyue.web.forms import BookingForm, CancelForm
from yuyue.web.lookups import appointment_or_404, shop_phone
from yuyue.web.pages import no_time_chosen, times_context
from yuyue.web.slots import alternatives, is_free
from yuyue.webkit.forms import add_errors, refusal_text
from yuyue.webkit.pages import page, problem, with_query
from yuyue.webkit.params import choice_of, chosen_start, staff_value, start_value
from yuyue.webkit.picker import build_picker, staff_options
from yuyue.webkit.qr import qr_svg
from yuyue.webkit.templatetags.webkit import money

PAST_PER_PAGE = 20
CHANGEABLE = (Status.PENDING, Status.CONFIRMED)


def _row(
    appointment: Appointment,
    *,
    with_zone: bool = True,
    permissions: AppointmentPermissions | None = None,
    reason: str = "",
) -> dict:
    return {
        "appointment": appointment,
        "when": local_day_time_label(appointment.start, appointment.zone_name, with_zone=with_zone),
        "status_label": Status(appointment.status).label,
        "shop_phone": shop_phone(appointment),
        "deadline": "" if permissions is None else deadline_text(appointment, permissions),
        "cancel_reason": reason if appointment.status == Status.CANCELLED else "",
    }


def deadline_text(appointment: Appointment, permissions: AppointmentPermissions) -> str:
    """Until when the customer may change it online, e.g. "可在 12月3日 14:00 前取消或改期",
    from the deadlines of the one permission rule; "" when there is nothing to change or the
    cut-offs do not apply (staff)."""
    if permissions.role != CUSTOMER:
        return ""
    zone = appointment.zone_name
    cancel = local_short_label(permissions.cancel_deadline, zone) if permissions.can_cancel else ""
    move = (
        local_short_label(permissions.reschedule_deadline, zone)
        if permissions.can_reschedule
        else ""
    )
    if cancel and cancel == move:
        return _("You can cancel or reschedule online until %(when)s.") % {"when": cancel}
    lines = []
    if cancel:
        lines.append(_("You can cancel online until %(when)s.") % {"when": cancel})
    if move:
        lines.append(_("You can reschedule online until %(when)s.") % {"when": move})
    return " ".join(lines)


def refund_notice(appointment: Appointment, permissions: AppointmentPermissions) -> str:
    """What comes back if they cancel now, said before they confirm ("定金 ¥50 不退"), from
    the refund policy; "" when nothing was paid online or they may not cancel."""
    outcome = cancel_refund(appointment=appointment, permissions=permissions)
    if outcome is None:
        return ""
    currency = appointment.currency
    prepaid = appointment.online_due >= appointment.price  # the full price, not a deposit
    if outcome.kept <= 0:
        text = _("If you cancel now, the %(amount)s paid online is refunded in full.") % {
            "amount": money(outcome.back, currency)
        }
        if permissions.role == CUSTOMER and timezone.now() <= permissions.cancel_cutoff:
            later = cancel_refund(
                appointment=appointment,
                permissions=permissions,
                now=permissions.cancel_cutoff + dt.timedelta(seconds=1),
            )
            if later is not None and later.kept > 0:
                terms = {
                    "when": local_short_label(permissions.cancel_cutoff, appointment.zone_name),
                    "kept": money(later.kept, currency),
                }
                text += (
                    " "
                    + (
                        _("After %(when)s the %(kept)s prepayment is no longer refunded.")
                        if prepaid
                        else _("After %(when)s the %(kept)s deposit is no longer refunded.")
                    )
                    % terms
                )
        return text
    kept = {"kept": money(outcome.kept, currency), "back": money(outcome.back, currency)}
    if outcome.back <= 0:
        return (
            _(
                "The free cancellation time has passed: if you cancel now, the %(kept)s "
                "prepayment is not refunded."
            )
            if prepaid
            else _(
                "The free cancellation time has passed: if you cancel now, the %(kept)s "
                "deposit is not refunded."
            )
        ) % kept
    return (
        _(
            "The free cancellation time has passed: if you cancel now, %(back)s is refunded "
            "and the %(kept)s prepayment is not."
        )
        if prepaid
        else _(
            "The free cancellation time has passed: if you cancel now, %(back)s is refunded "
            "and the %(kept)s deposit is not."
        )
    ) % kept


def payment_lines(appointment: Appointment) -> dict | None:
    """What was due, paid and refunded, for the appointment page; None when no money moved
    and none was due online."""
    summary = payment_summary(appointment)
    if summary["mode"] == "none" and summary["amount_paid"] <= 0:
        return None
    return summary


def _changes(appointment: Appointment, user) -> dict:
    """What the page offers; the services ask the same rule again when the customer acts."""
    permissions = appointment_permissions(appointment=appointment, actor=user)
    return {
        "permissions": permissions,
        "can_cancel": permissions.can_cancel,
        "can_reschedule": permissions.can_reschedule,
        "too_late": isinstance(permissions.cancel.refusal, CutoffPassed),
    }


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = appointments_of_customer(customer=request.user)
    upcoming = mine.filter(status__in=HOLDING_STATUSES, end__gt=now).order_by("start", "id")
    past = mine.exclude(id__in=upcoming.values("id")).order_by("-start", "-id")
    past_page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("page"))
    upcoming_list, past_list = list(upcoming), list(past_page)
    times = times_context(*((a.start, a.zone_name) for a in upcoming_list + past_list))
    roles = business_roles(user=request.user)
    reasons = cancellation_reasons(
        appointment_ids=[a.id for a in past_list if a.status == Status.CANCELLED]
    )

    def row(appointment: Appointment, **extra) -> dict:
        # Each card names its business: a customer may book at several.
        return {
            **_row(appointment, with_zone=times["with_zone"], **extra),
            "show_business": True,
        }

    context = {
        "upcoming": [
            row(
                a,
                permissions=appointment_permissions(appointment=a, actor=request.user, roles=roles),
            )
            for a in upcoming_list
        ],
        "past": [row(a, reason=reasons.get(a.id, "")) for a in past_list],
        "past_page": past_page,
        **times,
    }
    return page(request, "web/appointments.html", context)


@login_required
@require_GET
def appointment_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    if appointment.status == Status.OFFERED and appointment.customer_id == request.user.pk:
        # A waitlist offer is answered on its own page (docs/waitlist.md#the-offer).
        return HttpResponseRedirect(reverse("web:waitlist-offer", args=[public_id]))
    changes = _changes(appointment, request.user)
    reasons = cancellation_reasons(appointment_ids=[appointment.id])
    context = {
        # One time and its deadlines, all in the appointment's zone: named once.
        **times_context((appointment.start, appointment.zone_name)),
        **changes,
        "business": appointment.business,
        "calendar": appointment.status in HOLDING_STATUSES,
        **_checkin(appointment, request.user),
        "payment": payment_lines(appointment),
        "refund_notice": refund_notice(appointment, changes["permissions"]),
        "deposit_reason": deposit_reason(appointment),
    }
    context.update(
        _row(
            appointment,
            with_zone=context["with_zone"],
            permissions=changes["permissions"],
            reason=reasons.get(appointment.id, ""),
        )
    )
    return page(request, "web/appointment.html", context)


def _checkin(appointment: Appointment, user: object) -> dict:
    """The check-in code and its QR code, for the appointment's customer only (staff check it
    in from the back office), while it can be used."""
    code = appointment.usable_checkin_code
    if code is None or appointment.customer_id != getattr(user, "pk", None):
        return {}
    return {
        "checkin_code": code,
        "checkin_qr": qr_svg(code, title=_("Check-in code"), svgclass="checkin-qr", scale=6),
    }


@login_required
@require_GET
def appointment_done(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    if appointment.status == Status.AWAITING_PAYMENT:
        # Held, not booked yet: it is booked once paid.
        return HttpResponseRedirect(reverse("web:pay", args=[public_id]))
    if appointment.status not in HOLDING_STATUSES:
        # Cancelled (or over) since: the detail page says what it is now.
        return HttpResponseRedirect(reverse("web:appointment", args=[public_id]))
    times = times_context((appointment.start, appointment.zone_name))
    context = {
        **_row(appointment, with_zone=times["with_zone"]),
        **times,
        "business": appointment.business,
        **_checkin(appointment, request.user),
    }
    return page(request, "web/done.html", context)


@login_required
@require_GET
def appointment_calendar(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    detail = request.build_absolute_uri(reverse("web:appointment", args=[public_id]))
    body = calendar_file(
        appointment=appointment,
        summary=f"{appointment.service.name} · {appointment.business.name}",
        description=_("With %(staff)s. Details and changes: %(url)s")
        % {"staff": appointment.staff.name, "url": detail},
        url=detail,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yuyue-{public_id}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def appointment_cancel_page(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    times = times_context((appointment.start, appointment.zone_name))
    context = {
        **_row(appointment, with_zone=times["with_zone"]),
        **times,
        "business": appointment.business,
        "form": form,
    }
    permissions = _changes(appointment, request.user)["permissions"]
    context["refund_notice"] = refund_notice(appointment, permissions)
    outcome = cancel_refund(appointment=appointment, permissions=permissions)
    back = "" if outcome is None else str(outcome.back)
    form.fields["refund_back"].initial = back
    if request.method == "GET":
        refusal = permissions.cancel.reason
        if refusal:
            context["refusal"] = refusal
            return page(request, "web/cancel.html", context, status=409)
        return page(request, "web/cancel.html", context)
    if not form.is_valid():
        return page(request, "web/cancel.html", context, status=400)
    if form.cleaned_data["refund_back"] != back:
        # What comes back changed since the page was shown (the cut-off passed meanwhile):
        # they confirm again, having read the new terms.
        form = CancelForm(initial={"reason": form.cleaned_data["reason"], "refund_back": back})
        context["form"] = form
        context["terms_changed"] = True
        return page(request, "web/cancel.html", context, status=409)
    try:
        series_cancel(
            appointment=appointment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            following=request.POST.get("following") == "1",
        )
    except DomainError as error:
        add_errors(form, error)
        return page(request, "web/cancel.html", context, status=http_status(error))
    messages.success(request, _("Your appointment is cancelled."))
    return HttpResponseRedirect(reverse("web:appointment", args=[public_id]))


def _reschedulable(request: HttpRequest, appointment: Appointment) -> HttpResponse | None:
    refusal = _changes(appointment, request.user)["permissions"].reschedule.reason
    if not refusal:
        return None
    return problem(
        request,
        _("Cannot reschedule"),
        refusal,
        status=409,
        back_url=reverse("web:appointment", args=[appointment.public_id]),
    )


@login_required
@require_GET
def appointment_reschedule_page(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    refused = _reschedulable(request, appointment)
    if refused is not None:
        return refused
    service = appointment.service
    # Moving an appointment keeps its staff member unless the customer picks someone else, and
    # its shop: "anyone" means anyone there, as appointment_reschedule decides it.
    choice = choice_of(
        service,
        request.GET,
        fixed_location=appointment.location,
        default_staff=str(appointment.staff_id),
    )
    page_url = reverse("web:reschedule", args=[public_id])
    picker = build_picker(
        choice=choice,
        query=request.GET,
        page_url=page_url,
        confirm_url=reverse("web:reschedule-confirm", args=[public_id]),
        exclude_appointment_id=appointment.id,
        # Marked only where it is the same choice: with the same staff member, or anyone.
        current=appointment.start
        if choice.staff is None or choice.staff.id == appointment.staff_id
        else None,
    )
    times = times_context((appointment.start, appointment.zone_name))
    context = {
        **_row(appointment, with_zone=times["with_zone"]),
        **times,
        "business": appointment.business,
        "service": service,
        "staff_options": staff_options(choice, page_url, keep=request.GET),
        "picker": picker,
        "rescheduling": True,
        "back_url": reverse("web:appointment", args=[public_id]),
    }
    return page(request, "web/book.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_reschedule_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    appointment = appointment_or_404(request, public_id)
    refused = _reschedulable(request, appointment)
    if refused is not None:
        return refused
    service = appointment.service
    data = request.POST if request.method == "POST" else request.GET
    choice = choice_of(service, data, fixed_location=appointment.location)
    staff, location = choice.staff, choice.location
    page_url = reverse("web:reschedule", args=[public_id])
    zone = request_zone(business=service.business, location=location)
    try:
        start = chosen_start(data.get("start"), zone)
    except InvalidInput:
        return no_time_chosen(request, back_url=page_url)
    value = start_value(start, zone)
    day = start.astimezone(zone).date().isoformat()
    form = BookingForm()
    times = times_context((appointment.start, appointment.zone_name), (start, zone.key))
    context = {
        **_row(appointment, with_zone=times["with_zone"]),
        **times,
        "business": appointment.business,
        "service": service,
        "staff": staff,
        "staff_value": staff_value(staff),
        "start_value": value,
        "when_new": local_day_time_label(start, zone.key, with_zone=times["with_zone"]),
        "rescheduling": True,
        "form": form,
        "key": secrets.token_urlsafe(16),
        "location_value": "" if location is None else location.id,
        "place": choice.place,
        "change_url": with_query(page_url, **choice.carry, start=day, date=day),
        "confirm_url": with_query(
            reverse("web:reschedule-confirm", args=[public_id]), **choice.carry, start=value
        ),
    }

    def nearby(found=None) -> list[dict]:
        # Never offer the time the appointment already has.
        return alternatives(
            service=service,
            staff=staff,
            start=start,
            found=found,
            location=location,
            exclude_appointment_id=appointment.id,
            skip=appointment.start,
        )

    if request.method == "GET":
        if not is_free(
            service=service,
            staff=staff,
            start=start,
            location=location,
            exclude_appointment_id=appointment.id,
        ):
            context["taken"] = True
            context["alternatives"] = nearby()
            return page(request, "web/confirm.html", context, status=409)
        return page(request, "web/confirm.html", context)
    if appointment.start == start and (staff is None or staff.id == appointment.staff_id):
        # A form sent twice: the first moved it here already, so there is nothing to do.
        return HttpResponseRedirect(reverse("web:appointment", args=[public_id]))
    try:
        appointment_reschedule(
            appointment=appointment,
            actor=request.user,
            start=start,
            staff=staff,
            any_staff=staff is None,
        )
    except SlotUnavailable as error:
        context["taken"] = True
        context["alternatives"] = nearby(error.alternatives)
        return page(request, "web/confirm.html", context, status=409)
    except DomainError as error:
        context["refusal"] = refusal_text(error)
        return page(request, "web/confirm.html", context, status=http_status(error))
    messages.success(request, _("Your appointment is moved. The old time is released."))
    return HttpResponseRedirect(reverse("web:appointment", args=[public_id]))
