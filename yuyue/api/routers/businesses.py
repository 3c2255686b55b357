"""Businesses: anyone reads one; owners create and change them and their locations."""

from django.http import HttpRequest
from ninja import Router, Status

from yuyue.api.auth import bearer
from yuyue.api.lookups import location_or_404
from yuyue.api.presenters import business_out, location_out
from yuyue.api.schemas.catalog import BusinessOut, LocationOut
from yuyue.api.schemas.common import Id, Slug, errors
from yuyue.api.schemas.manage import BusinessIn, BusinessPatch, LocationIn, LocationPatch
from yuyue.catalog.selectors import business_locations, business_or_404, require_owner
from yuyue.catalog.services import (
    business_sign_up,
    business_update,
    location_create,
    location_update,
)

router = Router(tags=["businesses"])


@router.get(
    "/businesses/{slug}",
    response={200: BusinessOut, **errors(404, 422)},
    summary="A business and its locations",
)
def business_detail(request: HttpRequest, slug: Slug) -> dict:
    business = business_or_404(slug)
    return business_out(business, business_locations(business=business))


@router.post(
    "/businesses",
    auth=bearer,
    response={201: BusinessOut, **errors(400, 401, 403, 409, 422)},
    summary="Create a business; the caller becomes its owner",
)
def business_new(request: HttpRequest, payload: BusinessIn) -> Status:
    """A taken slug is 409 `duplicate`. Sign-up closed, or by invitation without a usable
    `invite`, is 403 `signup_closed`."""
    signed_up = business_sign_up(actor=request.auth, **payload.model_dump())
    return Status(201, business_out(signed_up.business, []))


@router.patch(
    "/businesses/{slug}",
    auth=bearer,
    response={200: BusinessOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a business",
)
def business_change(request: HttpRequest, slug: Slug, payload: BusinessPatch) -> dict:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    business_update(actor=request.auth, business=business, **payload.changes())
    return business_out(business, business_locations(business=business))


@router.post(
    "/businesses/{slug}/locations",
    auth=bearer,
    response={201: LocationOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a location",
)
def location_new(request: HttpRequest, slug: Slug, payload: LocationIn) -> Status:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    location = location_create(actor=request.auth, business=business, **payload.model_dump())
    return Status(201, location_out(location))


@router.patch(
    "/businesses/{slug}/locations/{location_id}",
    auth=bearer,
    response={200: LocationOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a location",
)
def location_change(
    request: HttpRequest, slug: Slug, location_id: Id, payload: LocationPatch
) -> dict:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    location = location_or_404(business, location_id)
    location_update(actor=request.auth, location=location, **payload.model_dump(exclude_unset=True))
    return location_out(location)
