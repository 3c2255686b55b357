"""Rows a customer page names in its path, or a 404 that reveals nothing."""

from django.http import Http404, HttpRequest

from yuyue.bookings.models import Appointment
from yuyue.bookings.selectors import appointment_for_viewer
from yuyue.catalog.models import Business, Service
from yuyue.catalog.selectors import business_services, require_open
from yuyue.webkit.pages import MAX_ID, PUBLIC_ID


def bookable_service_or_404(business: Business, service_id: int) -> Service:
    """An active service of the business: inactive ones cannot be booked any more. (The API's
    `service_or_404` finds any service of the business, for its owners to edit.)"""
    service = None
    if 0 < service_id <= MAX_ID:
        service = business_services(business=business).filter(id=service_id).first()
    if service is None:
        raise Http404
    return service


def appointment_or_404(request: HttpRequest, public_id: str) -> Appointment:
    """The appointment if the logged-in user is its customer or staff of its business."""
    appointment = None
    if PUBLIC_ID.match(public_id):
        appointment = appointment_for_viewer(user=request.user, public_id=public_id)
    if appointment is None:
        raise Http404
    require_open(appointment.business, user=request.user)
    return appointment


def shop_phone(appointment: Appointment) -> str:
    """The number to call about an appointment: its shop's, else the business's."""
    location_phone = appointment.location.phone if appointment.location is not None else ""
    return location_phone or appointment.business.phone
