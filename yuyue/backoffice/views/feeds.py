"""A staff member's private calendar feed: the address to subscribe to, issued and revoked
here, and the .ics it serves (no login: the secret in the address is the key)."""

import datetime as dt

import icalendar
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from yuyue.backoffice.access import desk_view
from yuyue.backoffice.desk import Desk
from yuyue.bookings.models import Status
from yuyue.bookings.selectors import appointments_overlapping
from yuyue.lib.errors import DomainError
from yuyue.notifications.ics import PRODID, appointment_uid
from yuyue.scheduling.selectors import business_staff, has_calendar_feed, staff_of_feed
from yuyue.scheduling.services import calendar_feed_issue, calendar_feed_revoke
from yuyue.webkit.forms import refusal_text
from yuyue.webkit.pages import page

PAST_DAYS, FUTURE_DAYS = 30, 180


@require_http_methods(["GET", "POST"])
@desk_view()
def feed_settings(request: HttpRequest, desk: Desk, staff_id: int) -> HttpResponse:
    member = next((m for m in business_staff(business=desk.business) if m.id == staff_id), None)
    if member is None:
        raise Http404
    context = {"member": member, "address": "", "error": ""}
    if request.method == "POST":
        try:
            if request.POST.get("do") == "revoke":
                calendar_feed_revoke(staff=member, actor=desk.user)
            else:
                key = calendar_feed_issue(staff=member, actor=desk.user)
                context["address"] = request.build_absolute_uri(
                    reverse("backoffice:feed", args=[key])
                )
        except DomainError as error:
            context["error"] = refusal_text(error)
            context["active"] = has_calendar_feed(staff=member)
            return page(request, "backoffice/feed.html", context, status=403, desk=desk)
    context["active"] = has_calendar_feed(staff=member)
    return page(request, "backoffice/feed.html", context, desk=desk)


@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    member = staff_of_feed(key=key)
    if member is None:
        raise Http404
    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{member.business.name} · {member.name}")
    for appointment in appointments_overlapping(
        business=member.business,
        start=now - dt.timedelta(days=PAST_DAYS),
        end=now + dt.timedelta(days=FUTURE_DAYS),
        staff_ids=[member.id],
    ):
        if appointment.status == Status.NO_SHOW:
            continue
        event = icalendar.Event()
        event.add("uid", appointment_uid(appointment))
        event.add("sequence", appointment.sequence)
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", appointment.start.astimezone(dt.UTC))
        event.add("dtend", appointment.end.astimezone(dt.UTC))
        event.add("summary", f"{appointment.client.name} · {appointment.service.name}")
        details = [appointment.get_status_display(), appointment.client.phone, appointment.notes]
        event.add("description", "\n".join(part for part in details if part))
        event.add("status", "TENTATIVE" if appointment.status == Status.PENDING else "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    # Customers' names, phones and notes: no cache anywhere may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    return response
