"""Booking: service → staff → day → time → confirm → done.

Each step is a plain link or form, so the flow works without JavaScript; the choices so far
ride in the query string, and the last step is a POST with an idempotency key from the page,
so a double tap or a resubmitted form books once.
"""

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.bookings.errors import IdempotencyKeyReused, SlotUnavailable
from yuyue.bookings.models import Channel
from yuyue.bookings.selectors import holding_appointment_at
from yuyue.bookings.services import appointment_create
from yuyue.cards.selectors import cards_usable_for
from yuyue.cards.services import card_booking_create
from yuyue.catalog.models import Business, Service
from yuyue.catalog.selectors import business_or_404, service_price
from yuyue.lib.errors import DomainError, InvalidInput
from yuyue.lib.localtime import local_day_time_label
from yuyue.lib.throttle import BookingPerUser, retry_after
from yuyue.scheduling.selectors import request_zone
from yuyue.web.forms import BookingForm, LoginForm, PhoneForm, RegisterForm
from yuyue.web.lookups import bookable_service_or_404
from yuyue.web.pages import no_time_chosen, times_context
from yuyue.web.slots import alternatives, is_free
from yuyue.webkit.forms import add_errors
from yuyue.webkit.pages import page, with_query
from yuyue.webkit.params import Choice, choice_of, chosen_start, staff_value, start_value
from yuyue.webkit.picker import build_picker, staff_options

_booking_throttle = BookingPerUser()


def location_options(choice: Choice, url: str) -> list[dict]:
    """Any shop, then each shop offering the service; nothing to choose with only one."""
    if len(choice.offered) < 2:
        return []
    options = [{"label": _("Any shop"), "url": url, "selected": choice.location is None}]
    for place in choice.offered:
        options.append(
            {
                "label": place.name,
                "url": with_query(url, location=place.id),
                "selected": choice.location is not None and choice.location.id == place.id,
            }
        )
    return options


@require_GET
def choose_time(request: HttpRequest, slug: str, service_id: int) -> HttpResponse:
    business = business_or_404(slug, user=request.user)
    service = bookable_service_or_404(business, service_id)
    choice = choice_of(service, request.GET)
    page_url = reverse("web:book", args=[business.slug, service.id])
    picker = build_picker(
        choice=choice,
        query=request.GET,
        page_url=page_url,
        confirm_url=reverse("web:book-confirm", args=[business.slug, service.id]),
        per_shop=True,
    )
    waitlist_url = reverse("web:waitlist-join", args=[business.slug, service.id])
    context = {
        # A full day (booked up, not closed) can be waited for (docs/waitlist.md).
        "waitlist_days": [
            {
                "label": f"{day.weekday} {day.label}",
                "url": with_query(
                    waitlist_url, date=day.date.isoformat(), staff=staff_value(choice.staff)
                ),
            }
            for day in picker.days
            if not day.free and not day.closed
        ],
        "business": business,
        "service": service,
        "location_options": location_options(choice, page_url),
        "staff_options": staff_options(choice, page_url, keep=request.GET),
        "picker": picker,
        "back_url": reverse("web:business", args=[business.slug]),
    }
    return page(request, "web/book.html", context)


def _booking_context(
    business: Business, service: Service, choice: Choice, start: dt.datetime
) -> dict:
    zone = request_zone(business=service.business, location=choice.location)
    value = start_value(start, zone)
    day = start.astimezone(zone).date().isoformat()
    times = times_context((start, zone.key))
    return {
        **times,
        "business": business,
        "service": service,
        "staff": choice.staff,
        # With someone chosen, their title's price; with anyone, the service's own (the booking
        # snapshots whoever takes it: service_price).
        "price": service.price
        if choice.staff is None
        else service_price(service=service, title_id=choice.staff.title_id),
        "staff_value": staff_value(choice.staff),
        "location_value": "" if choice.location is None else choice.location.id,
        "place": choice.place,
        "start_value": value,
        "when": local_day_time_label(start, zone.key, with_zone=times["with_zone"]),
        "change_url": with_query(
            reverse("web:book", args=[business.slug, service.id]),
            **choice.carry,
            start=day,
            date=day,
        ),
        # A weekly series from this time, where the service and the business allow it.
        "series_url": with_query(
            reverse("web:book-series", args=[business.slug, service.id]),
            **choice.carry,
            start=value,
        )
        if service.allows_series and business.customers_book_series and not choice.fixed
        else "",
        "confirm_url": with_query(
            reverse("web:book-confirm", args=[business.slug, service.id]),
            **choice.carry,
            start=value,
        ),
    }


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str, service_id: int) -> HttpResponse:
    business = business_or_404(slug, user=request.user)
    service = bookable_service_or_404(business, service_id)
    data = request.POST if request.method == "POST" else request.GET
    choice = choice_of(service, data)
    staff, location = choice.staff, choice.location
    try:
        start = chosen_start(
            data.get("start"),
            request_zone(business=business, location=choice.location, staff=choice.staff),
        )
    except InvalidInput:
        return no_time_chosen(
            request, back_url=reverse("web:book", args=[business.slug, service.id])
        )
    context = _booking_context(business, service, choice, start)
    if request.method == "GET":
        if not request.user.is_authenticated:
            context.update(
                phone_form=PhoneForm(auto_id="phone_%s"),
                login_form=LoginForm(auto_id="login_%s"),
                register_form=RegisterForm(auto_id="register_%s"),
            )
            return page(request, "web/confirm.html", context)
        mine = holding_appointment_at(customer=request.user, service_id=service.id, start=start)
        if mine is not None:
            # Back to this page after booking: the time is taken, by this very customer.
            messages.info(request, _("You have booked this time already."))
            return HttpResponseRedirect(reverse("web:appointment", args=[mine.public_id]))
        context.update(
            form=BookingForm(),
            key=secrets.token_urlsafe(16),
            cards=list(cards_usable_for(user=request.user, service=service)),
        )
        if not is_free(service=service, staff=staff, start=start, location=location):
            context["passed"] = start <= timezone.now()
            context["taken"] = True
            context["alternatives"] = alternatives(
                service=service, staff=staff, start=start, location=location
            )
            return page(request, "web/confirm.html", context, status=409)
        return page(request, "web/confirm.html", context)

    if not request.user.is_authenticated:
        return redirect_to_login(context["confirm_url"])
    form = BookingForm(request.POST)
    key = request.POST.get("key", "")[:64] or secrets.token_urlsafe(16)
    # Paying with a member card (docs/cards.md#booking-with-a-card): one of the caller's own.
    cards = list(cards_usable_for(user=request.user, service=service))
    card_id = request.POST.get("card", "")
    card = next((c for c in cards if c.public_id == card_id), None)
    context.update(form=form, key=key, cards=cards, chosen_card=card_id)
    if not form.is_valid():
        return page(request, "web/confirm.html", context, status=400)
    if card_id and card is None:
        form.add_error(None, _("Choose one of your cards, or pay at the shop."))
        return page(request, "web/confirm.html", context, status=400)
    wait = retry_after([_booking_throttle], request)
    if wait is not None:
        form.add_error(
            None, _("Too many bookings at once; please wait %(n)d seconds.") % {"n": wait}
        )
        return page(request, "web/confirm.html", context, status=429)
    try:
        if card is not None:
            appointment = card_booking_create(
                card=card,
                actor=request.user,
                service=service,
                start=start,
                staff=staff,
                location=location,
                notes=form.cleaned_data["notes"],
                channel=Channel.WEB,
                idempotency_key=f"web:{key}",
            )
        else:
            appointment = appointment_create(
                service=service,
                customer=request.user,
                start=start,
                staff=staff,
                location=location,
                notes=form.cleaned_data["notes"],
                channel=Channel.WEB,
                idempotency_key=f"web:{key}",
            )
    except SlotUnavailable as error:
        context["taken"] = True
        context["alternatives"] = alternatives(
            service=service, staff=staff, start=start, found=error.alternatives, location=location
        )
        return page(request, "web/confirm.html", context, status=409)
    except IdempotencyKeyReused:
        # The page was already used to book another time (the back button): book nothing.
        form.add_error(
            None,
            _("This page was already used for a booking. See My appointments, or start again."),
        )
        return page(request, "web/confirm.html", context, status=409)
    except DomainError as error:
        add_errors(form, error)
        return page(request, "web/confirm.html", context, status=400)
    return HttpResponseRedirect(reverse("web:done", args=[appointment.public_id]))
