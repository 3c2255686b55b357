"""One appointment: who, what, the audit trail, its messages, and the actions its status
allows (confirm, start, complete, no-show, cancel with a reason, reschedule)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.forms import CounterPaymentForm, ReasonForm, RefundForm
from yuyue.backoffice.pages import refused
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import Appointment, AppointmentEvent, Status
from yuyue.bookings.permissions import UNDO_WINDOW, appointment_permissions, undo_decision
from yuyue.bookings.selectors import appointment_history, customer_record
from yuyue.bookings.services import (
    MAX_REASON_LENGTH,
    appointment_complete,
    appointment_confirm,
    appointment_mark_no_show,
    appointment_reschedule,
    appointment_start,
    appointment_undo,
    series_cancel,
)
from yuyue.lib.errors import DomainError, InvalidInput
from yuyue.lib.localtime import local_clock_label, local_day_time_label, local_weekday_time_label
from yuyue.notifications.errors import reason_text
from yuyue.payments.models import Channel
from yuyue.payments.policy import refund_reason_text
from yuyue.payments.selectors import appointment_money
from yuyue.payments.services import payment_record_counter, payment_refund_partial
from yuyue.scheduling.selectors import business_staff, request_zone
from yuyue.webkit.forms import add_errors, error_text, refusal_text
from yuyue.webkit.pages import PUBLIC_ID, an_id, page, safe_next, with_query
from yuyue.webkit.params import choice_of, chosen_start, start_value
from yuyue.webkit.picker import build_picker, staff_options
from yuyue.webkit.templatetags.webkit import money as money_text

ACTIONS = {
    "confirm": appointment_confirm,
    "start": appointment_start,
    "complete": appointment_complete,
    "no-show": appointment_mark_no_show,
    "undo": appointment_undo,
}
# Asked once more before it is done: a no-show counts against the customer.
CONFIRMED_FIRST = {"no-show"}


def appointment_of(desk: Desk, public_id: str) -> Appointment:
    """The business's appointment, or 404: another business's ids name nothing here."""
    appointment = None
    if PUBLIC_ID.match(public_id):
        appointment = appointment_history(business=desk.business, public_id=public_id)
    if appointment is None:
        raise Http404
    return appointment


def _moved(
    event: AppointmentEvent, zone_name: str, staff_names: dict[int, str]
) -> tuple[str, str] | None:
    """A reschedule's old and new local times (and staff, when that changed), else None."""
    if event.action != AppointmentEvent.Action.RESCHEDULED:
        return None
    try:
        old, new = event.data["old"], event.data["new"]
        moments = [dt.datetime.fromisoformat(side["start"]) for side in (old, new)]
    except (KeyError, TypeError, ValueError):
        return None
    labels = [local_weekday_time_label(moment, zone_name) for moment in moments]
    if old.get("staff_id") != new.get("staff_id"):
        labels = [
            f"{label} · {staff_names.get(side.get('staff_id'), '—')}"
            for label, side in zip(labels, (old, new), strict=True)
        ]
    return labels[0], labels[1]


def _undo(desk: Desk, appointment: Appointment, events: list[dict]) -> dict | None:
    """The last status change, when it may still be undone, and until when."""
    last = events[-1]["event"] if events else None
    if not undo_decision(appointment=appointment, actor=desk.user, last_event=last):
        return None
    assert last is not None
    return {
        "action": last.get_action_display(),
        "until": local_clock_label(last.created_at + UNDO_WINDOW, appointment.zone_name),
    }


def _detail_url(desk: Desk, appointment: Appointment) -> str:
    return reverse("backoffice:appointment", args=[desk.business.slug, appointment.public_id])


@require_GET
@desk_view()
def detail(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    appointment = appointment_of(desk, public_id)
    return page(request, "backoffice/appointment.html", _detail(desk, appointment), desk=desk)


def _detail(
    desk: Desk,
    appointment: Appointment,
    *,
    counter_form: CounterPaymentForm | None = None,
    refund_form: RefundForm | None = None,
) -> dict:
    """The appointment page's context; a form given is shown with its errors."""
    zone_name = appointment.zone_name
    rights = appointment_permissions(appointment=appointment, actor=desk.user)
    everyone = business_staff(business=desk.business, include_inactive=True)
    staff_names = {member.id: member.name for member in everyone}
    events = [
        {
            "event": event,
            "when": local_day_time_label(event.created_at, zone_name),
            "moved": _moved(event, zone_name, staff_names),
        }
        for event in appointment.events.all()
    ]
    notifications = [
        {
            "notification": item,
            "when": local_day_time_label(item.created_at, zone_name),
            "reason": reason_text(item.last_error),
        }
        for item in appointment.notifications.all()
    ]
    context = {
        "appointment": appointment,
        "when": local_day_time_label(appointment.start, zone_name),
        "until": local_clock_label(appointment.end, zone_name),
        "record": customer_record(customer=appointment.client),
        "rights": rights,
        "undo": _undo(desk, appointment, events),
        "events": events,
        "notifications": notifications,
        "max_reason": MAX_REASON_LENGTH,
    }
    money = appointment_money(appointment)
    context["money"] = money
    context["money_rows"] = [
        {
            "entry": entry,
            "when": local_day_time_label(entry.created_at, zone_name, with_zone=False),
            "note": entry.note
            or (refund_reason_text(entry.refund.reason) if entry.refund is not None else ""),
        }
        for entry in money["entries"]
    ]
    if money["pay_by"] is not None:
        context["pay_by"] = local_clock_label(money["pay_by"], zone_name)
    if appointment.status in COUNTER_STATUSES or counter_form is not None:
        context["counter_form"] = counter_form or CounterPaymentForm(
            initial={"channel": Channel.CASH}
        )
    if desk.is_owner and (money["refundable_online"] > 0 or refund_form is not None):
        context["refund_form"] = refund_form or RefundForm()
    return context


@require_POST
@desk_view()
def action(request: HttpRequest, desk: Desk, public_id: str, name: str) -> HttpResponse:
    appointment = appointment_of(desk, public_id)
    back = safe_next(request, _detail_url(desk, appointment))
    if name not in ACTIONS:
        raise Http404
    if name in CONFIRMED_FIRST and request.POST.get("confirmed") != "1":
        context = {
            "appointment": appointment,
            "when": local_day_time_label(appointment.start, appointment.zone_name),
            "back": back,
            "name": name,
            "minutes": int(UNDO_WINDOW.total_seconds() // 60),
        }
        return page(request, "backoffice/no_show.html", context, desk=desk)
    try:
        ACTIONS[name](appointment=appointment, actor=desk.user)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, status_changed_text(appointment))
    return HttpResponseRedirect(back, status=303)


def status_changed_text(appointment: Appointment) -> str:
    """Which appointment changed, and to what: the flash after an action."""
    appointment.refresh_from_db(fields=["status"])
    return _("%(customer)s, %(when)s (%(service)s): now %(status)s.") % {
        "customer": appointment.client.name,
        "when": local_day_time_label(appointment.start, appointment.zone_name),
        "service": appointment.service.name,
        "status": appointment.get_status_display(),
    }


def cancel(request: HttpRequest, desk: Desk, appointment: Appointment, back: str) -> HttpResponse:
    """Cancel only after a confirmation step, with the reason the customer will read."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return HttpResponseRedirect(back, status=303)
    reason = form.cleaned_data["reason"]
    if request.POST.get("confirmed") != "1":
        return page(
            request,
            "backoffice/cancel.html",
            {
                "appointment": appointment,
                "reason": reason,
                "back": back,
                "max_reason": MAX_REASON_LENGTH,
            },
            desk=desk,
        )
    try:
        series_cancel(
            appointment=appointment,
            actor=desk.user,
            reason=reason,
            following=request.POST.get("following") == "1",
        )
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The appointment is cancelled; the customer is told why."))
    return HttpResponseRedirect(back, status=303)


@require_http_methods(["GET", "POST"])
@desk_view()
def cancel_page(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    appointment = appointment_of(desk, public_id)
    back = safe_next(request, _detail_url(desk, appointment))
    if request.method == "POST":
        return cancel(request, desk, appointment, back)
    context = {
        "appointment": appointment,
        "reason": "",
        "back": back,
        "max_reason": MAX_REASON_LENGTH,
    }
    return page(request, "backoffice/cancel.html", context, desk=desk)


@require_GET
@desk_view()
def reschedule(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    """The customer's picker, for staff: the same days, staff and free times."""
    appointment = appointment_of(desk, public_id)
    service = appointment.service
    choice = choice_of(
        service,
        request.GET,
        fixed_location=appointment.location,
        default_staff=str(appointment.staff_id),
    )
    page_url = reverse("backoffice:reschedule", args=[desk.business.slug, public_id])
    picker = build_picker(
        choice=choice,
        query=request.GET,
        page_url=page_url,
        confirm_url=reverse("backoffice:reschedule-confirm", args=[desk.business.slug, public_id]),
        exclude_appointment_id=appointment.id,
    )
    context = {
        "appointment": appointment,
        "when": local_day_time_label(appointment.start, appointment.zone_name),
        "service": service,
        "staff_options": staff_options(choice, page_url),
        "picker": picker,
        "rights": appointment_permissions(appointment=appointment, actor=desk.user),
    }
    return page(request, "backoffice/reschedule.html", context, desk=desk)


@require_http_methods(["GET", "POST"])
@desk_view()
def reschedule_confirm(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    appointment = appointment_of(desk, public_id)
    service = appointment.service
    data = request.POST if request.method == "POST" else request.GET
    choice = choice_of(service, data, fixed_location=appointment.location)
    if choice.staff is None and an_id(data.get("staff")) is not None:
        # A block dragged onto a colleague at another shop: the appointment moves with them.
        choice = choice_of(service, data)
    page_url = reverse("backoffice:reschedule", args=[desk.business.slug, public_id])
    zone = request_zone(business=service.business, location=choice.location)
    try:
        start = chosen_start(data.get("start"), zone)
    except InvalidInput as error:
        messages.error(request, refusal_text(error))
        return HttpResponseRedirect(page_url, status=303)
    context = {
        "appointment": appointment,
        "when": local_day_time_label(appointment.start, appointment.zone_name),
        "when_new": local_day_time_label(start, zone.key),
        "staff": choice.staff,
        "carry": choice.carry,
        "start_value": start_value(start, zone),
        "change_url": with_query(page_url, **choice.carry),
    }
    if request.method == "GET":
        return page(request, "backoffice/reschedule_confirm.html", context, desk=desk)
    form = ReasonForm(data)
    if not form.is_valid():
        context["refusal"] = error_text(form)
        return page(request, "backoffice/reschedule_confirm.html", context, status=400, desk=desk)
    try:
        appointment_reschedule(
            appointment=appointment,
            actor=desk.user,
            start=start,
            staff=choice.staff,
            any_staff=choice.staff is None,
            reason=form.cleaned_data["reason"][:MAX_REASON_LENGTH],
        )
    except SlotUnavailable:
        context["refusal"] = _("That time was just taken. Choose another one.")
        return page(request, "backoffice/reschedule_confirm.html", context, status=409, desk=desk)
    except DomainError as error:
        context["refusal"] = refusal_text(error)
        return page(request, "backoffice/reschedule_confirm.html", context, status=409, desk=desk)
    messages.success(request, _("Moved. The customer is told the new time."))
    return HttpResponseRedirect(_detail_url(desk, appointment), status=303)


# Money at the appointment (docs/payments.md#on-the-appointment-page) ----------------------

# When staff record a payment at the counter: the service's rule, offered when it can succeed.
COUNTER_STATUSES = (Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED)


@require_POST
@desk_view()
def counter_payment(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    """Staff record what was paid in the shop; a refusal is shown on the form (400)."""
    appointment = appointment_of(desk, public_id)
    form = CounterPaymentForm(request.POST)
    if form.is_valid():
        try:
            payment_record_counter(
                appointment=appointment,
                actor=desk.user,
                channel=form.cleaned_data["channel"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(amount)s paid by %(channel)s.")
                % {
                    "amount": money_text(form.cleaned_data["amount"], appointment.currency),
                    "channel": Channel(form.cleaned_data["channel"]).label,
                },
            )
            return HttpResponseRedirect(_detail_url(desk, appointment), status=303)
    context = _detail(desk, appointment, counter_form=form)
    return page(request, "backoffice/appointment.html", context, status=400, desk=desk)


@require_POST
@desk_view()
def refund(request: HttpRequest, desk: Desk, public_id: str) -> HttpResponse:
    """An owner refunds part of what was paid online, with a reason; staff are refused."""
    appointment = appointment_of(desk, public_id)
    if not desk.is_owner:
        return refused(request, desk, _("Only the business's owners can give money back."))
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            payment_refund_partial(
                appointment=appointment,
                actor=desk.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Refund of %(amount)s asked of WeChat Pay; it shows as refunded once done.")
                % {"amount": money_text(form.cleaned_data["amount"], appointment.currency)},
            )
            return HttpResponseRedirect(_detail_url(desk, appointment), status=303)
    context = _detail(desk, appointment, refund_form=form)
    return page(request, "backoffice/appointment.html", context, status=400, desk=desk)
