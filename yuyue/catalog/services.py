"""Writes to businesses, their members, locations and services."""

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.accounts.services import user_register
from yuyue.catalog.errors import InvitationUnusable, SignupClosed
from yuyue.catalog.models import (
    Business,
    Invitation,
    Location,
    Membership,
    Service,
    SignupInvitation,
)
from yuyue.catalog.selectors import (
    invitation_by_token,
    invitation_token_hash,
    require_operator,
    require_owner,
    signup_invitation_by_token,
    signup_mode,
    signup_refusal,
)
from yuyue.catalog.slugs import RESERVED_SLUGS, check_slug
from yuyue.catalog.versions import availability_changed
from yuyue.lib.audit import audit
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
    "active",
)
SERVICE_FIELDS = frozenset(SERVICE_FIELD_NAMES)
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
    if slug in RESERVED_SLUGS:
        raise InvalidInput({"slug": [_("This word is reserved by the site; choose another.")]})
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


# Opening a business: the sign-up page and the API, under the one sign-up rule ----------------


@dataclass(frozen=True)
class NewAccount:
    """The account a sign-up makes for someone not logged in (user_register checks it)."""

    username: str
    password: str
    phone: str
    email: str = ""
    display_name: str = ""
    language: str | None = None


@dataclass(frozen=True)
class SignedUp:
    business: Business
    owner: User


def _signup_permit(*, actor: User | None, invite: str) -> SignupInvitation | None:
    """Refuse unless the sign-up rule lets `actor` open a business (signup_refusal); in invite
    mode, the invitation to use up, locked, so that two sign-ups with one link open one
    business."""
    refusal = signup_refusal(user=actor, invite=invite)
    if refusal is not None:
        raise refusal
    found = signup_invitation_by_token(invite) if invite else None
    if found is None or signup_mode() != "invite" or (actor is not None and actor.is_superuser):
        return None
    locked = SignupInvitation.objects.select_for_update().get(pk=found.pk)
    if not locked.is_open(timezone.now()):
        raise SignupClosed(InvitationUnusable.default_message)
    return locked


@transaction.atomic
def business_sign_up(
    *,
    actor: User | None,
    account: NewAccount | None = None,
    invite: str = "",
    slug: str,
    name: str,
    timezone: str = "Asia/Shanghai",
    currency: str = "CNY",
    default_language: str = "zh-hans",
) -> SignedUp:
    """Open a business, for the logged-in `actor` or for a new `account` made here, with its
    owner's membership, in one transaction: a refusal of any part leaves nothing.

    Obeys YUYUE_SIGNUP (`invite`: the sign-up invitation's token, used up here)."""
    logged_in = actor is not None and actor.is_authenticated
    if not logged_in and account is None:
        raise NotAllowed(_("Log in, or give the account to open the business with."))
    invitation = _signup_permit(actor=actor if logged_in else None, invite=invite)
    errors: dict[str, list[str]] = {}
    try:
        check_slug(slug)
    except InvalidInput as error:
        errors.update(error.fields)
    if not name.strip():
        errors["name"] = [_("This field is required.")]
    if errors:
        raise InvalidInput(errors)
    if actor is not None and logged_in:
        owner = actor
    else:
        assert account is not None
        owner = user_register(
            username=account.username,
            password=account.password,
            phone=account.phone,
            email=account.email,
            display_name=account.display_name,
            language=account.language,
        )
    business = business_create(
        owner=owner,
        slug=slug,
        name=name.strip(),
        timezone=timezone,
        currency=currency,
        default_language=default_language,
    )
    if invitation is not None:
        invitation.used_at = django_timezone.now()
        invitation.business = business
        invitation.save(update_fields=["used_at", "business"])
    audit("business.signed_up", actor=owner, business=business.slug, mode=signup_mode())
    return SignedUp(business=business, owner=owner)


@dataclass(frozen=True)
class IssuedSignupInvitation:
    """A new sign-up invitation and its token: the only time the token exists in clear."""

    invitation: SignupInvitation
    token: str


@transaction.atomic
def signup_invitation_create(*, actor: User, note: str = "") -> IssuedSignupInvitation:
    """A single-use link to open one business, for the platform operator to hand out."""
    require_operator(actor)
    note = " ".join(note.split())
    if len(note) > 120:
        raise InvalidInput({"note": [_("At most %(n)d characters.") % {"n": 120}]})
    token = secrets.token_urlsafe(32)
    invitation = SignupInvitation.objects.create(
        token_hash=invitation_token_hash(token),
        note=note,
        created_by=actor,
        expires_at=django_timezone.now() + dt.timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    audit("signup_invitation.created", actor=actor, invitation=invitation.pk)
    return IssuedSignupInvitation(invitation=invitation, token=token)


@transaction.atomic
def business_suspend(*, business: Business, actor: User) -> Business:
    """Close a business on the platform: its pages and API refuse, nothing is deleted."""
    require_operator(actor)
    locked = Business.objects.select_for_update().get(pk=business.pk)
    if locked.suspended_at is None:
        locked.suspended_at = django_timezone.now()
        locked.save(update_fields=["suspended_at"])
        audit("business.suspended", actor=actor, business=locked.slug)
    business.suspended_at = locked.suspended_at
    availability_changed(business_id=business.pk)
    return business


@transaction.atomic
def business_reactivate(*, business: Business, actor: User) -> Business:
    """Open a suspended business again, exactly as it was."""
    require_operator(actor)
    locked = Business.objects.select_for_update().get(pk=business.pk)
    if locked.suspended_at is not None:
        locked.suspended_at = None
        locked.save(update_fields=["suspended_at"])
        audit("business.reactivated", actor=actor, business=locked.slug)
    business.suspended_at = None
    availability_changed(business_id=business.pk)
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
