"""The waitlist (候补): join, list mine, leave; accept or decline an offer; the business's
list for its staff and owners (docs/waitlist.md)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from yuyue.api.auth import bearer
from yuyue.api.lookups import require_member, service_field, staff_field
from yuyue.api.presenters import appointment_out
from yuyue.api.schemas.appointments import AppointmentOut
from yuyue.api.schemas.common import AppointmentId, PageIn, Slug, errors, page_of
from yuyue.api.schemas.waitlist import (
    BusinessWaitlistQuery,
    WaitlistEntryOut,
    WaitlistJoinIn,
    WaitlistPage,
)
from yuyue.bookings.models import Appointment
from yuyue.bookings.services import appointment_offer_accept, appointment_offer_release
from yuyue.catalog.selectors import business_or_404, require_open
from yuyue.scheduling.selectors import request_zone
from yuyue.waitlist.models import WaitlistEntry
from yuyue.waitlist.selectors import business_waitlist, my_entries, my_entry, my_offer
from yuyue.waitlist.services import waitlist_join, waitlist_leave

router = Router(tags=["waitlist"], auth=bearer)


def entry_out(entry: WaitlistEntry, *, for_staff: bool = False) -> dict[str, Any]:
    zone = request_zone(business=entry.business, staff=entry.staff)
    offer = entry.offer
    return {
        "id": entry.public_id,
        "business": {"slug": entry.business.slug, "name": entry.business.name},
        "service": {"id": entry.service.id, "name": entry.service.name},
        "staff": None if entry.staff is None else {"id": entry.staff.id, "name": entry.staff.name},
        "date_from": entry.date_from,
        "date_to": entry.date_to,
        "time_from": entry.time_from.strftime("%H:%M"),
        "time_to": entry.time_to.strftime("%H:%M"),
        "channel": entry.channel,
        "state": entry.state,
        "state_label": str(WaitlistEntry.State(entry.state).label),
        "offer": (
            None
            if offer is None
            else {
                "id": offer.public_id,
                "status": offer.status,
                "start": offer.start.astimezone(zone),
                "end": offer.end.astimezone(zone),
                "staff": {"id": offer.staff.id, "name": offer.staff.name},
                "expires_at": (
                    None
                    if offer.offer_expires_at is None
                    else offer.offer_expires_at.astimezone(zone)
                ),
            }
        ),
        "offers_passed": entry.offers_passed,
        "customer": (
            {"id": entry.client.id, "name": entry.client.name, "phone": entry.client.phone}
            if for_staff
            else None
        ),
        "created_at": entry.created_at.astimezone(zone),
    }


@router.post(
    "/businesses/{slug}/waitlist",
    response={201: WaitlistEntryOut, **errors(400, 401, 404, 422)},
    summary="Join the waitlist",
)
def join(request: HttpRequest, slug: Slug, payload: WaitlistJoinIn) -> Status:
    """Wait for `service_id` (with `staff_id`, or anyone) on a date from `date_from` to
    `date_to`, starting at `time_from` or later and ending by `time_to`, local time. When such a
    time frees up, the first waiter it fits gets an offer held for the business's offer time
    (15 minutes by default), told through their channel: accept or decline it below."""
    business = business_or_404(slug)
    service = service_field(business, payload.service_id)
    staff = None if payload.staff_id is None else staff_field(business, payload.staff_id)
    entry = waitlist_join(
        service=service,
        actor=request.auth,
        staff=staff,
        date_from=payload.date_from,
        date_to=payload.date_to,
        time_from=payload.time_from,
        time_to=payload.time_to,
        channel=payload.channel,
    )
    return Status(201, entry_out(entry))


@router.get("/waitlist", response={200: WaitlistPage, **errors(401, 422)}, summary="My waitlist")
def mine(request: HttpRequest, page: Query[PageIn]) -> dict:
    """The caller's entries at every business, newest first, with the offers standing."""
    return page_of(my_entries(user=request.auth), page, entry_out)


@router.post(
    "/waitlist/{entry_id}/leave",
    response={200: WaitlistEntryOut, **errors(401, 404, 422)},
    summary="Leave the waitlist",
)
def leave(request: HttpRequest, entry_id: AppointmentId) -> dict:
    """At any time; an offer standing for the entry is declined. Leaving twice changes
    nothing."""
    entry = my_entry(user=request.auth, public_id=entry_id)
    if entry is None:
        raise Http404
    waitlist_leave(entry=entry, actor=request.auth)
    found = my_entry(user=request.auth, public_id=entry.public_id)
    assert found is not None
    return entry_out(found)


def _offer_or_404(request: HttpRequest, offer_id: str) -> Appointment:
    offer = my_offer(user=request.auth, public_id=offer_id)
    if offer is None:
        raise Http404
    require_open(offer.business)
    return offer


@router.post(
    "/waitlist/offers/{offer_id}/accept",
    response={200: AppointmentOut, **errors(401, 404, 409, 422)},
    summary="Accept a waitlist offer",
)
def accept(request: HttpRequest, offer_id: AppointmentId) -> dict:
    """Book the time offered: `confirmed` or `pending`, or `awaiting_payment` when the service
    is paid online (pay it as any booking). 409 `invalid_transition` when it was answered or has
    lapsed."""
    offer = _offer_or_404(request, offer_id)
    accepted = appointment_offer_accept(appointment=offer, actor=request.auth)
    return appointment_out(accepted, viewer=request.auth)


@router.post(
    "/waitlist/offers/{offer_id}/decline",
    response={200: AppointmentOut, **errors(401, 404, 409, 422)},
    summary="Decline a waitlist offer",
)
def decline(request: HttpRequest, offer_id: AppointmentId) -> dict:
    """Give the time to the next waiter; you stay on the waitlist for other times. 409
    `invalid_transition` when it was answered or has lapsed."""
    offer = _offer_or_404(request, offer_id)
    declined = appointment_offer_release(appointment=offer, actor=request.auth)
    assert declined is not None  # a customer's refusal raises
    return appointment_out(declined, viewer=request.auth)


@router.get(
    "/businesses/{slug}/waitlist",
    response={200: WaitlistPage, **errors(401, 403, 404, 422)},
    summary="A business's waitlist (its staff and owners)",
)
def business_list(
    request: HttpRequest, slug: Slug, query: Query[BusinessWaitlistQuery], page: Query[PageIn]
) -> dict:
    """Those waiting and those with an offer in flight, first come first; on a local `date`
    and for a `service_id` when given."""
    business = business_or_404(slug)
    require_member(request.auth, business)
    entries = business_waitlist(
        business=business, actor=request.auth, day=query.date, service_id=query.service_id
    )
    return page_of(entries, page, lambda row: entry_out(row, for_staff=True))
