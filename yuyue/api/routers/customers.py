"""A business's customer records: its owners and staff list, read and change them."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from yuyue.api.auth import bearer
from yuyue.api.lookups import require_member
from yuyue.api.schemas.common import Id, PageIn, Slug, errors, page_of
from yuyue.api.schemas.customers import (
    CustomerQuery,
    CustomerRecordOut,
    CustomerRecordPage,
    CustomerRecordPatch,
)
from yuyue.bookings.selectors import customer_record, customers_of_business
from yuyue.catalog.selectors import business_or_404
from yuyue.customers.models import Customer
from yuyue.customers.selectors import customer_of_business
from yuyue.customers.services import customer_update

router = Router(tags=["customers"])


def record_out(customer: Customer, *, visits: int, no_shows: int) -> dict[str, Any]:
    return {
        "id": customer.id,
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "notes": customer.notes,
        "tags": list(customer.tags),
        "account_id": customer.user_id,
        "visits": visits,
        "no_shows": no_shows,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }


def _one(customer: Customer) -> dict[str, Any]:
    counts = customer_record(customer=customer)
    return record_out(customer, visits=counts.visits, no_shows=counts.no_shows)


def _record_or_404(request: HttpRequest, slug: str, customer_id: int) -> Customer:
    business = business_or_404(slug)
    require_member(request.auth, business)
    customer = customer_of_business(business=business, customer_id=customer_id)
    if customer is None:
        raise Http404
    return customer


@router.get(
    "/businesses/{slug}/customers",
    auth=bearer,
    response={200: CustomerRecordPage, **errors(401, 403, 404, 422)},
    summary="The business's customer records (staff and owners)",
)
def customer_list(
    request: HttpRequest, slug: Slug, query: Query[CustomerQuery], page: Query[PageIn]
) -> dict:
    """Only this business's own records, found by `q`; never anyone else's customers."""
    business = business_or_404(slug)
    require_member(request.auth, business)
    rows = customers_of_business(business=business, query=query.q.replace("\x00", ""))
    return page_of(
        rows, page, lambda row: record_out(row, visits=row.visits, no_shows=row.no_shows)
    )


@router.get(
    "/businesses/{slug}/customers/{customer_id}",
    auth=bearer,
    response={200: CustomerRecordOut, **errors(401, 403, 404, 422)},
    summary="One customer record (staff and owners)",
)
def customer_detail(request: HttpRequest, slug: Slug, customer_id: Id) -> dict:
    return _one(_record_or_404(request, slug, customer_id))


@router.patch(
    "/businesses/{slug}/customers/{customer_id}",
    auth=bearer,
    response={200: CustomerRecordOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Change a customer record (staff and owners)",
)
def customer_change(
    request: HttpRequest, slug: Slug, customer_id: Id, payload: CustomerRecordPatch
) -> dict:
    """A phone another record of the business has is 409 `duplicate`."""
    customer = _record_or_404(request, slug, customer_id)
    changed = customer_update(
        actor=request.auth, customer=customer, **payload.model_dump(exclude_unset=True)
    )
    return _one(changed)
