"""Rows as the API shows them: local times with their offset, money as strings, labels translated.

What a reader may see depends on who they are, so each function is told (`for_staff`).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse

from yuyue.accounts.models import User
from yuyue.accounts.phone import phone_display, phone_region
from yuyue.api.schemas.common import money
from yuyue.bookings.models import Appointment, Status
from yuyue.bookings.permissions import AppointmentPermissions, appointment_permissions
from yuyue.bookings.rules import deposit_reason
from yuyue.catalog.models import Business, Location, Service
from yuyue.catalog.selectors import Roles
from yuyue.lib.localtime import zone_label
from yuyue.payments.selectors import cancel_refund, payment_summary
from yuyue.scheduling.models import DateOverride, StaffMember, minute_label


def _phone_shown(number: str, business_phone: str) -> str:
    """As the customer pages show it: national format in the business's country."""
    return phone_display(number, home_region=phone_region(business_phone))[0] if number else ""


def location_out(location: Location) -> dict[str, Any]:
    return {
        "id": location.id,
        "name": location.name,
        "address": location.address,
        "phone": location.phone,
        "phone_display": _phone_shown(location.phone, location.business.phone),
        "timezone": location.zone_name,
        "timezone_label": zone_label(location.zone_name),
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def business_out(business: Business, locations: Iterable[Location]) -> dict[str, Any]:
    return {
        "slug": business.slug,
        "name": business.name,
        "timezone": business.timezone,
        "currency": business.currency,
        "default_language": business.default_language,
        "phone": business.phone,
        "phone_display": _phone_shown(business.phone, business.phone),
        "timezone_label": zone_label(business.timezone),
        "customers_book_series": business.customers_book_series,
        "locations": [location_out(location) for location in locations],
    }


def photo_out(name: str) -> str | None:
    """A stored photo's full address (the mini program needs one), or None."""
    return settings.YUYUE_PUBLIC_URL + reverse("photo", args=[name]) if name else None


def service_out(service: Service) -> dict[str, Any]:
    category = service.category
    return {
        "id": service.id,
        "name": service.name,
        "category": None
        if category is None
        else {"id": category.id, "name": category.name, "position": category.position},
        "description": service.description,
        "photo_url": photo_out(service.photo),
        # Read from the prefetched rows where the caller prefetched them.
        "prices_by_title": [
            {"title_id": row.title_id, "title": row.title.name, "price": money(row.price)}
            for row in sorted(
                service.title_prices.all(), key=lambda r: (r.title.position, r.title_id)
            )
        ],
        "duration_minutes": service.duration_minutes,
        "price": money(service.price),
        "currency": service.business.currency,
        "capacity": service.capacity,
        "requires_confirmation": service.requires_confirmation,
        "buffer_before_minutes": service.buffer_before_minutes,
        "buffer_after_minutes": service.buffer_after_minutes,
        "slot_interval_minutes": service.slot_interval_minutes,
        "min_notice_minutes": service.min_notice_minutes,
        "max_days_ahead": service.max_days_ahead,
        "cancel_cutoff_minutes": service.cancel_cutoff_minutes,
        "reschedule_cutoff_minutes": service.reschedule_cutoff_minutes,
        "payment_mode": service.payment_mode,
        "deposit_amount": money(service.deposit_amount),
        "payment_window_minutes": service.payment_window_minutes,
        "allows_series": service.allows_series,
        "active": service.active,
    }


def staff_out(staff: StaffMember, *, for_staff: bool) -> dict[str, Any]:
    return {
        "id": staff.id,
        "name": staff.name,
        # Read from the prefetched services, not a fresh query per staff member.
        "service_ids": sorted(service.id for service in staff.services.all()),
        "location_id": staff.location_id,
        "title": None if staff.title is None else {"id": staff.title.id, "name": staff.title.name},
        "photo_url": photo_out(staff.photo),
        "timezone": staff.zone_name,
        "active": staff.active,
        "username": staff.user.username if for_staff and staff.user is not None else None,
    }


def hours_label(intervals: Iterable[Iterable[int]]) -> list[list[str]]:
    return [[minute_label(start), minute_label(end)] for start, end in intervals]


def override_out(override: DateOverride) -> dict[str, Any]:
    return {
        "date": override.date,
        "closed": not override.intervals,
        "intervals": hours_label(override.intervals),
        "note": override.note,
    }


def appointment_out(
    appointment: Appointment, *, viewer: User, roles: Roles | None = None
) -> dict[str, Any]:
    """The appointment as `viewer` may see it, with what they may do to it now."""
    permissions = appointment_permissions(appointment=appointment, actor=viewer, roles=roles)
    for_staff = permissions.is_staff
    zone = appointment.zone
    service = appointment.service
    location = appointment.location
    client = appointment.client

    def local(moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(zone)

    return {
        "id": appointment.public_id,
        "business": {
            "slug": appointment.business.slug,
            "name": appointment.business.name,
            "timezone": appointment.business.timezone,
        },
        "service": {"id": service.id, "name": service.name},
        "staff": {"id": appointment.staff.id, "name": appointment.staff.name},
        "location": (
            None
            if location is None
            else {"id": location.id, "name": location.name, "address": location.address}
        ),
        "zone": appointment.zone_name,
        "zone_label": zone_label(appointment.zone_name),
        "start": local(appointment.start),
        "end": local(appointment.end),
        "status": appointment.status,
        "status_label": str(Status(appointment.status).label),
        "price": money(appointment.price),
        "currency": appointment.currency,
        "notes": appointment.notes,
        "channel": appointment.channel,
        "in_series": appointment.series_id is not None,
        "customer": (
            {
                "id": client.id,
                "name": client.name,
                "phone": client.phone,
                "account_id": appointment.customer_id,
                "username": appointment.customer.username if appointment.customer else None,
            }
            if for_staff
            else None
        ),
        "cancel_deadline": local(permissions.cancel_deadline),
        "reschedule_deadline": local(permissions.reschedule_deadline),
        "actions": list(permissions.allowed_actions),
        "checkin_code": (
            appointment.usable_checkin_code
            if for_staff or (viewer is not None and appointment.customer_id == viewer.pk)
            else None
        ),
        "payment": payment_out(appointment, local, permissions=permissions),
        "offer_expires_at": (
            None if appointment.offer_expires_at is None else local(appointment.offer_expires_at)
        ),
        "created_at": local(appointment.created_at),
        "updated_at": local(appointment.updated_at),
    }


def payment_out(
    appointment: Appointment, local, *, permissions: AppointmentPermissions
) -> dict[str, Any]:
    summary = payment_summary(appointment)
    back = cancel_refund(appointment=appointment, permissions=permissions)
    return {
        **summary,
        "refund_if_cancelled_now": None if back is None else money(back.back),
        "kept_if_cancelled_now": None if back is None else money(back.kept),
        "full_refund_until": (
            None if summary["mode"] == "none" else local(permissions.cancel_cutoff)
        ),
        "amount_due": money(summary["amount_due"]),
        "amount_paid": money(summary["amount_paid"]),
        "amount_refunded": money(summary["amount_refunded"]),
        "pay_by": None if summary["pay_by"] is None else local(summary["pay_by"]),
        "reason": deposit_reason(appointment),
    }
