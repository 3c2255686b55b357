"""Rows a customer page names in its path, or a 404 that reveals nothing."""

import re

from django.http import Http404, HttpRequest

from yuyue.bookings.models import Appointment
from yuyue.bookings.selectors import appointment_for_viewer
from yuyue.catalog.models import Business, Service
from yuyue.catalog.selectors import business_services

# Ids beyond a 64-bit integer name nothing, and some databases cannot even compare them.
_MAX_ID = 2**63 - 1
# Public ids are URL-safe base64; anything else (a NUL, say, which PostgreSQL cannot even
# compare) names nothing.
_PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def service_or_404(business: Business, service_id: int) -> Service:
    """An active service of the business: inactive ones cannot be booked any more."""
    service = None
    if 0 < service_id <= _MAX_ID:
        service = business_services(business=business).filter(id=service_id).first()
    if service is None:
        raise Http404
    return service


def appointment_or_404(request: HttpRequest, public_id: str) -> Appointment:
    """The appointment if the logged-in user is its customer or staff of its business."""
    appointment = None
    if _PUBLIC_ID.match(public_id):
        appointment = appointment_for_viewer(user=request.user, public_id=public_id)
    if appointment is None:
        raise Http404
    return appointment


def shop_phone(appointment: Appointment) -> str:
    """The number to call about an appointment: its shop's, else the business's."""
    location_phone = appointment.location.phone if appointment.location is not None else ""
    return location_phone or appointment.business.phone
