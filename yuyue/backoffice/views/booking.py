"""Booking for a customer on the phone or at the door, and "why is this time not free?"."""

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuyue.accounts.models import User
from yuyue.accounts.phone import normalize_phone
from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.explain import reason_text
from yuyue.backoffice.forms import BookingForm, NewCustomerForm
from yuyue.backoffice.pages import a_day
from yuyue.bookings.availability import explain_time
from yuyue.bookings.errors import SlotUnavailable
from yuyue.bookings.models import MAX_NOTES_LENGTH, Channel
from yuyue.bookings.selectors import (
    appointments_by_ids,
    customers_by_phone,
    customers_of_business,
)
from yuyue.bookings.services import appointment_create, appointment_walk_in, customer_create
from yuyue.catalog.selectors import business_services
from yuyue.lib.errors import DomainError
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import business_staff
from yuyue.webkit.forms import error_text, refusal_text
from yuyue.webkit.pages import an_id, page, with_query

MAX_QUERY_LENGTH = 100
_CLOCK = re.compile(r"^\d{2}:\d{2}(:\d{2})?\Z")
FOUND_SHOWN = 20
# A chosen customer rides along signed, so nobody can book for an id they guessed.
_SALT = "yuyue.backoffice.customer"


def customer_token(desk: Desk, customer: User) -> str:
    return signing.dumps({"b": desk.business.id, "c": customer.id}, salt=_SALT)


def customer_from_token(desk: Desk, token: str | None) -> User | None:
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
    return User.objects.filter(id=customer_id, is_active=True).first()


def _find(desk: Desk, query: str) -> list[User]:
    """By phone (anyone with that number: a caller may never have booked here) or by name
    among the business's customers."""
    found: list[User] = []
    if sum(ch.isdigit() for ch in query) >= 7:
        try:
            found = list(customers_by_phone(phone=normalize_phone(query))[:FOUND_SHOWN])
        except ValidationError:
            found = []
    if not found:
        found = list(customers_of_business(business=desk.business, query=query)[:FOUND_SHOWN])
    return found


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
    context: dict[str, Any] = {
        "query": query,
        "found": [
            {"user": user, "token": customer_token(desk, user)} for user in _find(desk, query)
        ]
        if query and customer is None
        else [],
        "customer": customer,
        "token": customer_token(desk, customer) if customer else "",
        "services": services,
        "staff": staff,
        "values": {
            "service": data.get("service", ""),
            "staff": data.get("staff", ""),
            "date": data.get("date", today.isoformat()),
            "time": data.get("time", ""),
            "notes": data.get("notes", ""),
            "ask_payment": data.get("ask_payment") == "1",
        },
        "max_notes": MAX_NOTES_LENGTH,
        "errors": [],
    }
    if request.method == "GET":
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
        if data.get("walk_in") == "1":
            appointment = appointment_walk_in(
                service=service, customer=customer, staff=member, actor=desk.user, notes=notes
            )
        else:
            start = _local_start(desk, member, a_day(data.get("date")), data.get("time", ""))
            if start is None:
                context["errors"] = [_("Give a date and a time (HH:MM).")]
                return page(request, "backoffice/book.html", context, status=400, desk=desk)
            appointment = appointment_create(
                service=service,
                customer=customer,
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
        if member is not None and data.get("walk_in") != "1":
            context["why_url"] = with_query(
                reverse("backoffice:why", args=[desk.business.slug]),
                staff=member.id,
                service=service.id,
                date=data.get("date"),
                time=data.get("time"),
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


@require_POST
@desk_view()
def new_customer(request: HttpRequest, desk: Desk) -> HttpResponse:
    """Name and phone are enough; the person can claim the account by registering later."""
    back = reverse("backoffice:book", args=[desk.business.slug])
    form = NewCustomerForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return HttpResponseRedirect(back, status=303)
    try:
        customer = customer_create(
            business=desk.business,
            display_name=form.cleaned_data["name"][:200],
            phone=form.cleaned_data["phone"][:40],
            actor=desk.user,
        )
    except DomainError as error:
        messages.error(request, refusal_text(error))
        return HttpResponseRedirect(back, status=303)
    return HttpResponseRedirect(
        with_query(
            reverse("backoffice:book", args=[desk.business.slug]),
            customer=customer_token(desk, customer),
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
    if start is not None and member is not None and service is not None and day is not None:
        # What blocks the time first; "off the customers' grid" is the least of it for staff.
        reasons = sorted(
            explain_time(service=service, staff=member, start=start),
            key=lambda reason: reason.code == "off_grid",
        )
        ids = [busy.appointment_id for reason in reasons for busy in reason.busy]
        others = appointments_by_ids(business=desk.business, ids=[i for i in ids if i])
        context["lines"] = [
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
        context["book_url"] = with_query(
            reverse("backoffice:book", args=[desk.business.slug]),
            service=service.id,
            staff=member.id,
            date=day.isoformat(),
            time=request.GET.get("time", "")[:5],
        )
    return page(request, "backoffice/why.html", context, desk=desk)
