"""Turn what a request names (a slug, an id) into rows, with the answer the API promises.

Path parameters that name nothing are 404. Ids inside a body or query that name nothing at
this business are a validation error on that field (422). Rights are checked on the business
before any row inside it is looked up, so a refusal never reveals whether that row exists.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.bookings.models import Appointment
from yuyue.bookings.selectors import appointment_for_viewer
from yuyue.catalog.models import Business, Location, Service
from yuyue.catalog.selectors import business_role, require_open
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.scheduling.models import StaffMember


def appointment_or_404(user: User, public_id: str) -> Appointment:
    appointment = appointment_for_viewer(user=user, public_id=public_id)
    if appointment is None:
        raise Http404
    require_open(appointment.business)
    return appointment


def require_member(user: User | None, business: Business) -> str:
    """The user's role at the business; 403 for everyone else (the business is public)."""
    role = business_role(user=user, business_id=business.id)
    if role is None:
        raise NotAllowed()
    return role


def is_member(user: User | None, business: Business) -> bool:
    return business_role(user=user, business_id=business.id) is not None


# Rows inside a business, named in a path (404) ---------------------------------------------------


def service_or_404(business: Business, service_id: int) -> Service:
    found = (
        Service.objects.select_related("business").filter(business=business, id=service_id).first()
    )
    if found is None:
        raise Http404
    return found


def staff_or_404(business: Business, staff_id: int) -> StaffMember:
    found = (
        StaffMember.objects.select_related("business", "location", "user")
        .filter(business=business, id=staff_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def location_or_404(business: Business, location_id: int) -> Location:
    found = (
        Location.objects.select_related("business")
        .filter(business=business, id=location_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


# Rows inside a business, named in a body or query (422 on that field) ---------------------------


def service_field(business: Business, service_id: int, field: str = "service_id") -> Service:
    try:
        return service_or_404(business, service_id)
    except Http404:
        raise InvalidInput({field: [_("No such service at this business.")]}) from None


def staff_field(business: Business, staff_id: int, field: str = "staff_id") -> StaffMember:
    try:
        return staff_or_404(business, staff_id)
    except Http404:
        raise InvalidInput({field: [_("No such staff member at this business.")]}) from None


def location_field(business: Business, location_id: int, field: str = "location_id") -> Location:
    try:
        return location_or_404(business, location_id)
    except Http404:
        raise InvalidInput({field: [_("No such location at this business.")]}) from None


def services_field(business: Business, service_ids: list[int]) -> list[Service]:
    services = list(Service.objects.filter(business=business, id__in=set(service_ids)))
    if len(services) != len(set(service_ids)):
        raise InvalidInput({"service_ids": [_("No such service at this business.")]})
    return services
