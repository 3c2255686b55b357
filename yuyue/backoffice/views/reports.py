"""The owner's dashboard for a period, and the period's appointments as CSV."""

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.dashboard import bars, compute, heat_cells, percent
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.pages import a_day
from yuyue.bookings.models import Channel, Status
from yuyue.bookings.selectors import appointment_rows
from yuyue.lib.localtime import WEEKDAYS, day_label
from yuyue.payments.selectors import ledger_net
from yuyue.scheduling.selectors import business_staff, staff_hours
from yuyue.webkit.pages import page, with_query
from yuyue.webkit.templatetags.webkit import money

MAX_PERIOD_DAYS = 92
DEFAULT_PERIOD_DAYS = 30


def period(
    request: HttpRequest, desk: Desk, *, this_week: bool = False
) -> tuple[dt.date, dt.date, str]:
    """The asked period, clamped to sense; a note when it had to be changed. By default the
    last 30 days to today, or (`this_week`) this week, Monday to Sunday, in the business's
    zone."""
    today = timezone.now().astimezone(desk.zone).date()
    monday = today - dt.timedelta(days=today.weekday())
    default_to = monday + dt.timedelta(days=6) if this_week else today
    date_to = a_day(request.GET.get("to")) or default_to
    date_from = a_day(request.GET.get("from")) or date_to - dt.timedelta(
        days=(7 if this_week else DEFAULT_PERIOD_DAYS) - 1
    )
    note = ""
    if date_from > date_to:
        date_from, date_to = date_to, date_from
        note = _("The dates were the wrong way round; they are swapped.")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        date_from = date_to - dt.timedelta(days=MAX_PERIOD_DAYS - 1)
        note = _("A period is at most %(n)d days; it is shortened.") % {"n": MAX_PERIOD_DAYS}
    return date_from, date_to, note


def window(desk: Desk, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = desk.zone
    return (
        dt.datetime.combine(date_from, dt.time(), tzinfo=zone),
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def figures_for(desk: Desk, date_from: dt.date, date_to: dt.date):
    start, end = window(desk, date_from, date_to)
    staff = list(business_staff(business=desk.business))
    weekly, overrides = staff_hours(
        staff_ids=[member.id for member in staff], date_from=date_from, date_to=date_to
    )
    return compute(
        rows=appointment_rows(business=desk.business, start=start, end=end),
        staff=staff,
        weekly=weekly,
        overrides=overrides,
        date_from=date_from,
        date_to=date_to,
        zone=desk.zone,
    )


@require_GET
@desk_view(owner_only=True)
def dashboard(request: HttpRequest, desk: Desk) -> HttpResponse:
    date_from, date_to, note = period(request, desk)
    figures = figures_for(desk, date_from, date_to)
    start, end = window(desk, date_from, date_to)
    ledger = ledger_net(business=desk.business, start=start, end=end)
    status_bars, status_height = bars(
        [(label, count, str(count), f"bar-{status}") for status, label, count in figures.by_status]
    )
    staff_bars, staff_height = bars(
        [
            (row["name"], float(row["utilization"] or 0), percent(row["utilization"]), "bar-util")
            for row in figures.per_staff
        ],
        full=1.0,
    )
    day_bars, day_height = bars(
        [
            (
                day_label(row["day"]),
                float(row["utilization"] or 0),
                percent(row["utilization"]),
                "bar-util",
            )
            for row in figures.per_day
        ],
        label_width=90,
        full=1.0,
    )
    cells, heat_width, heat_height = heat_cells(figures.heat, figures.heat_hours)
    currency = desk.business.currency
    path = reverse("backoffice:dashboard", args=[desk.business.slug])
    context = {
        "figures": figures,
        "note": note,
        "currency": currency,
        "revenue": money(ledger.net, currency),
        "received": money(ledger.received, currency),
        "refunded": money(ledger.refunded, currency),
        "completed_value": money(figures.completed_value, currency),
        "payments_url": with_query(
            reverse("backoffice:payments", args=[desk.business.slug]),
            **{"from": date_from.isoformat(), "to": date_to.isoformat()},
        ),
        "utilization": percent(figures.utilization),
        "no_show_rate": percent(figures.no_show_rate),
        "cancellation_rate": percent(figures.cancellation_rate),
        "status_bars": status_bars,
        "status_height": status_height,
        "staff_bars": staff_bars,
        "staff_height": staff_height,
        "staff_rows": [{**row, "text": percent(row["utilization"])} for row in figures.per_staff],
        "day_bars": day_bars,
        "day_height": day_height,
        "day_rows": [
            {**row, "label": day_label(row["day"]), "text": percent(row["utilization"])}
            for row in figures.per_day
        ],
        "cells": cells,
        "heat_width": heat_width,
        "heat_height": heat_height,
        "weekdays": [(i, str(name), 24 + i * 24 + 16) for i, name in enumerate(WEEKDAYS)],
        "heat_labels": [(48 + i * 24 + 12, hour) for i, hour in enumerate(figures.heat_hours)],
        "heat_rows": [
            (str(WEEKDAYS[d]), [figures.heat[d][h] for h in figures.heat_hours]) for d in range(7)
        ],
        "width": 640,
        "csv_url": with_query(
            reverse("backoffice:export", args=[desk.business.slug]),
            **{"from": date_from.isoformat(), "to": date_to.isoformat()},
        ),
        "path": path,
    }
    return page(request, "backoffice/dashboard.html", context, desk=desk)


def csv_cell(text: str) -> str:
    """Free text as a spreadsheet reads it: never as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@desk_view(owner_only=True)
def export(request: HttpRequest, desk: Desk) -> HttpResponse:
    """The period's appointments as CSV, UTF-8 with a byte-order mark so that Excel reads the
    Chinese text right."""
    date_from, date_to, _note = period(request, desk)
    start, end = window(desk, date_from, date_to)
    zone = desk.zone
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{desk.business.slug}-{date_from.isoformat()}-{date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Start"),
            _("End"),
            _("Status"),
            _("Service"),
            _("Staff"),
            _("Customer"),
            _("Phone"),
            _("Shop"),
            _("Price"),
            _("Currency"),
            _("Booked via"),
            _("Id"),
        ]
    )
    for row in appointment_rows(business=desk.business, start=start, end=end):
        writer.writerow(
            [
                row["start"].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                row["end"].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                Status(row["status"]).label,
                csv_cell(row["service__name"]),
                csv_cell(row["staff__name"]),
                csv_cell(row["client__name"]),
                row["client__phone"],
                csv_cell(row["location__name"] or ""),
                f"{row['price']:.2f}",
                row["currency"],
                Channel(row["channel"]).label,
                row["public_id"],
            ]
        )
    return response
