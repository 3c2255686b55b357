"""Reads about businesses that depend on who asks."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.catalog.errors import BusinessSuspended, SignupClosed
from yuyue.catalog.models import (
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


def require_open(business: Business, *, user: User | AnonymousUser | None = None) -> None:
    """BusinessSuspended when the platform operator has suspended the business: the one
    suspension check that every edge (customer pages, back office, API, seed routes) calls.
    The operator (a superuser) still sees it, to look into it and reactivate it."""
    if business.suspended_at is not None and not (
        user is not None and user.is_authenticated and user.is_superuser
    ):
        raise BusinessSuspended()


def business_or_404(slug: str, *, user: User | AnonymousUser | None = None) -> Business:
    """The business a path names, unless suspended; businesses are public, so anyone may look
    one up."""
    business = business_by_slug(slug)
    if business is None:
        raise Http404
    require_open(business, user=user)
    return business


def listed_businesses() -> QuerySet[Business]:
    """The businesses the site's root lists: every one not suspended."""
    return Business.objects.filter(suspended_at__isnull=True).order_by("name", "id")


# The platform operator -------------------------------------------------------------------------


def signup_mode() -> str:
    """ "open", "invite" or "closed" (YUYUE_SIGNUP, checked at start)."""
    return settings.YUYUE_SIGNUP


def signup_invitation_by_token(token: str) -> SignupInvitation | None:
    """The unused, unexpired sign-up invitation this token names, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    invitation = SignupInvitation.objects.filter(token_hash=invitation_token_hash(token)).first()
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


def signup_refusal(*, user: User | AnonymousUser | None, invite: str = "") -> SignupClosed | None:
    """Why this person may not open a business now, or None: the one sign-up rule
    (YUYUE_SIGNUP), asked by the sign-up page and by business_sign_up. The platform operator
    always may; in invite mode, an unused, unexpired sign-up invitation's token is needed."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    mode = signup_mode()
    if mode == "open":
        return None
    if mode == "invite":
        if invite and signup_invitation_by_token(invite) is not None:
            return None
        return SignupClosed(
            _(
                "Opening a business here takes an invitation from the site's operator; "
                "this link is missing, expired or already used."
            )
        )
    return SignupClosed()


def require_operator(user: User | AnonymousUser | None) -> None:
    """NotAllowed unless the user is the platform operator (an active superuser)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_superuser:
        raise NotAllowed(_("Only the platform operator may do this."))


MAX_PLATFORM_ROWS = 200


def platform_businesses(*, user: User | AnonymousUser | None, query: str = "") -> list[dict]:
    """Every business for the operator, newest first (up to MAX_PLATFORM_ROWS), with its
    owners; `query` searches names, slugs and the owners' usernames and phones."""
    require_operator(user)
    businesses = Business.objects.order_by("-created_at", "-id")
    query = query.strip()
    if query:
        owner = Q(memberships__role=Membership.Role.OWNER)
        businesses = businesses.filter(
            Q(name__icontains=query)
            | Q(slug__icontains=query)
            | (owner & Q(memberships__user__username__icontains=query))
            | (owner & Q(memberships__user__phone__icontains=query))
        ).distinct()
    rows = list(businesses[:MAX_PLATFORM_ROWS])
    owners: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        business__in=rows, role=Membership.Role.OWNER
    ).select_related("user"):
        owners.setdefault(membership.business_id, []).append(membership.user)
    return [
        {
            "business": business,
            "owners": owners.get(business.id, []),
        }
        for business in rows
    ]


def signup_invitations() -> QuerySet[SignupInvitation]:
    return SignupInvitation.objects.select_related("business").order_by("-created_at", "-id")


def business_locations(*, business: Business) -> QuerySet[Location]:
    return (
        Location.objects.filter(business=business).select_related("business").order_by("name", "id")
    )


def business_services(*, business: Business, include_inactive: bool = False) -> QuerySet[Service]:
    """The business's services; customers see the active ones, its staff all of them."""
    services = Service.objects.filter(business=business).select_related("business", "category")
    if not include_inactive:
        services = services.filter(active=True)
    # Under their categories in the owner's order; those without one after them.
    return services.order_by(
        F("category__position").asc(nulls_last=True), "category_id", "name", "id"
    )


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


def service_price(*, service: Service, title_id: int | None) -> Decimal:
    """What the service costs with a staff member of this title: the title's price where the
    business set one, else the service's own. The one price rule: the booking's snapshot and
    every page that shows a price per staff member ask here."""
    if title_id is not None:
        price = (
            TitlePrice.objects.filter(service=service, title_id=title_id)
            .values_list("price", flat=True)
            .first()
        )
        if price is not None:
            return price
    return service.price


def title_prices(*, services: list[Service]) -> dict[tuple[int, int], Decimal]:
    """(service id, title id) → price, for every title price of these services: one query."""
    rows = TitlePrice.objects.filter(service__in=services).values_list(
        "service_id", "title_id", "price"
    )
    return {(service_id, title_id): price for service_id, title_id, price in rows}


def business_categories(*, business: Business) -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(business=business).order_by("position", "id")


def business_titles(*, business: Business) -> QuerySet[StaffTitle]:
    return StaffTitle.objects.filter(business=business).order_by("position", "id")


def services_by_category(
    services: list[Service], categories: list[ServiceCategory]
) -> list[tuple[ServiceCategory | None, list[Service]]]:
    """The services under their categories in the owner's order; those without one last.
    Categories without services are left out."""
    groups: list[tuple[ServiceCategory | None, list[Service]]] = [
        (category, [s for s in services if s.category_id == category.pk]) for category in categories
    ]
    known = {category.pk for category in categories}
    groups.append((None, [s for s in services if s.category_id not in known]))
    return [(category, items) for category, items in groups if items]
