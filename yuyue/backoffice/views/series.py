"""Booking a recurring series for a customer (docs/booking.md#series): the rhythm asked for,
every occurrence checked with the alternatives of those not free, then the chosen ones
booked all or nothing."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.views.customers import record_of
from yuyue.bookings.models import MAX_SERIES_EVERY_WEEKS, MAX_SERIES_OCCURRENCES, Channel
from yuyue.bookings.series import Occurrence, series_check, series_starts
from yuyue.bookings.services import series_create
from yuyue.catalog.selectors import business_services
from yuyue.lib.errors import DomainError, InvalidInput
from yuyue.lib.localtime import local_day_time_label
from yuyue.scheduling.selectors import business_staff
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import an_id, page
from yuyue.webkit.params import chosen_start, start_value


def _number(raw: str | None, low: int, high: int) -> int | None:
    value = an_id(raw)
    return value if value is not None and low <= value <= high else None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@desk_view()
def series_book(request: HttpRequest, desk: Desk, customer_id: int) -> HttpResponse:
    customer = record_of(desk, customer_id)
    data = request.POST if request.method == "POST" else request.GET
    services = [s for s in business_services(business=desk.business) if s.allows_series]
    staff = list(business_staff(business=desk.business))
    service = next((s for s in services if s.id == an_id(data.get("service"))), None)
    member = next((m for m in staff if m.id == an_id(data.get("staff"))), None)
    zone = desk.zone_at(member)
    values = {
        "service": data.get("service", ""),
        "staff": data.get("staff", ""),
        "date": data.get("date", ""),
        "time": data.get("time", ""),
        "every_weeks": data.get("every_weeks", "1"),
        "count": data.get("count", ""),
        "until": data.get("until", ""),
    }
    occurrences: list[Occurrence] = []
    error = ""
    now = timezone.now()
    if request.method == "POST" and data.get("action") == "book" and service is not None:
        chosen = data.getlist("start")[:MAX_SERIES_OCCURRENCES]
        try:
            starts = [chosen_start(raw, zone) for raw in chosen]
            series = series_create(
                service=service,
                starts=starts,
                every_weeks=_number(values["every_weeks"], 1, MAX_SERIES_EVERY_WEEKS) or 1,
                client=customer,
                staff=member,
                channel=Channel.BACKOFFICE,
                actor=desk.user,
                now=now,
                staff_override=True,
            )
        except DomainError as refused:
            # A conflict (SeriesConflict) books nothing: the check below shows it again.
            error = refusal_text(refused)
        else:
            messages.success(
                request,
                _("%(n)d appointments booked in a series.") % {"n": series.appointments.count()},
            )
            return HttpResponseRedirect(
                reverse("backoffice:customer", args=[desk.business.slug, customer.id]), status=303
            )
    if service is not None and values["date"] and values["time"]:
        try:
            first = chosen_start(f"{values['date']}T{values['time']}", zone)
            plan = series_starts(
                first=first,
                zone=zone,
                every_weeks=_number(values["every_weeks"], 0, 1000) or 0,
                count=_number(values["count"], 0, 1000) if values["count"] else None,
                until=_date(values["until"]) if values["until"] else None,
            )
            occurrences = series_check(
                service=service,
                plan=plan,
                staff=member,
                location=None,
                now=now,
                staff_override=True,
            )
        except InvalidInput as invalid:
            error = error or refusal_text(invalid)
    rows = [
        {
            "label": local_day_time_label(occurrence.start, zone.key),
            "value": start_value(occurrence.start, zone),
            "free": occurrence.free,
            "staff": occurrence.staff,
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
        "customer": customer,
        "services": services,
        "staff": staff,
        "values": values,
        "rows": rows,
        "error": error,
        "max_every": MAX_SERIES_EVERY_WEEKS,
        "max_count": MAX_SERIES_OCCURRENCES,
    }
    return page(
        request, "backoffice/series.html", context, 400 if error and not rows else 200, desk=desk
    )
