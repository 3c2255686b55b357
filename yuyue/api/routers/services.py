"""Services: anyone lists the active ones; owners add, change and withdraw them."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from yuyue.api.auth import OPTIONAL, OPTIONAL_SECURITY, bearer, user_of
from yuyue.api.lookups import (
    is_member,
    require_member,
    service_or_404,
)
from yuyue.api.presenters import service_out
from yuyue.api.schemas.catalog import ServiceOut, ServicePage
from yuyue.api.schemas.common import Id, PageIn, Slug, errors, page_of
from yuyue.api.schemas.manage import ServiceIn, ServicePatch
from yuyue.catalog.selectors import business_or_404, business_services, require_owner
from yuyue.catalog.services import service_create, service_update

router = Router(tags=["services"])


@router.get(
    "/businesses/{slug}/services",
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: ServicePage, **errors(401, 404, 422)},
    summary="The services a business offers",
)
def service_list(request: HttpRequest, slug: Slug, page: Query[PageIn]) -> dict:
    """Everyone sees the active services; the business's staff and owners, with a token,
    see the inactive ones too."""
    business = business_or_404(slug)
    services = business_services(
        business=business, include_inactive=is_member(user_of(request), business)
    ).prefetch_related("title_prices__title")
    return page_of(services, page, service_out)


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    for name in ("price", "deposit_amount"):
        if data.get(name) is not None:
            data[name] = Decimal(data[name])
    return data


@router.post(
    "/businesses/{slug}/services",
    auth=bearer,
    response={201: ServiceOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a service",
)
def service_new(request: HttpRequest, slug: Slug, payload: ServiceIn) -> Status:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    service = service_create(actor=request.auth, business=business, **_fields(payload.model_dump()))
    return Status(201, service_out(service))


@router.get(
    "/businesses/{slug}/services/{service_id}",
    auth=bearer,
    response={200: ServiceOut, **errors(401, 403, 404, 422)},
    summary="One service, active or not (staff and owners)",
)
def service_detail(request: HttpRequest, slug: Slug, service_id: Id) -> dict:
    business = business_or_404(slug)
    require_member(request.auth, business)
    return service_out(service_or_404(business, service_id))


@router.patch(
    "/businesses/{slug}/services/{service_id}",
    auth=bearer,
    response={200: ServiceOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a service",
)
def service_change(request: HttpRequest, slug: Slug, service_id: Id, payload: ServicePatch) -> dict:
    """Existing appointments keep the price and buffers they were booked with."""
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    service = service_or_404(business, service_id)
    service_update(
        actor=request.auth, service=service, **_fields(payload.model_dump(exclude_unset=True))
    )
    return service_out(service)


@router.delete(
    "/businesses/{slug}/services/{service_id}",
    auth=bearer,
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Withdraw a service (it becomes inactive; booked appointments stay)",
)
def service_withdraw(request: HttpRequest, slug: Slug, service_id: Id) -> Status:
    business = business_or_404(slug)
    require_owner(user=request.auth, business_id=business.id)
    service_update(actor=request.auth, service=service_or_404(business, service_id), active=False)
    return Status(204, None)
