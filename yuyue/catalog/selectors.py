"""Reads about businesses that depend on who asks."""

from django.contrib.auth.models import AnonymousUser

from yuyue.accounts.models import User
from yuyue.catalog.models import Membership


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
