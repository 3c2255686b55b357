"""Writes to businesses, their members, locations and services."""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
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
    MAX_CATALOGUE_ENTRIES,
    Business,
    Invitation,
    Location,
    Membership,
    Service,
    ServiceCategory,
    SignupInvitation,
    StaffTitle,
    TitlePrice,
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
from yuyue.lib.photos import photo_delete, photo_store

# In the order a form shows them.
SERVICE_FIELD_NAMES = (
    "name",
    "category",
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
    "allows_series",
    "active",
)
SERVICE_FIELDS = frozenset(SERVICE_FIELD_NAMES)
LOCATION_FIELDS = frozenset({"name", "address", "phone", "timezone", "latitude", "longitude"})
BUSINESS_FIELDS = frozenset(
    {
        "name",
        "timezone",
        "currency",
        "default_language",
        "phone",
        "reminder_offsets_minutes",
        "keeps_deposit_after_cutoff",
        "customer_retention_months",
        "max_future_bookings",
        "max_future_bookings_scope",
        "no_show_limit",
        "no_show_window_days",
        "no_show_action",
        "no_show_deposit",
        "release_days_before",
        "release_time",
        "customers_book_series",
        "waitlist_offer_minutes",
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
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    require_owner(user=actor, business_id=business.id)
    location = Location(
        business=business,
        name=name,
        address=address,
        phone=phone,
        timezone=timezone,
        latitude=latitude,
        longitude=longitude,
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


def _check_category(business_id: int, fields: dict[str, Any]) -> None:
    category = fields.get("category")
    if category is not None and category.business_id != business_id:
        raise InvalidInput({"category": [_("No such category at this business.")]})


@transaction.atomic
def service_create(*, business: Business, actor: User, name: str, **fields: Any) -> Service:
    require_owner(user=actor, business_id=business.id)
    _check_category(business.id, fields)
    service = Service(business=business)
    _apply(service, {"name": name, **fields}, SERVICE_FIELDS)
    clean_and_save(service)
    return service


@transaction.atomic
def service_update(*, service: Service, actor: User, **fields: Any) -> Service:
    """Change a service. Existing appointments keep the price and buffers they were booked with."""
    require_owner(user=actor, business_id=service.business_id)
    _check_category(service.business_id, fields)
    changed = _apply(service, fields, SERVICE_FIELDS)
    clean_and_save(service, update_fields=changed)
    availability_changed(business_id=service.business_id)
    return service


def photo_replace(*, row: Any, upload: Any, field: str = "photo") -> None:
    """Store `upload` as `row`'s photo (None: remove it); the old file goes once committed.

    The caller has checked the actor's rights and holds a transaction. A refused upload
    raises InvalidInput before anything is written; should the row's save fail after the file
    was written, the new file is removed again.
    """
    old = row.photo
    new = "" if upload is None else photo_store(upload, size=upload.size, field=field)
    row.photo = new
    try:
        row.save(update_fields=["photo"])
    except Exception:
        photo_delete(new)
        raise
    if old and old != new:
        transaction.on_commit(lambda: photo_delete(old))


@transaction.atomic
def service_photo_set(*, service: Service, actor: User, upload: Any) -> Service:
    """Replace the service's photo with an upload (None: remove it)."""
    require_owner(user=actor, business_id=service.business_id)
    photo_replace(row=service, upload=upload)
    return service


# The catalogue's lists: categories of services and titles of staff, in the owner's order ------


def _ordered_create(model: Any, *, business: Business, actor: User, name: str) -> Any:
    require_owner(user=actor, business_id=business.id)
    name = name.strip()
    if not name:
        raise InvalidInput({"name": [_("Give it a name.")]})
    rows = model.objects.filter(business=business)
    if rows.count() >= MAX_CATALOGUE_ENTRIES:
        raise InvalidInput({"name": [_("At most %(n)d entries.") % {"n": MAX_CATALOGUE_ENTRIES}]})
    if rows.filter(name=name).exists():
        raise Duplicate({"name": [_("This name is taken.")]})
    last = rows.order_by("-position").values_list("position", flat=True).first()
    row = model(business=business, name=name, position=(last or 0) + 1)
    try:
        with transaction.atomic():
            clean_and_save(row)
    except IntegrityError:
        # Another request added the same name between the check and the insert.
        raise Duplicate({"name": [_("This name is taken.")]}) from None
    return row


def _ordered_rename(row: Any, *, actor: User, name: str) -> Any:
    require_owner(user=actor, business_id=row.business_id)
    name = name.strip()
    if not name:
        raise InvalidInput({"name": [_("Give it a name.")]})
    if type(row).objects.filter(business_id=row.business_id, name=name).exclude(pk=row.pk).exists():
        raise Duplicate({"name": [_("This name is taken.")]})
    row.name = name
    try:
        with transaction.atomic():
            clean_and_save(row, update_fields=["name"])
    except IntegrityError:
        raise Duplicate({"name": [_("This name is taken.")]}) from None
    return row


def _ordered_move(row: Any, *, actor: User, step: int) -> None:
    """Swap with the neighbour above (step -1) or below (+1); at an end, nothing moves."""
    require_owner(user=actor, business_id=row.business_id)
    rows = list(
        type(row)
        .objects.select_for_update()
        .filter(business_id=row.business_id)
        .order_by("position", "id")
    )
    index = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(rows):
        return
    rows[index], rows[target] = rows[target], rows[index]
    for position, other in enumerate(rows, start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


@transaction.atomic
def service_category_create(*, business: Business, actor: User, name: str) -> ServiceCategory:
    return _ordered_create(ServiceCategory, business=business, actor=actor, name=name)


@transaction.atomic
def service_category_rename(
    *, category: ServiceCategory, actor: User, name: str
) -> ServiceCategory:
    return _ordered_rename(category, actor=actor, name=name)


@transaction.atomic
def service_category_move(*, category: ServiceCategory, actor: User, step: int) -> None:
    _ordered_move(category, actor=actor, step=step)


@transaction.atomic
def service_category_delete(*, category: ServiceCategory, actor: User) -> None:
    """Its services stay, without a category."""
    require_owner(user=actor, business_id=category.business_id)
    category.delete()


@transaction.atomic
def staff_title_create(*, business: Business, actor: User, name: str) -> StaffTitle:
    return _ordered_create(StaffTitle, business=business, actor=actor, name=name)


@transaction.atomic
def staff_title_rename(*, title: StaffTitle, actor: User, name: str) -> StaffTitle:
    return _ordered_rename(title, actor=actor, name=name)


@transaction.atomic
def staff_title_move(*, title: StaffTitle, actor: User, step: int) -> None:
    _ordered_move(title, actor=actor, step=step)


@transaction.atomic
def staff_title_delete(*, title: StaffTitle, actor: User) -> None:
    """Its staff keep working without a title; its prices go with it."""
    require_owner(user=actor, business_id=title.business_id)
    title.delete()


@transaction.atomic
def title_prices_set(
    *, service: Service, actor: User, prices: dict[StaffTitle, Decimal | None]
) -> None:
    """The service's price with staff of each title; None: the service's own price."""
    require_owner(user=actor, business_id=service.business_id)
    errors: dict[str, list[str]] = {}
    for title, price in prices.items():
        if title.business_id != service.business_id:
            raise InvalidInput({"title": [_("No such title at this business.")]})
        if price is not None and (price < 0 or price >= Decimal("1e8")):
            errors[f"title_{title.pk}"] = [_("Give a price from 0 to 99999999.99.")]
    if errors:
        raise InvalidInput(errors)
    for title, price in prices.items():
        if price is None:
            TitlePrice.objects.filter(service=service, title=title).delete()
        else:
            TitlePrice.objects.update_or_create(
                service=service, title=title, defaults={"price": price}
            )


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
def membership_notice_channel_set(*, business: Business, actor: User, channel: str) -> Membership:
    """How `actor` hears of bookings in `business`: their own choice, nobody else's."""
    if channel not in Membership.NoticeChannel.values:
        raise InvalidInput({"notice_channel": [_("Unknown channel.")]})
    membership = Membership.objects.filter(business=business, user=actor).first()
    if membership is None:
        raise NotAllowed()
    membership.notice_channel = channel
    membership.save(update_fields=["notice_channel"])
    return membership
