"""Reads about businesses that depend on who asks."""

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.catalog.models import (
    Business,
    CustomerNote,
    Invitation,
    Location,
    Membership,
    Service,
)
from yuyue.lib.errors import NotAllowed


@dataclass(frozen=True)
class Roles:
    """A user's role in each business, read once for pages that list several businesses."""

    by_business: dict[int, str]
    everywhere: str | None = None

    def of(self, business_id: int) -> str | None:
        return self.everywhere or self.by_business.get(business_id)


def _outside_memberships(user: User | AnonymousUser | None) -> Roles | None:
    """The roles that do not depend on memberships: nobody's, or the platform operator's (a
    superuser acts as an owner of every business). None when memberships decide."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles({})
    if user.is_superuser:
        return Roles({}, everywhere=Membership.Role.OWNER)
    return None


def business_roles(*, user: User | AnonymousUser | None) -> Roles:
    """The user's role in every business: one query (none for superusers and anonymous)."""
    fixed = _outside_memberships(user)
    if fixed is not None:
        return fixed
    return Roles(dict(Membership.objects.filter(user=user).values_list("business_id", "role")))


def business_role(*, user: User | AnonymousUser | None, business_id: int) -> str | None:
    """The user's role in the business: "owner", "staff" or None. The one role rule."""
    fixed = _outside_memberships(user)
    if fixed is not None:
        return fixed.of(business_id)
    return (
        Membership.objects.filter(user=user, business_id=business_id)
        .values_list("role", flat=True)
        .first()
    )


def require_owner(*, user: User | AnonymousUser | None, business_id: int) -> None:
    """NotAllowed unless the user owns the business: every owner-only write checks this."""
    if business_role(user=user, business_id=business_id) != Membership.Role.OWNER:
        raise NotAllowed(_("Only the business's owner may do this."))


def business_by_slug(slug: str) -> Business | None:
    return Business.objects.filter(slug=slug).first()


def business_or_404(slug: str) -> Business:
    """The business a path names; businesses are public, so anyone may look one up."""
    business = business_by_slug(slug)
    if business is None:
        raise Http404
    return business


def business_locations(*, business: Business) -> QuerySet[Location]:
    return (
        Location.objects.filter(business=business).select_related("business").order_by("name", "id")
    )


def business_services(*, business: Business, include_inactive: bool = False) -> QuerySet[Service]:
    """The business's services; customers see the active ones, its staff all of them."""
    services = Service.objects.filter(business=business).select_related("business")
    if not include_inactive:
        services = services.filter(active=True)
    return services.order_by("name", "id")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    """The businesses where the user is owner or staff, with their role."""
    return (
        Membership.objects.filter(user=user)
        .select_related("business")
        .order_by("business__name", "business_id")
    )


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    """The open invitation this token names, or None (unknown, expired, used or revoked)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    invitation = (
        Invitation.objects.select_related("business", "staff")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


def business_invitations(*, business: Business) -> QuerySet[Invitation]:
    return Invitation.objects.filter(business=business).order_by("-created_at", "-id")


def customer_note_of(*, business: Business, customer: User) -> CustomerNote | None:
    """The business's staff note about a customer; read by the business's staff only."""
    return CustomerNote.objects.filter(business=business, customer=customer).first()
