"""The back office as one reader sees it."""

from dataclasses import dataclass

from yuyue.accounts.models import User
from yuyue.catalog.models import Business, Membership


@dataclass(frozen=True)
class Desk:
    """The back office as one reader sees it: which business, in which role."""

    business: Business
    user: User
    role: str

    @property
    def is_owner(self) -> bool:
        return self.role == Membership.Role.OWNER
