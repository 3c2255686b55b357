"""The back office as one reader sees it."""

import zoneinfo
from dataclasses import dataclass

from yuyue.accounts.models import User
from yuyue.catalog.models import Business, Membership
from yuyue.scheduling.models import StaffMember
from yuyue.scheduling.selectors import request_zone


@dataclass(frozen=True)
class Desk:
    """The back office as one reader sees it: which business, in which role."""

    business: Business
    user: User
    role: str

    @property
    def is_owner(self) -> bool:
        return self.role == Membership.Role.OWNER

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The zone of the business-wide pages (the day calendar, the dashboard, the logs)."""
        return request_zone(business=self.business)

    def zone_at(self, staff: StaffMember | None) -> zoneinfo.ZoneInfo:
        """The zone of a time given for `staff`: their shop's, else the business's."""
        return request_zone(business=self.business, staff=staff)
