"""Staff: anyone lists the active ones; owners manage them, their hours and days off."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from yuyue.api.auth import OPTIONAL, OPTIONAL_SECURITY, bearer, user_of
from yuyue.api.lookups import (
    is_member,
    location_field,
    require_member,
    services_field,
    staff_or_404,
)
from yuyue.api.presenters import override_out, staff_out
from yuyue.api.routers.invitations import invitation_out
from yuyue.api.schemas.catalog import (
    HoursOut,
    OverrideOut,
    OverridePage,
    StaffOut,
    StaffPage,
    StaffQuery,
)
from yuyue.api.schemas.common import Id, LocalDate, PageIn, Slug, errors, page_of
from yuyue.api.schemas.manage import HoursIn, InvitationOut, OverrideIn, StaffIn, StaffPatch
from yuyue.catalog.models import Business, Membership
from yuyue.catalog.selectors import business_or_404, require_owner
from yuyue.catalog.services import invitation_create
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import business_staff, staff_overrides, staff_weekly_hours
from yuyue.scheduling.services import (
    staff_account_create,
    staff_hours_set,
    staff_member_create,
    staff_member_update,
    staff_override_delete,
    staff_override_set,
)

router = Router(tags=["staff"])

_WRITE_ERRORS = errors(400, 401, 403, 404, 422)


@router.get(
    "/businesses/{slug}/staff",
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: StaffPage, **errors(401, 404, 422)},
    summary="The staff of a business, optionally only those who offer a service",
)
def staff_list(
    request: HttpRequest, slug: Slug, query: Query[StaffQuery], page: Query[PageIn]
) -> dict:
    """The business's staff and owners, with a token, also see inactive staff and the
    account linked to each."""
    business = business_or_404(slug)
    member = is_member(user_of(request), business)
    staff = business_staff(business=business, service_id=query.service_id, include_inactive=member)
    return page_of(staff, page, lambda row: staff_out(row, for_staff=member))


def _owned_staff(request: HttpRequest, slug: str, staff_id: int) -> StaffMember:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    return staff_or_404(business, staff_id)


def _resolve(business: Business, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in the body become the rows they name, each checked to belong to the business."""
    if "service_ids" in data:
        data["services"] = services_field(business, data.pop("service_ids"))
    if "location_id" in data:
        location_id = data.pop("location_id")
        data["location"] = None if location_id is None else location_field(business, location_id)
    return data


@router.post(
    "/businesses/{slug}/staff",
    auth=bearer,
    response={201: StaffOut, **_WRITE_ERRORS},
    summary="Add a staff member (a person, a room or a machine)",
)
def staff_new(request: HttpRequest, slug: Slug, payload: StaffIn) -> Status:
    """With `new_account`, a brand-new account is made for the person, with the staff role."""
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    data = _resolve(business, payload.model_dump())
    account = data.pop("new_account")
    with transaction.atomic():
        staff = staff_member_create(actor=request.auth, business=business, **data)
        if account is not None:
            staff_account_create(staff=staff, actor=request.auth, **account)
    return Status(201, staff_out(staff, for_staff=True))


@router.get(
    "/businesses/{slug}/staff/{staff_id}",
    auth=bearer,
    response={200: StaffOut, **errors(401, 403, 404, 422)},
    summary="One staff member (staff and owners)",
)
def staff_detail(request: HttpRequest, slug: Slug, staff_id: Id) -> dict:
    business = business_or_404(slug)
    require_member(request.auth, business)
    return staff_out(staff_or_404(business, staff_id), for_staff=True)


@router.patch(
    "/businesses/{slug}/staff/{staff_id}",
    auth=bearer,
    response={200: StaffOut, **_WRITE_ERRORS},
    summary="Change a staff member",
)
def staff_change(request: HttpRequest, slug: Slug, staff_id: Id, payload: StaffPatch) -> dict:
    staff = _owned_staff(request, slug, staff_id)
    data = _resolve(staff.business, payload.model_dump(exclude_unset=True))
    staff_member_update(actor=request.auth, staff=staff, **data)
    return staff_out(staff, for_staff=True)


@router.delete(
    "/businesses/{slug}/staff/{staff_id}",
    auth=bearer,
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Retire a staff member (inactive; booked appointments stay)",
)
def staff_retire(request: HttpRequest, slug: Slug, staff_id: Id) -> Status:
    staff_member_update(
        actor=request.auth, staff=_owned_staff(request, slug, staff_id), active=False
    )
    return Status(204, None)


@router.post(
    "/businesses/{slug}/staff/{staff_id}/members",
    auth=bearer,
    response={201: InvitationOut, **_WRITE_ERRORS},
    summary="Invite someone to become this staff member's account (staff role)",
)
def staff_member_invite(request: HttpRequest, slug: Slug, staff_id: Id) -> Status:
    """Nobody is looked up: send the returned `url` to the person, who opens it, logs in (or
    registers) and accepts. Their account then becomes this staff member's."""
    staff = _owned_staff(request, slug, staff_id)
    issued = invitation_create(
        business=staff.business, actor=request.auth, role=Membership.Role.STAFF, staff=staff
    )
    return Status(201, invitation_out(issued.invitation, token=issued.token))


@router.get(
    "/businesses/{slug}/staff/{staff_id}/hours",
    auth=bearer,
    response={200: HoursOut, **errors(401, 403, 404, 422)},
    summary="Weekly hours",
)
def hours_detail(request: HttpRequest, slug: Slug, staff_id: Id) -> dict:
    business = business_or_404(slug)
    require_member(request.auth, business)
    return staff_weekly_hours(staff=staff_or_404(business, staff_id))


@router.put(
    "/businesses/{slug}/staff/{staff_id}/hours",
    auth=bearer,
    response={200: HoursOut, **_WRITE_ERRORS},
    summary="Replace the weekly hours",
)
def hours_set(request: HttpRequest, slug: Slug, staff_id: Id, payload: HoursIn) -> dict:
    """Wall-clock times in the staff member's zone. Touching intervals are merged; overlapping
    ones are 422 naming the weekday, and then nothing is saved."""
    staff = _owned_staff(request, slug, staff_id)
    staff_hours_set(actor=request.auth, staff=staff, hours=payload.model_dump())
    return staff_weekly_hours(staff=staff)


@router.get(
    "/businesses/{slug}/staff/{staff_id}/overrides",
    auth=bearer,
    response={200: OverridePage, **errors(401, 403, 404, 422)},
    summary="Days off and special hours",
)
def override_list(
    request: HttpRequest,
    slug: Slug,
    staff_id: Id,
    page: Query[PageIn],
    date_from: LocalDate | None = None,
    date_to: LocalDate | None = None,
) -> dict:
    business = business_or_404(slug)
    require_member(request.auth, business)
    overrides = staff_overrides(
        staff=staff_or_404(business, staff_id), date_from=date_from, date_to=date_to
    )
    return page_of(overrides, page, override_out)


@router.post(
    "/businesses/{slug}/staff/{staff_id}/overrides",
    auth=bearer,
    response={201: OverrideOut, **_WRITE_ERRORS},
    summary="Close a day, or give it special hours (replaces that day's override)",
)
def override_set(request: HttpRequest, slug: Slug, staff_id: Id, payload: OverrideIn) -> Status:
    staff = _owned_staff(request, slug, staff_id)
    override = staff_override_set(
        actor=request.auth,
        staff=staff,
        date=payload.date,
        intervals=payload.intervals,
        closed=payload.closed,
        note=payload.note,
    )
    return Status(201, override_out(override))


@router.delete(
    "/businesses/{slug}/staff/{staff_id}/overrides/{date}",
    auth=bearer,
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Back to the weekly hours on that day",
)
def override_remove(request: HttpRequest, slug: Slug, staff_id: Id, date: LocalDate) -> Status:
    staff_override_delete(
        actor=request.auth, staff=_owned_staff(request, slug, staff_id), date=date
    )
    return Status(204, None)
