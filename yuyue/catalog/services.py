"""Writes to businesses, their members, locations and services."""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.accounts.services import user_register
from yuyue.catalog.errors import InvitationUnusable
from yuyue.catalog.models import (
    MAX_CUSTOMER_NOTE_LENGTH,
    Business,
    CustomerNote,
    Invitation,
    Location,
    Membership,
    Service,
)
from yuyue.catalog.selectors import (
    business_role,
    invitation_by_token,
    invitation_token_hash,
    require_owner,
)
from yuyue.catalog.versions import availability_changed
from yuyue.lib.errors import Duplicate, InvalidInput, NotAllowed
from yuyue.lib.persist import clean_and_save

# In the order a form shows them.
SERVICE_FIELD_NAMES = (
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
    "payment_mode",
    "deposit_amount",
    "payment_window_minutes",
    "active",
)
SERVICE_FIELDS = frozenset(SERVICE_FIELD_NAMES)
LOCATION_FIELDS = frozenset({"name", "address", "phone", "timezone"})
BUSINESS_FIELDS = frozenset(
    {
        "name",
        "timezone",
        "currency",
        "default_language",
        "phone",
        "reminder_offsets_minutes",
        "keeps_deposit_after_cutoff",
    }
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
    # Its zone is the zone of requests and of staff without one of their own.
    availability_changed(business_id=business.id)
    return business


def _grant(*, business: Business, user: User, role: str) -> Membership:
    """The membership row and the back office; callers have checked who may do this."""
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
def membership_grant(*, business: Business, user: User, role: str, actor: User) -> Membership:
    """Change a member's role in `business`. Someone who is not a member yet joins only by
    accepting an invitation (invitation_accept), never by being named here."""
    require_owner(user=actor, business_id=business.id)
    if not Membership.objects.filter(business=business, user=user).exists():
        raise NotAllowed(_("Invite this person: they join by accepting the invitation."))
    return _grant(business=business, user=user, role=role)


@transaction.atomic
def member_account_create(
    *,
    business: Business,
    actor: User,
    role: str,
    username: str,
    password: str,
    phone: str,
    email: str = "",
) -> User:
    """A brand-new account, made by an owner for a person of the business, with `role`."""
    require_owner(user=actor, business_id=business.id)
    user = user_register(username=username, password=password, phone=phone, email=email)
    _grant(business=business, user=user, role=role)
    return user


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
    availability_changed(business_id=location.business_id)
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
    availability_changed(business_id=service.business_id)
    return service


# Joining a business: only by an invitation the invitee accepts as themself ------------------


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its token: the only time the token exists in clear."""

    invitation: Invitation
    token: str


@transaction.atomic
def invitation_create(
    *, business: Business, actor: User, role: str, staff: Any = None
) -> IssuedInvitation:
    """An invitation to `business` with `role`, optionally to become `staff`'s account.

    Nobody is looked up: whoever opens the link and accepts it while logged in joins.
    """
    require_owner(user=actor, business_id=business.pk)
    if role not in Membership.Role.values:
        raise InvalidInput({"role": [_("Unknown role.")]})
    if staff is not None and staff.business_id != business.pk:
        raise InvalidInput({"staff_id": [_("No staff member of this business has this id.")]})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        business=business,
        role=role,
        staff=staff,
        token_hash=invitation_token_hash(token),
        created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_accept(*, token: str, actor: User) -> Membership:
    """`actor` joins the business with the invitation's role (an owner is never lowered)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotAllowed(_("Log in as yourself to accept an invitation."))
    found = invitation_by_token(token)
    if found is None:
        raise InvitationUnusable()
    # Locked, so that two tabs accepting at once make one membership and one acceptance.
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    now = timezone.now()
    if not invitation.is_open(now):
        raise InvitationUnusable()
    business = invitation.business
    current = (
        Membership.objects.filter(business=business, user=actor)
        .values_list("role", flat=True)
        .first()
    )
    role = Membership.Role.OWNER if current == Membership.Role.OWNER else invitation.role
    membership = _grant(business=business, user=actor, role=role)
    staff = invitation.staff
    if staff is not None:
        staff.user = actor
        staff.save(update_fields=["user"])
    invitation.accepted_at = now
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation that nobody accepted yet; revoking twice changes nothing."""
    require_owner(user=actor, business_id=invitation.business.pk)
    if invitation.accepted_at is not None:
        raise InvitationUnusable()
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def membership_end(*, membership: Membership, actor: User) -> None:
    """Remove someone from a business; without any membership left they lose the back office.

    The last owner cannot be removed: a business always has someone who can manage it.
    """
    require_owner(user=actor, business_id=membership.business.pk)
    if (
        membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(business_id=membership.business_id, role="owner")
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise NotAllowed(_("A business keeps at least one owner."))
    user = membership.user
    membership.delete()
    # Staff records linked to this account in this business stop being theirs.
    user.staff_profiles.filter(business_id=membership.business_id).update(user=None)
    if user.is_staff and not user.is_superuser and not user.memberships.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])


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
