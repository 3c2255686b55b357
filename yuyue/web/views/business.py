"""The business page: what it offers, where, and when it is open."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuyue.catalog.models import Business
from yuyue.catalog.selectors import (
    business_by_slug,
    business_categories,
    business_locations,
    business_services,
    services_by_category,
)
from yuyue.lib.localtime import WEEKDAYS
from yuyue.scheduling.selectors import location_opening_hours
from yuyue.webkit.pages import default_business, page, problem


def _business_page(request: HttpRequest, business: Business) -> HttpResponse:
    locations = [
        {
            "location": location,
            "hours": [
                {"weekday": WEEKDAYS[day.weekday], "intervals": day.intervals}
                for day in location_opening_hours(location=location)
            ],
        }
        for location in business_locations(business=business)
    ]
    services = list(business_services(business=business))
    context = {
        "business": business,
        "services": services,
        # Under their categories, in the owner's order; uncategorised ones last, unheaded.
        "groups": services_by_category(services, list(business_categories(business=business))),
        "locations": locations,
    }
    return page(request, "web/business.html", context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    business = default_business()
    if business is None:
        return problem(
            request,
            _("Nothing to book yet"),
            _("This site has no business to book with yet."),
            status=404,
        )
    return _business_page(request, business)


@require_GET
def business_page(request: HttpRequest, slug: str) -> HttpResponse:
    business = business_by_slug(slug)
    if business is None:
        raise Http404
    return _business_page(request, business)
