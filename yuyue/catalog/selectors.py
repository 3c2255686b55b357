"""Reads about businesses that depend on who asks."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from yuyue.accounts.models import User
from yuyue.catalog.models import Business, CustomerNote, Location, Membership, Service


def business_role(*, user: User | AnonymousUser | None, business_id: int) -> str | None:
    """The user's role in the business: "owner", "staff" or None.

    The platform operator (a superuser) acts as an owner of every business.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Membership.Role.OWNER
    return (
        Membership.objects.filter(user=user, business_id=business_id)
        .values_list("role", flat=True)
        .first()
    )


def is_business_staff(*, user: User | AnonymousUser | None, business_id: int) -> bool:
    """Owners count as staff: they can do everything staff can."""
    return business_role(user=user, business_id=business_id) is not None


def business_by_slug(slug: str) -> Business | None:
    return Business.objects.filter(slug=slug).first()


def business_locations(*, business: Business) -> QuerySet[Location]:
    return Location.objects.filter(business=business).order_by("name", "id")


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


def customer_note_of(*, business: Business, customer: User) -> CustomerNote | None:
    """The business's staff note about a customer; read by the business's staff only."""
    return CustomerNote.objects.filter(business=business, customer=customer).first()
