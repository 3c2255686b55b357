"""Writes to businesses, their members, locations and services."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.catalog.models import (
    MAX_CUSTOMER_NOTE_LENGTH,
    Business,
    CustomerNote,
    Location,
    Membership,
    Service,
)
from yuyue.catalog.selectors import business_role, require_owner
from yuyue.lib.errors import Duplicate, InvalidInput, NotAllowed
from yuyue.lib.persist import clean_and_save

SERVICE_FIELDS = frozenset(
    {
        "name",
        "description",
        "duration_minutes",
        "price",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "capacity",
        "slot_interval_minutes",
        "min_notice_minutes",
        "max_days_ahead",
        "requires_confirmation",
        "cancel_cutoff_minutes",
        "reschedule_cutoff_minutes",
        "active",
    }
)
LOCATION_FIELDS = frozenset({"name", "address", "phone", "timezone"})
BUSINESS_FIELDS = frozenset(
    {"name", "timezone", "currency", "default_language", "phone", "reminder_offsets_minutes"}
)


def _apply(instance, fields: dict[str, Any], allowed: frozenset[str]) -> list[str]:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InvalidInput({name: [_("Unknown field.")] for name in unknown})
    for name, value in fields.items():
        setattr(instance, name, value)
    return list(fields)


@transaction.atomic
def business_create(
    *,
    owner: User,
    slug: str,
    name: str,
    timezone: str = "Asia/Shanghai",
    currency: str = "CNY",
    default_language: str = "zh-hans",
) -> Business:
    """A new business with `owner` as its owner (a user may own several)."""
    taken = Duplicate(
        {"slug": [_("This slug is taken.")]},
        message=_("A business with this slug already exists."),
    )
    if Business.objects.filter(slug=slug).exists():
        raise taken
    business = Business(
        slug=slug,
        name=name,
        timezone=timezone,
        currency=currency,
        default_language=default_language,
    )
    try:
        with transaction.atomic():
            clean_and_save(business)
    except IntegrityError:
        # Another request took the slug between the check and the insert.
        raise taken from None
    # The first owner: nobody owns the business yet to grant it.
    Membership.objects.create(business=business, user=owner, role=Membership.Role.OWNER)
    if not owner.is_staff:
        owner.is_staff = True
        owner.save(update_fields=["is_staff"])
    return business


@transaction.atomic
def business_update(*, business: Business, actor: User, **fields: Any) -> Business:
    require_owner(user=actor, business_id=business.id)
    changed = _apply(business, fields, BUSINESS_FIELDS)
    clean_and_save(business, update_fields=changed)
    return business


@transaction.atomic
def membership_grant(*, business: Business, user: User, role: str, actor: User) -> Membership:
    """Give `user` a role in `business` (replacing any other role they had there)."""
    require_owner(user=actor, business_id=business.id)
    if role not in Membership.Role.values:
        raise InvalidInput({"role": [_("Unknown role.")]})
    membership, _created = Membership.objects.update_or_create(
        business=business, user=user, defaults={"role": role}
    )
    if not user.is_staff:
        # Owners and staff manage their business in the admin; the admin's own queryset
        # filters keep them inside it.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def location_create(
    *,
    business: Business,
    actor: User,
    name: str,
    address: str = "",
    phone: str = "",
    timezone: str = "",
) -> Location:
    require_owner(user=actor, business_id=business.id)
    location = Location(
        business=business, name=name, address=address, phone=phone, timezone=timezone
    )
    clean_and_save(location)
    return location


@transaction.atomic
def location_update(*, location: Location, actor: User, **fields: Any) -> Location:
    require_owner(user=actor, business_id=location.business_id)
    changed = _apply(location, fields, LOCATION_FIELDS)
    clean_and_save(location, update_fields=changed)
    return location


@transaction.atomic
def service_create(*, business: Business, actor: User, name: str, **fields: Any) -> Service:
    require_owner(user=actor, business_id=business.id)
    service = Service(business=business)
    _apply(service, {"name": name, **fields}, SERVICE_FIELDS)
    clean_and_save(service)
    return service


@transaction.atomic
def service_update(*, service: Service, actor: User, **fields: Any) -> Service:
    """Change a service. Existing appointments keep the price and buffers they were booked with."""
    require_owner(user=actor, business_id=service.business_id)
    changed = _apply(service, fields, SERVICE_FIELDS)
    clean_and_save(service, update_fields=changed)
    return service


@transaction.atomic
def customer_note_set(
    *, business: Business, customer: User, text: str, actor: User
) -> CustomerNote:
    """Replace the staff note about a customer; owners and staff of the business only."""
    if business_role(user=actor, business_id=business.id) is None:
        raise NotAllowed()
    text = text.strip()
    if len(text) > MAX_CUSTOMER_NOTE_LENGTH:
        raise InvalidInput(
            {
                "text": [
                    _("A note is limited to %(n)d characters.") % {"n": MAX_CUSTOMER_NOTE_LENGTH}
                ]
            }
        )
    note, _created = CustomerNote.objects.update_or_create(
        business=business, customer=customer, defaults={"text": text, "updated_by": actor}
    )
    return note
