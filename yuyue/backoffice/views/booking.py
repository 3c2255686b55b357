"""Booking for a customer on the phone or at the door, and "why is this time not free?"."""

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.explain import reason_text
from yuyue.backoffice.forms import BookingForm, NewCustomerForm
from yuyue.backoffice.pages import a_day
from yuyue.bookings.availability import explain_time
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import MAX_NOTES_LENGTH, Channel
from yuyue.bookings.selectors import appointments_by_ids, customers_of_business
from yuyue.bookings.services import (
    RECORD_PAST_DAYS,
    appointment_create,
    appointment_record_past,
    appointment_walk_in,
)
from yuyue.catalog.models import Service
from yuyue.catalog.selectors import business_services
from yuyue.customers.models import Customer
from yuyue.customers.selectors import customer_of_business
from yuyue.customers.services import customer_create
from yuyue.lib.errors import DomainError
from yuyue.lib.localtime import local_day_time_label
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import business_staff
from yuyue.webkit.forms import error_text, refusal_text
from yuyue.webkit.pages import an_id, page, with_query
from yuyue.webkit.params import choice_of, chosen_start
from yuyue.webkit.picker import build_picker

MAX_QUERY_LENGTH = 100
_CLOCK = re.compile(r"^\d{2}:\d{2}(:\d{2})?\Z")
FOUND_SHOWN = 20
# A chosen customer rides along signed, so nobody can book for an id they guessed.
_SALT = "yuyue.backoffice.customer"


def customer_token(desk: Desk, customer: Customer) -> str:
    return signing.dumps({"b": desk.business.id, "c": customer.id}, salt=_SALT)


def customer_from_token(desk: Desk, token: str | None) -> Customer | None:
    if not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("b") != desk.business.id:
        return None
    customer_id = data.get("c")
    if not isinstance(customer_id, int):
        return None
    return customer_of_business(business=desk.business, customer_id=customer_id)


def _find(desk: Desk, query: str) -> list[Customer]:
    """The business's own records by name, email or phone digits; a caller the business does
    not know yet is added as a new record, never looked up across the platform."""
    return list(customers_of_business(business=desk.business, query=query)[:FOUND_SHOWN])


def _local_start(
    desk: Desk, member: StaffMember | None, day: dt.date | None, time: str
) -> dt.datetime | None:
    """The day at a wall-clock "HH:MM" where the staff member works (their shop's zone, else
    the business's), or None for anything else."""
    try:
        clock = dt.time.fromisoformat(time) if _CLOCK.match(time or "") else None
    except ValueError:
        clock = None
    if day is None or clock is None:
        return None
    return dt.datetime.combine(
        day,
        clock.replace(second=0, microsecond=0),
        tzinfo=desk.zone_at(member),
    )


@require_http_methods(["GET", "POST"])
@desk_view()
def book(request: HttpRequest, desk: Desk) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "")[:MAX_QUERY_LENGTH].replace("\x00", "").strip()
    token = data.get("customer")
    customer = customer_from_token(desk, token)
    services = list(business_services(business=desk.business))
    staff = list(business_staff(business=desk.business))
    now = timezone.now()
    today = now.astimezone(desk.zone).date()
    service_id = an_id(data.get("service"))
    chosen_service = next((s for s in services if s.id == service_id), None) or (
        services[0] if services else None
    )
    values = {
        "service": str(chosen_service.id) if chosen_service else "",
        "staff": data.get("staff", ""),
        "date": data.get("date", today.isoformat()),
        "time": data.get("time", ""),
        "notes": data.get("notes", ""),
    }
    picked = _picked_start(desk, data.get("start"))
    if picked is not None:
        # A time chosen in the picker fills the form's date and time.
        values["date"], values["time"] = picked.date().isoformat(), f"{picked:%H:%M}"
    # What the calendar's click chose rides along while the customer is found or created.
    carry = {
        key: data.get(key, "")[:20]
        for key in ("service", "staff", "date", "time")
        if data.get(key, "")
    }
    context: dict[str, Any] = {
        "carry": carry,
        "carry_query": urlencode(carry),
        "query": query,
        "found": [
            {"customer": found, "token": customer_token(desk, found)}
            for found in _find(desk, query)
        ]
        if query and customer is None
        else [],
        "customer": customer,
        "token": customer_token(desk, customer) if customer else "",
        "services": services,
        "staff": staff,
        "values": values,
        "ask_payment": data.get("ask_payment") == "1",
        "max_notes": MAX_NOTES_LENGTH,
        "past_days": RECORD_PAST_DAYS,
        "errors": [],
    }
    if request.method == "GET":
        if customer is not None and chosen_service is not None:
            context.update(_free_times(desk, token or "", chosen_service, values, picked))
        return page(request, "backoffice/book.html", context, desk=desk)
    form = BookingForm(data)
    if not form.is_valid():
        context["errors"] = [error_text(form)]
        return page(request, "backoffice/book.html", context, status=400, desk=desk)
    if customer is None:
        context["errors"] = [_("Choose the customer first.")]
        return page(request, "backoffice/book.html", context, status=400, desk=desk)
    service = next((s for s in services if s.id == an_id(data.get("service"))), None)
    member = next((m for m in staff if m.id == an_id(data.get("staff"))), None)
    if service is None:
        context["errors"] = [_("Choose a service.")]
        return page(request, "backoffice/book.html", context, status=400, desk=desk)
    notes = form.cleaned_data["notes"][:MAX_NOTES_LENGTH]
    try:
        if data.get("past") == "1":
            start = _local_start(desk, member, a_day(data.get("date")), data.get("time", ""))
            if start is None or member is None:
                context["errors"] = [_("Give the staff member, the date and the time (HH:MM).")]
                return page(request, "backoffice/book.html", context, status=400, desk=desk)
            appointment = appointment_record_past(
                service=service,
                client=customer,
                staff=member,
                start=start,
                actor=desk.user,
                notes=notes,
            )
        elif data.get("walk_in") == "1":
            appointment = appointment_walk_in(
                service=service, client=customer, staff=member, actor=desk.user, notes=notes
            )
        else:
            start = _local_start(desk, member, a_day(data.get("date")), data.get("time", ""))
            if start is None:
                context["errors"] = [_("Give a date and a time (HH:MM).")]
                return page(request, "backoffice/book.html", context, status=400, desk=desk)
            appointment = appointment_create(
                service=service,
                client=customer,
                start=start,
                staff=member,
                notes=notes,
                channel=Channel.BACKOFFICE,
                actor=desk.user,
                staff_override=True,
                # Booked by the shop: paid in the shop unless it asks for payment online.
                waive_payment=data.get("ask_payment") != "1",
            )
    except SlotUnavailable:
        context["errors"] = [_("That time is not free.")]
        if data.get("walk_in") == "1":
            context["errors"] = [_("It cannot start now.")]
            asked = timezone.now().astimezone(desk.zone_at(member)) + dt.timedelta(minutes=1)
            date, time = asked.date().isoformat(), f"{asked:%H:%M}"
        else:
            date, time = data.get("date", ""), data.get("time", "")
        if member is not None:
            start = _local_start(desk, member, a_day(date), time)
            if start is not None:
                context["errors"] += _reasons(desk, service, member, start)[:3]
            context["why_url"] = with_query(
                reverse("backoffice:why", args=[desk.business.slug]),
                staff=member.id,
                service=service.id,
                date=date,
                time=time,
            )
        return page(request, "backoffice/book.html", context, status=409, desk=desk)
    except DomainError as error:
        context["errors"] = [refusal_text(error)]
        return page(request, "backoffice/book.html", context, status=400, desk=desk)
    messages.success(request, _("Booked."))
    return HttpResponseRedirect(
        reverse("backoffice:appointment", args=[desk.business.slug, appointment.public_id]),
        status=303,
    )


def _picked_start(desk: Desk, raw: str | None) -> dt.datetime | None:
    """The time a picker link chose (2026-12-01T10:00+08:00), local to the business."""
    if not raw:
        return None
    try:
        return chosen_start(raw, desk.zone).astimezone(desk.zone)
    except DomainError:
        return None


def _free_times(
    desk: Desk, token: str, service: Service, values: dict[str, str], picked: dt.datetime | None
) -> dict[str, Any]:
    """The customers' picker for the chosen service and staff member: its links come back to
    this page with the time filled in."""
    book_url = reverse("backoffice:book", args=[desk.business.slug])
    query = {"date": values["date"]}
    choice = choice_of(service, {"staff": values["staff"] or "any"})
    picker = build_picker(
        choice=choice,
        query=query,
        page_url=book_url,
        confirm_url=book_url,
        keep={"customer": token, "service": service.id},
    )
    return {"picker": picker, "picked": picked}


def _reasons(desk: Desk, service: Service, member: StaffMember, start: dt.datetime) -> list[str]:
    """Why `start` is not free for `member`, in words, what blocks it first: "off the
    customers' grid" is the least of it for staff."""
    reasons = sorted(
        explain_time(service=service, staff=member, start=start),
        key=lambda reason: reason.code == "off_grid",
    )
    ids = [busy.appointment_id for reason in reasons for busy in reason.busy]
    others = appointments_by_ids(business=desk.business, ids=[i for i in ids if i])
    return [
        line
        for reason in reasons
        for line in reason_text(
            reason,
            service=service,
            staff=member,
            day=start.date(),
            zone_name=member.zone_name,
            appointments=others,
        )
    ]


@require_POST
@desk_view()
def new_customer(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Name and phone are enough: a record of the business's own, with no account. A phone the
    business already has gives that record."""
    back = reverse("backoffice:book", args=[desk.business.slug])
    form = NewCustomerForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return HttpResponseRedirect(back, status=303)
    try:
        customer = customer_create(
            business=desk.business,
            name=form.cleaned_data["name"][:200],
            phone=form.cleaned_data["phone"][:40],
            actor=desk.user,
        )
    except DomainError as error:
        messages.error(request, refusal_text(error))
        return HttpResponseRedirect(back, status=303)
    carried = {key: request.POST.get(key, "")[:20] for key in ("service", "staff", "date", "time")}
    return HttpResponseRedirect(
        with_query(
            reverse("backoffice:book", args=[desk.business.slug]),
            customer=customer_token(desk, customer),
            **carried,
        ),
        status=303,
    )


@require_GET
@desk_view()
def why(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Pick a staff member, a service and a time: every reason it is not free, in words."""
    staff = list(business_staff(business=desk.business))
    services = list(business_services(business=desk.business))
    member = next((m for m in staff if m.id == an_id(request.GET.get("staff"))), None)
    offered = [s for s in services if member is None or s in member.services.all()]
    service = next((s for s in offered if s.id == an_id(request.GET.get("service"))), None)
    if service is None and member is not None and offered:
        service = offered[0]
    day = a_day(request.GET.get("date"))
    start = _local_start(desk, member, day, request.GET.get("time", ""))
    today = timezone.now().astimezone(desk.zone).date()
    context: dict[str, Any] = {
        "staff": staff,
        "services": services,
        "member": member,
        "service": service,
        "values": {
            "date": (day or today).isoformat(),
            "time": request.GET.get("time", "")[:8],
        },
        "asked": start is not None and member is not None and service is not None,
        "lines": [],
    }
    if start is not None and member is not None:
        # As people read it ("周二 2026年12月1日 10:00"), not the form's ISO values; the zone
        # only when the staff member's shop is not in the business's (the footer names that).
        context["asked_when"] = local_day_time_label(
            start, member.zone_name, with_zone=member.zone_name != desk.zone.key
        )
    if start is not None and member is not None and service is not None and day is not None:
        context["lines"] = _reasons(desk, service, member, start)
        context["book_url"] = with_query(
            reverse("backoffice:book", args=[desk.business.slug]),
            service=service.id,
            staff=member.id,
            date=day.isoformat(),
            time=request.GET.get("time", "")[:5],
        )
    return page(request, "backoffice/why.html", context, desk=desk)
