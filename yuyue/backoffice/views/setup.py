"""Setting up a new business: services started from an industry template (picked, edited,
then created through service_create, all or none)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.catalog.industries import INDUSTRIES, INDUSTRY_BY_KEY, Industry
from yuyue.catalog.models import MAX_DURATION_MINUTES
from yuyue.catalog.services import service_create
from yuyue.lib.errors import DomainError, InvalidInput
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import page, safe_next

MAX_PRICE = Decimal("99999999.99")


def _rows(industry: Industry, language: str, posted: dict | None) -> list[dict]:
    """The template's services as editable rows: as posted, else as the template has them."""
    rows = []
    for index, item in enumerate(industry.services):
        prefix = f"s{index}"
        if posted is None:
            row = {
                "pick": True,
                "name": item.name(language),
                "minutes": str(item.minutes),
                "price": f"{item.price:.0f}",
            }
        else:
            row = {
                "pick": posted.get(f"{prefix}-pick") == "on",
                "name": posted.get(f"{prefix}-name", "").strip(),
                "minutes": posted.get(f"{prefix}-minutes", "").strip(),
                "price": posted.get(f"{prefix}-price", "").strip(),
            }
        rows.append({**row, "prefix": prefix, "capacity": item.capacity, "errors": []})
    return rows


def _checked(row: dict) -> dict | None:
    """The service_create fields of a picked row, or None with the row's errors filled in."""
    errors = []
    if not row["name"] or "\x00" in row["name"] or len(row["name"]) > 120:
        errors.append(_("Give a name of up to 120 characters."))
    minutes = int(row["minutes"]) if row["minutes"].isascii() and row["minutes"].isdigit() else 0
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        errors.append(_("Give the duration in whole minutes, e.g. 60."))
    try:
        price = Decimal(row["price"].replace("¥", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        price = Decimal(-1)
    if not price.is_finite() or not Decimal(0) <= price <= MAX_PRICE:
        errors.append(_("Give a price of 0 or more, e.g. 88."))
    row["errors"] = errors
    if errors:
        return None
    return {
        "name": row["name"],
        "duration_minutes": minutes,
        "price": price.quantize(Decimal("0.01")),
        "capacity": row["capacity"],
    }


@require_http_methods(["GET", "POST"])
@desk_view(owner_only=True)
def template_services(request: HttpRequest, desk: Desk) -> HttpResponse:
    business = desk.business
    back = safe_next(request, reverse("backoffice:settings", args=[business.slug]))
    key = request.POST.get("industry") or request.GET.get("industry") or ""
    industry = INDUSTRY_BY_KEY.get(key)
    posted = request.POST if request.method == "POST" and industry is not None else None
    rows = _rows(industry, business.default_language, posted) if industry else []
    status, error = 200, ""
    if posted is not None:
        picked = [(row, _checked(row)) for row in rows if row["pick"]]
        if not picked:
            error, status = _("Tick at least one service."), 400
        elif any(fields is None for _row, fields in picked):
            error, status = _("Some rows need a correction."), 400
        else:
            try:
                with transaction.atomic():
                    for _row, fields in picked:
                        assert fields is not None
                        service_create(business=business, actor=desk.user, **fields)
            except DomainError as failure:
                error, status = refusal_text(failure), 400
                if isinstance(failure, InvalidInput):
                    error = _("A service could not be created: %(why)s") % {"why": error}
            else:
                messages.success(
                    request,
                    _("%(n)d services created. Customers can book them once staff work.")
                    % {"n": len(picked)},
                )
                return HttpResponseRedirect(back, status=303)
    context = {
        "industries": INDUSTRIES,
        "industry": industry,
        "rows": rows,
        "error": error,
        "next": back,
    }
    return page(request, "backoffice/setup_services.html", context, status, desk=desk)
