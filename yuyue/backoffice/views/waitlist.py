"""The business's waitlist in the back office (docs/waitlist.md): who waits, for which day and
service, first come first, and the offers in flight with the time they are held until."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.catalog.selectors import business_services
from yuyue.lib.localtime import local_day_time_label
from yuyue.waitlist.models import WaitlistEntry
from yuyue.waitlist.selectors import business_waitlist
from yuyue.webkit.pages import an_id, page
from yuyue.webkit.params import parse_day

LIMIT = 200


@require_GET
@desk_view()
def waitlist(request: HttpRequest, desk: Desk) -> HttpResponse:
    day = parse_day(request.GET.get("date"))
    services = list(business_services(business=desk.business))
    service_id = an_id(request.GET.get("service"))
    if service_id not in {service.id for service in services}:
        service_id = None
    entries = business_waitlist(
        business=desk.business, actor=desk.user, day=day, service_id=service_id
    )[:LIMIT]
    zone = desk.zone.key
    now = timezone.now()
    rows: list[dict] = []
    offers = 0
    for place, entry in enumerate(entries, start=1):
        offer = entry.offer
        offers += entry.state == WaitlistEntry.State.OFFERED
        rows.append(
            {
                "place": place,
                "entry": entry,
                "joined": local_day_time_label(entry.created_at, zone),
                "offer_when": local_day_time_label(offer.start, zone) if offer else "",
                "offer_until": (
                    local_day_time_label(offer.offer_expires_at, zone)
                    if offer is not None and offer.offer_expires_at is not None
                    else ""
                ),
                "minutes_left": (
                    max(0, int((offer.offer_expires_at - now).total_seconds() // 60))
                    if offer is not None and offer.offer_expires_at is not None
                    else None
                ),
            }
        )
    context = {
        "rows": rows,
        "day": day,
        "services": services,
        "service_id": service_id,
        "offers": offers,
    }
    return page(request, "backoffice/waitlist.html", context, desk=desk)
