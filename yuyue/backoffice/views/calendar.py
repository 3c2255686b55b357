"""The landing page: the day calendar with pending confirmations on top; the week of one
staff member; the choice of business for people who work for several."""

import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.calendar import build_grid
from yuyue.backoffice.desk import Desk
from yuyue.backoffice.pages import a_day, id_or_404
from yuyue.backoffice.setup import setup_checklist
from yuyue.bookings.models import Status
from yuyue.bookings.selectors import pending_of_business
from yuyue.catalog.selectors import business_locations, memberships_of, signup_mode
from yuyue.lib.localtime import day_label, weekday_label
from yuyue.scheduling.selectors import business_staff
from yuyue.webkit.pages import an_id, page, with_query

MAX_PENDING_SHOWN = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the calendar of one's business; a choice when there are several."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    memberships = list(memberships_of(user=request.user))
    if len(memberships) == 1:
        return HttpResponseRedirect(reverse("backoffice:day", args=[memberships[0].business.slug]))
    if not memberships and request.user.is_superuser:
        # The platform operator, who works for no business: every business is on that page.
        return HttpResponseRedirect(reverse("backoffice:platform"))
    context = {
        "memberships": memberships,
        "business": None,
        "signup_open": signup_mode() != "closed",
    }
    return page(request, "backoffice/choose.html", context, status=200 if memberships else 403)


def _day_links(path: str, day: dt.date, today: dt.date, carry: dict) -> dict:
    return {
        "previous": with_query(path, **carry, date=(day - dt.timedelta(days=1)).isoformat()),
        "next": with_query(path, **carry, date=(day + dt.timedelta(days=1)).isoformat()),
        "today": with_query(path, **carry),
        "week_previous": with_query(path, **carry, date=(day - dt.timedelta(days=7)).isoformat()),
        "week_next": with_query(path, **carry, date=(day + dt.timedelta(days=7)).isoformat()),
        "is_today": day == today,
    }


def _staff_and_shops(request: HttpRequest, desk: Desk):
    staff = list(business_staff(business=desk.business))
    locations = list(business_locations(business=desk.business))
    location_id = an_id(request.GET.get("location"))
    location = next((shop for shop in locations if shop.id == location_id), None)
    if location is not None:
        staff = [member for member in staff if member.location_id == location.id]
    mine = frozenset(member.id for member in staff if member.user_id == desk.user.pk)
    return staff, locations, location, mine


@require_GET
@desk_view()
def day(request: HttpRequest, desk: Desk) -> HttpResponse:
    now = timezone.now()
    zone = desk.zone
    today = now.astimezone(zone).date()
    shown = a_day(request.GET.get("date")) or today
    staff, locations, location, mine = _staff_and_shops(request, desk)
    # Staff land on their own column; owners, and anyone who asks, see everyone.
    view = request.GET.get("view")
    if view not in ("mine", "all"):
        view = "mine" if mine and not desk.is_owner else "all"
    if view == "mine" and mine:
        staff = [member for member in staff if member.id in mine]
    grid = build_grid(business=desk.business, staff=staff, days=[shown], now=now, mine_ids=mine)
    path = reverse("backoffice:day", args=[desk.business.slug])
    carry = {"location": location.id if location else None, "view": view}
    mine_ids = list(mine) if view == "mine" and mine else None
    pending = list(
        pending_of_business(business=desk.business, now=now, staff_ids=mine_ids)[:MAX_PENDING_SHOWN]
    )
    context = {
        "grid": grid,
        "shown": shown,
        "shown_label": f"{weekday_label(shown)} {day_label(shown)}",
        "links": _day_links(path, shown, today, carry),
        "locations": [
            {
                "label": shop.name,
                "url": with_query(path, date=shown.isoformat(), view=view, location=shop.id),
                "selected": location is not None and shop.id == location.id,
            }
            for shop in locations
        ],
        "all_shops_url": with_query(path, date=shown.isoformat(), view=view),
        "location": location,
        "view": view,
        "has_mine": bool(mine),
        "mine_url": with_query(path, date=shown.isoformat(), view="mine"),
        "all_url": with_query(path, date=shown.isoformat(), view="all"),
        "pending": pending,
        "path": path,
        "Status": Status,
    }
    if desk.is_owner:
        checklist = setup_checklist(business=desk.business)
        context["checklist"] = None if checklist.done else checklist
    return page(request, "backoffice/day.html", context, desk=desk)


@require_GET
@desk_view()
def week(request: HttpRequest, desk: Desk, staff_id: int) -> HttpResponse:
    id_or_404(staff_id)
    now = timezone.now()
    today = now.astimezone(desk.zone).date()
    shown = a_day(request.GET.get("date")) or today
    monday = shown - dt.timedelta(days=shown.weekday())
    member = next((m for m in business_staff(business=desk.business) if m.id == staff_id), None)
    if member is None:
        raise Http404
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]
    grid = build_grid(
        business=desk.business,
        staff=[member],
        days=days,
        now=now,
        mine_ids=frozenset([member.id]) if member.user_id == desk.user.pk else frozenset(),
    )
    path = reverse("backoffice:week", args=[desk.business.slug, member.id])
    context = {
        "grid": grid,
        "member": member,
        "shown": shown,
        "shown_label": f"{day_label(days[0])} – {day_label(days[-1])}",
        "links": _day_links(path, shown, today, {}),
        "day_url": with_query(
            reverse("backoffice:day", args=[desk.business.slug]), date=shown.isoformat()
        ),
        "path": path,
    }
    return page(request, "backoffice/week.html", context, desk=desk)
