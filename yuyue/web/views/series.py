"""A customer books a recurring series (docs/booking.md#series), where the business allows
it: from the chosen first time, every N weeks for a count or until a date; every occurrence
checked with the alternatives of those not free, then the ticked ones booked all or nothing."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.bookings.models import MAX_SERIES_EVERY_WEEKS, MAX_SERIES_OCCURRENCES, Channel
from yuyue.bookings.series import Occurrence, series_check, series_starts
from yuyue.bookings.services import series_create
from yuyue.catalog.selectors import business_or_404
from yuyue.lib.errors import DomainError, InvalidInput
from yuyue.lib.localtime import local_day_time_label
from yuyue.lib.throttle import BookingPerUser, retry_after
from yuyue.scheduling.selectors import request_zone
from yuyue.web.lookups import bookable_service_or_404
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import an_id, page
from yuyue.webkit.params import choice_of, chosen_start, start_value

_booking_throttle = BookingPerUser()


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _number(raw: str | None) -> int | None:
    return an_id(raw) if raw else None


@require_http_methods(["GET", "POST"])
def series_page(request: HttpRequest, slug: str, service_id: int) -> HttpResponse:
    business = business_or_404(slug, user=request.user)
    service = bookable_service_or_404(business, service_id)
    if not (service.allows_series and business.customers_book_series):
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    data = request.POST if request.method == "POST" else request.GET
    choice = choice_of(service, data)
    zone = request_zone(business=business, location=choice.location, staff=choice.staff)
    try:
        first = chosen_start(data.get("start"), zone)
    except InvalidInput:
        return HttpResponseRedirect(reverse("web:book", args=[business.slug, service.id]))
    values = {
        "start": start_value(first, zone),
        "staff": data.get("staff", ""),
        "location": data.get("location", ""),
        "every_weeks": data.get("every_weeks", "1"),
        "count": data.get("count", ""),
        "until": data.get("until", ""),
    }
    error = ""
    status = 200
    now = timezone.now()
    if request.method == "POST":
        wait = retry_after([_booking_throttle], request)
        if wait is not None:
            error = _("Too many bookings at once; please wait %(n)d seconds.") % {"n": wait}
            status = 429
        else:
            try:
                series = series_create(
                    service=service,
                    starts=[
                        chosen_start(raw, zone)
                        for raw in data.getlist("pick")[:MAX_SERIES_OCCURRENCES]
                    ],
                    every_weeks=_number(values["every_weeks"]) or 0,
                    customer=request.user,
                    staff=choice.staff,
                    location=choice.location,
                    channel=Channel.WEB,
                    now=now,
                )
            except DomainError as refused:
                # A conflict books nothing: the check below shows where, with alternatives.
                error, status = refusal_text(refused), 409
            else:
                messages.success(
                    request,
                    _("%(n)d appointments booked in a series.")
                    % {"n": series.appointments.count()},
                )
                return HttpResponseRedirect(reverse("web:appointments"), status=303)
    occurrences: list[Occurrence] = []
    if values["count"] or values["until"]:
        try:
            plan = series_starts(
                first=first,
                zone=zone,
                every_weeks=_number(values["every_weeks"]) or 0,
                count=_number(values["count"]) if values["count"] else None,
                until=_date(values["until"]) if values["until"] else None,
            )
            occurrences = series_check(
                service=service,
                plan=plan,
                staff=choice.staff,
                location=choice.location,
                now=now,
            )
        except InvalidInput as invalid:
            error, status = error or refusal_text(invalid), 400 if status == 200 else status
    rows = [
        {
            "label": local_day_time_label(occurrence.start, zone.key),
            "value": start_value(occurrence.start, zone),
            "free": occurrence.free,
            "alternatives": [
                {
                    "label": local_day_time_label(slot.start, zone.key),
                    "value": start_value(slot.start, zone),
                }
                for slot in occurrence.alternatives
            ],
        }
        for occurrence in occurrences
    ]
    context = {
        "business": business,
        "service": service,
        "values": values,
        "when": local_day_time_label(first, zone.key),
        "rows": rows,
        "error": error,
        "max_every": MAX_SERIES_EVERY_WEEKS,
        "max_count": MAX_SERIES_OCCURRENCES,
    }
    return page(request, "web/series.html", context, status=status)
