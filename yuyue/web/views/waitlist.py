"""The waitlist on the customer pages (docs/waitlist.md): join it on a full day, see and leave
my waitlist, and answer an offer (accept or decline, with the time it is held until)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment, Channel, Status
from yuyue.bookings.services import appointment_offer_accept, appointment_offer_release
from yuyue.catalog.selectors import business_or_404, require_open
from yuyue.lib.errors import DomainError
from yuyue.lib.localtime import local_day_time_label
from yuyue.scheduling.selectors import bookable_staff, request_zone
from yuyue.waitlist.selectors import my_entries, my_entry, my_offer
from yuyue.waitlist.services import waitlist_join, waitlist_leave
from yuyue.web.forms import WaitlistForm
from yuyue.web.lookups import bookable_service_or_404
from yuyue.webkit.forms import add_errors, refusal_text
from yuyue.webkit.pages import PUBLIC_ID, page


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@login_required
@require_http_methods(["GET", "POST"])
def join_page(request: HttpRequest, slug: str, service_id: int) -> HttpResponse:
    """Join the waitlist for a service; the day (`date`) and staff member (`staff`) of the
    booking page come filled in."""
    business = business_or_404(slug, user=request.user)
    service = bookable_service_or_404(business, service_id)
    staff = list(bookable_staff(service=service))
    choices = [(str(member.id), member.name) for member in staff]
    if request.method == "POST":
        form = WaitlistForm(request.POST, staff_choices=choices)
    else:
        today = timezone.now().astimezone(business.zone).date()
        day = request.GET.get("date", "")
        try:
            first = max(dt.date.fromisoformat(day), today) if day else today
        except ValueError:
            first = today
        chosen = request.GET.get("staff", "")
        form = WaitlistForm(
            staff_choices=choices,
            initial={
                "date_from": first,
                "date_to": first,
                "time_from": dt.time(9),
                "time_to": dt.time(18),
                "staff": chosen if chosen in dict(choices) else "",
            },
        )
    context = {
        "business": business,
        "service": service,
        "form": form,
        "back_url": reverse("web:book", args=[business.slug, service.id]),
    }
    if request.method == "GET" or not form.is_valid():
        return page(
            request,
            "web/waitlist_join.html",
            context,
            status=400 if form.is_bound else 200,
        )
    data = form.cleaned_data
    member = next((m for m in staff if m.id == data["staff"]), None)
    try:
        waitlist_join(
            service=service,
            actor=_user(request),
            staff=member,
            date_from=data["date_from"],
            date_to=data["date_to"],
            time_from=data["time_from"],
            time_to=data["time_to"],
            channel=Channel.WEB,
        )
    except DomainError as error:
        add_errors(form, error)
        return page(request, "web/waitlist_join.html", context, status=400)
    messages.success(
        request, _("You are on the waitlist. We will tell you as soon as a time frees up.")
    )
    return HttpResponseRedirect(reverse("web:waitlist"))


def _entry_row(entry) -> dict:
    zone = request_zone(business=entry.business, staff=entry.staff).key
    offer = entry.offer
    return {
        "entry": entry,
        "dates": (
            entry.date_from.isoformat()
            if entry.date_from == entry.date_to
            else f"{entry.date_from.isoformat()} – {entry.date_to.isoformat()}"
        ),
        "window": f"{entry.time_from:%H:%M} – {entry.time_to:%H:%M}",
        "offer_when": local_day_time_label(offer.start, zone) if offer is not None else "",
        "live": entry.state in (entry.State.WAITING, entry.State.OFFERED),
    }


@login_required
@require_GET
def my_waitlist(request: HttpRequest) -> HttpResponse:
    rows = [_entry_row(entry) for entry in my_entries(user=_user(request))[:50]]
    return page(request, "web/waitlist.html", {"rows": rows})


@login_required
@require_POST
def leave(request: HttpRequest, entry_id: str) -> HttpResponse:
    entry = my_entry(user=_user(request), public_id=entry_id) if PUBLIC_ID.match(entry_id) else None
    if entry is None:
        raise Http404
    waitlist_leave(entry=entry, actor=_user(request))
    messages.success(request, _("You have left the waitlist."))
    return HttpResponseRedirect(reverse("web:waitlist"))


def _offer_or_404(request: HttpRequest, offer_id: str) -> Appointment:
    offer = my_offer(user=_user(request), public_id=offer_id) if PUBLIC_ID.match(offer_id) else None
    if offer is None:
        raise Http404
    require_open(offer.business, user=request.user)
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def offer_page(request: HttpRequest, offer_id: str) -> HttpResponse:
    """The offer, with its countdown, to accept or decline; once answered, where it went."""
    offer = _offer_or_404(request, offer_id)
    refusal = ""
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                offer = appointment_offer_accept(appointment=offer, actor=_user(request))
                if offer.status == Status.AWAITING_PAYMENT:
                    return HttpResponseRedirect(reverse("web:pay", args=[offer.public_id]))
                messages.success(request, _("Booked. See you then!"))
                return HttpResponseRedirect(reverse("web:appointment", args=[offer.public_id]))
            if answer == "decline":
                appointment_offer_release(appointment=offer, actor=_user(request))
                messages.info(request, _("Declined. You stay on the waitlist for other times."))
                return HttpResponseRedirect(reverse("web:waitlist"))
            refusal = _("Choose accept or decline.")
        except DomainError as error:
            refusal = refusal_text(error)
    now = timezone.now()
    standing = (
        offer.status == Status.OFFERED
        and offer.offer_expires_at is not None
        and offer.offer_expires_at > now
    )
    context = {
        "offer": offer,
        "business": offer.business,
        "when": local_day_time_label(offer.start, offer.zone_name),
        "standing": standing,
        "expires": (
            local_day_time_label(offer.offer_expires_at, offer.zone_name)
            if offer.offer_expires_at is not None
            else ""
        ),
        "seconds_left": (
            int((offer.offer_expires_at - now).total_seconds())
            if standing and offer.offer_expires_at
            else 0
        ),
        "expires_iso": offer.offer_expires_at.isoformat() if offer.offer_expires_at else "",
        "refusal": refusal,
    }
    return page(request, "web/offer.html", context, status=409 if refusal else 200)
