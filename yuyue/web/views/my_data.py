"""My data: a signed-in person downloads everything held about them (JSON), and their
appointments as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese right)."""

import csv
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yuyue.notifications.selectors import personal_data
from yuyue.webkit.pages import page

# A cell starting with one of these is a formula to a spreadsheet: shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@login_required
@require_GET
def my_data_page(request: HttpRequest) -> HttpResponse:
    data = personal_data(user=request.user, now=timezone.now())
    counts = {
        "appointments": len(data["appointments"]),
        "consents": len(data["consents"]),
        "messages": len(data["messages"]),
    }
    return page(request, "web/my_data.html", {"data": data, "counts": counts})


@login_required
@require_GET
@never_cache
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = personal_data(user=request.user, now=timezone.now())
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@login_required
@require_GET
@never_cache
def my_data_csv(request: HttpRequest) -> HttpResponse:
    data = personal_data(user=request.user, now=timezone.now())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-appointments.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    columns = [
        ("start", _("Start")),
        ("end", _("End")),
        ("time_zone", _("Time zone")),
        ("status", _("Status")),
        ("business", _("Business")),
        ("service", _("Service")),
        ("staff", _("Staff")),
        ("location", _("Shop")),
        ("address", _("Address")),
        ("price", _("Price")),
        ("currency", _("Currency")),
        ("notes", _("Notes")),
        ("booked_via", _("Booked via")),
        ("id", _("Appointment")),
    ]
    writer.writerow([label for _key, label in columns])
    for appointment in data["appointments"]:
        writer.writerow([_cell(appointment[key]) for key, _label in columns])
    return response
