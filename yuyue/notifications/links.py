"""The addresses a message links to: the customer's appointment pages and the back office."""

from django.conf import settings
from django.urls import reverse

from yuyue.bookings.models import Appointment
from yuyue.catalog.models import Business

# The customer's pages for one appointment, under YUYUE_PUBLIC_URL. The paths are fixed here so
# messages already sent keep working when the web pages arrive behind them.
VIEW_PATH = "/appointments/{public_id}/"
CANCEL_PATH = "/appointments/{public_id}/cancel/"
RESCHEDULE_PATH = "/appointments/{public_id}/reschedule/"
# A waitlist offer's page, where it is accepted or declined (docs/waitlist.md#the-offer).
OFFER_PATH = "/waitlist/offers/{public_id}/"


def customer_links(appointment: Appointment) -> dict[str, str]:
    base = settings.YUYUE_PUBLIC_URL
    values = {"public_id": appointment.public_id}
    return {
        "view": base + VIEW_PATH.format(**values),
        "cancel": base + CANCEL_PATH.format(**values),
        "reschedule": base + RESCHEDULE_PATH.format(**values),
        "offer": base + OFFER_PATH.format(**values),
    }


def booking_link(business: Business) -> str:
    """The business's public booking page: what its QR code, poster and share page carry."""
    return settings.YUYUE_PUBLIC_URL + reverse("web:business", args=[business.slug])


def back_office_link(appointment: Appointment) -> str:
    return settings.YUYUE_PUBLIC_URL + reverse(
        "admin:bookings_appointment_change", args=[appointment.pk]
    )
