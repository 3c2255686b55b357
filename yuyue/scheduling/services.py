"""Writes to staff members, their weekly hours and date overrides."""

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuyue.accounts.models import User
from yuyue.catalog.models import Business, Location, Membership, Service, StaffTitle
from yuyue.catalog.selectors import business_role, require_owner
from yuyue.catalog.services import member_account_create, photo_replace
from yuyue.catalog.versions import availability_changed
from yuyue.lib.errors import InvalidInput, NotAllowed
from yuyue.lib.persist import clean_and_save
from yuyue.scheduling.hours import parse_intervals, parse_weekly
from yuyue.scheduling.models import (
    CalendarFeed,
    DateOverride,
    StaffMember,
    WorkingInterval,
    feed_key_hash,
)

STAFF_FIELDS = frozenset({"name", "user", "location", "timezone", "active", "title"})


def _check_same_business(
    business: Business,
    *,
    services: Iterable[Service] = (),
    location: Location | None = None,
    user: User | None = None,
    title: StaffTitle | None = None,
) -> None:
    if title is not None and title.business_id != business.id:
        raise InvalidInput({"title": [_("No such title at this business.")]})
    if user is not None and not Membership.objects.filter(business=business, user=user).exists():
        # Someone joins a business only by accepting an invitation; a staff record cannot
        # make a stranger's account staff.
        raise InvalidInput({"user": [_("Only a member of this business can be linked.")]})
    if any(service.business_id != business.id for service in services):
        raise InvalidInput({"service_ids": [_("A service belongs to another business.")]})
    if location is not None and location.business_id != business.id:
        raise InvalidInput({"location_id": [_("No such location at this business.")]})


@transaction.atomic
def staff_member_create(
    *,
    business: Business,
    actor: User,
    name: str,
    services: Iterable[Service] = (),
    location: Location | None = None,
    user: User | None = None,
    timezone: str = "",
    hours: Mapping[str, Any] | None = None,
    title: StaffTitle | None = None,
) -> StaffMember:
    """A new staff member, with their weekly `hours` when given (as staff_hours_set takes
    them): the hours are checked first, so a refusal saves nobody."""
    require_owner(user=actor, business_id=business.id)
    weekly = None if hours is None else parse_weekly(hours)
    services = list(services)
    _check_same_business(business, services=services, location=location, user=user, title=title)
    staff = StaffMember(
        business=business,
        name=name,
        location=location,
        user=user,
        timezone=timezone,
        title=title,
    )
    clean_and_save(staff)
    staff.services.set(services)
    if weekly is not None:
        _replace_hours(staff, weekly)
    availability_changed(business_id=business.id)
    return staff


@transaction.atomic
def staff_member_update(
    *,
    staff: StaffMember,
    actor: User,
    services: Iterable[Service] | None = None,
    hours: Mapping[str, Any] | None = None,
    **fields: Any,
) -> StaffMember:
    """Change the given fields, and replace the weekly `hours` when given; a refusal of any of
    it changes nothing."""
    require_owner(user=actor, business_id=staff.business_id)
    unknown = sorted(set(fields) - STAFF_FIELDS)
    if unknown:
        raise InvalidInput({name: [_("Unknown field.")] for name in unknown})
    weekly = None if hours is None else parse_weekly(hours)
    _check_same_business(
        staff.business,
        services=services or (),
        location=fields.get("location"),
        user=fields.get("user"),
        title=fields.get("title"),
    )
    for name, value in fields.items():
        setattr(staff, name, value)
    clean_and_save(staff)
    if services is not None:
        staff.services.set(list(services))
    if weekly is not None:
        _replace_hours(staff, weekly)
    availability_changed(business_id=staff.business_id)
    return staff


@transaction.atomic
def staff_hours_set(
    *, staff: StaffMember, actor: User, hours: Mapping[str, Any]
) -> dict[int, list]:
    """Replace the whole weekly schedule; an invalid day leaves the old schedule untouched."""
    require_owner(user=actor, business_id=staff.business_id)
    weekly = parse_weekly(hours)
    _replace_hours(staff, weekly)
    availability_changed(business_id=staff.business_id)
    return weekly


def _replace_hours(staff: StaffMember, weekly: Mapping[int, list[tuple[int, int]]]) -> None:
    WorkingInterval.objects.filter(staff=staff).delete()
    WorkingInterval.objects.bulk_create(
        WorkingInterval(staff=staff, weekday=weekday, start_minute=start, end_minute=end)
        for weekday, intervals in weekly.items()
        for start, end in intervals
    )


@transaction.atomic
def staff_override_set(
    *,
    staff: StaffMember,
    actor: User,
    date: dt.date,
    intervals: Any = (),
    closed: bool = False,
    note: str = "",
) -> DateOverride:
    """Closed all day, or special hours, on one local date (replacing any earlier override)."""
    require_owner(user=actor, business_id=staff.business_id)
    if closed and intervals:
        raise InvalidInput({"intervals": [_("A closed day has no intervals.")]})
    if not closed and not intervals:
        raise InvalidInput({"intervals": [_("Give the day's hours, or mark it closed.")]})
    try:
        parsed = [] if closed else parse_intervals(intervals)
    except ValueError as error:
        raise InvalidInput({"intervals": [str(error)]}) from None
    override, _created = DateOverride.objects.update_or_create(
        staff=staff,
        date=date,
        defaults={"intervals": [list(pair) for pair in parsed], "note": note[:200]},
    )
    availability_changed(business_id=staff.business_id)
    return override


@transaction.atomic
def staff_override_delete(*, staff: StaffMember, actor: User, date: dt.date) -> None:
    require_owner(user=actor, business_id=staff.business_id)
    DateOverride.objects.filter(staff=staff, date=date).delete()
    availability_changed(business_id=staff.business_id)


@transaction.atomic
def staff_account_create(
    *, staff: StaffMember, actor: User, username: str, password: str, phone: str, email: str = ""
) -> User:
    """A brand-new account for this staff member, with the staff role in its business.

    An existing account is never linked here: its holder joins by accepting an invitation.
    """
    require_owner(user=actor, business_id=staff.business_id)
    user = member_account_create(
        business=staff.business,
        actor=actor,
        role=Membership.Role.STAFF,
        username=username,
        password=password,
        phone=phone,
        email=email,
    )
    staff.user = user
    clean_and_save(staff, update_fields=["user"])
    return user


@transaction.atomic
def staff_photo_set(*, staff: StaffMember, actor: User, upload: Any) -> StaffMember:
    """Replace the staff member's photo with an upload (None: remove it)."""
    require_owner(user=actor, business_id=staff.business_id)
    photo_replace(row=staff, upload=upload)
    return staff


@transaction.atomic
def staff_agenda_set(*, staff: StaffMember, actor: User, hour: int | None) -> StaffMember:
    """At which local hour the staff member's account gets tomorrow's appointments (None:
    never). Their own choice, or an owner's for them; only staff with an account get one."""
    if not _self_or_owner(staff=staff, actor=actor):
        raise NotAllowed()
    if hour is not None and not 0 <= hour <= 23:
        raise InvalidInput({"agenda_hour": [_("Choose an hour from 0 to 23.")]})
    if hour is not None and staff.user_id is None:
        raise InvalidInput({"agenda_hour": [_("Only staff with an account get an agenda.")]})
    staff.agenda_hour = hour
    staff.save(update_fields=["agenda_hour"])
    return staff


def _self_or_owner(*, staff: StaffMember, actor: User) -> bool:
    role = business_role(user=actor, business_id=staff.business_id)
    return role == Membership.Role.OWNER or (role is not None and staff.user_id == actor.pk)


@transaction.atomic
def calendar_feed_issue(*, staff: StaffMember, actor: User) -> str:
    """A new private feed address key for the staff member (the old one stops working).

    The staff member themselves or an owner; the key is returned once and stored hashed.
    """
    if not _self_or_owner(staff=staff, actor=actor):
        raise NotAllowed()
    if staff.user_id is None:
        # The feed lives as long as the staff member's account is a member (staff_of_feed).
        raise NotAllowed(
            _("A calendar feed is for a staff member with an account: invite them first.")
        )
    key = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        staff=staff, defaults={"key_hash": feed_key_hash(key), "created_by": actor}
    )
    return key


@transaction.atomic
def calendar_feed_revoke(*, staff: StaffMember, actor: User) -> None:
    if not _self_or_owner(staff=staff, actor=actor):
        raise NotAllowed()
    CalendarFeed.objects.filter(staff=staff).delete()
