"""The business page: what it offers, where, and when it is open."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from yuyue.cards.selectors import card_products_on_sale
from yuyue.catalog.errors import BusinessSuspended
from yuyue.catalog.models import Business
from yuyue.catalog.selectors import (
    business_by_slug,
    business_categories,
    business_locations,
    business_services,
    listed_businesses,
    require_open,
    services_by_category,
    signup_mode,
)
from yuyue.lib.localtime import WEEKDAYS
from yuyue.scheduling.selectors import location_opening_hours
from yuyue.webkit.pages import default_business, page

MAX_LISTED = 200


def _business_page(request: HttpRequest, business: Business, *, home: bool = False) -> HttpResponse:
    require_open(business, user=request.user)
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
        "signup_link": home and signup_mode() != "closed",
        # Member cards it sells online (docs/cards.md#bought-online-through-wechat-pay).
        "sells_cards": card_products_on_sale(business=business).exists(),
    }
    return page(request, "web/business.html", context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The default business (YUYUE_DEFAULT_BUSINESS) when there is one open, else the list."""
    business = default_business()
    if business is not None:
        try:
            return _business_page(request, business, home=True)
        except BusinessSuspended:
            pass  # the root lists the others instead
    context = {
        "business": None,
        "businesses": list(listed_businesses()[:MAX_LISTED]),
        "signup_link": signup_mode() != "closed",
    }
    return page(request, "web/home.html", context)


@require_GET
def business_page(request: HttpRequest, slug: str) -> HttpResponse:
    business = business_by_slug(slug)
    if business is None:
        raise Http404
    return _business_page(request, business)
