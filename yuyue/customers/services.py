"""Every write to a business's customer records.

Staff (owners and staff of the business) add, edit and merge records. Two links to a person's
account exist, and only two: the person books at the business themselves
(`customer_for_booking`), or proves the phone with a code (`customer_link_verified_phone`).
Nothing else — registering, being made staff, a phone typed in by anyone — links an account
to a record or hands over a record's appointments or notes.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuyue.accounts.models import User
from yuyue.accounts.phone import normalize_phone
from yuyue.catalog.models import Business
from yuyue.catalog.selectors import business_role, require_owner
from yuyue.customers.hooks import run_merge_hooks
from yuyue.customers.models import (
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Customer,
)
from yuyue.lib.audit import audit
from yuyue.lib.errors import DomainError, Duplicate, InvalidInput, NotAllowed

MAX_EMAIL_LENGTH = 254


class MergeRefused(DomainError):
    code = "merge_refused"
    default_message = gettext_lazy("These two records cannot be merged.")


def _require_staff(*, actor: User, business_id: int) -> None:
    if business_role(user=actor, business_id=business_id) is None:
        raise NotAllowed()


def _audit_later(event: str, *, actor: Any, customer: Customer, **fields: Any) -> None:
    business_id, customer_id = customer.business_id, customer.pk
    transaction.on_commit(
        lambda: audit(event, actor=actor, business=business_id, customer=customer_id, **fields)
    )


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, without repeats (whatever the case), at most MAX_TAGS of at
    most MAX_TAG_LENGTH characters each; InvalidInput names the problem."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        if not isinstance(raw, str):
            raise InvalidInput({"tags": [_("A tag is text.")]})
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise InvalidInput(
                {"tags": [_("A tag is at most %(n)d characters.") % {"n": MAX_TAG_LENGTH}]}
            )
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput({"tags": [_("At most %(n)d tags.") % {"n": MAX_TAGS}]})
    return cleaned


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The given fields in their stored form; every problem named at once."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if "name" in fields:
        name = " ".join(str(fields["name"]).split())
        if not name:
            errors["name"] = [_("Give the customer's name.")]
        elif len(name) > MAX_NAME_LENGTH:
            errors["name"] = [_("At most %(n)d characters.") % {"n": MAX_NAME_LENGTH}]
        cleaned["name"] = name
    if "phone" in fields:
        phone = str(fields["phone"]).strip()
        if phone:
            try:
                phone = normalize_phone(phone)
            except ValidationError as error:
                errors["phone"] = error.messages
        cleaned["phone"] = phone
    if "email" in fields:
        email = str(fields["email"]).strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                errors["email"] = error.messages
            if len(email) > MAX_EMAIL_LENGTH:
                errors["email"] = [_("The email address is too long.")]
        cleaned["email"] = email
    if "notes" in fields:
        notes = str(fields["notes"]).strip()
        if len(notes) > MAX_NOTES_LENGTH:
            errors["notes"] = [
                _("Notes are limited to %(n)d characters.") % {"n": MAX_NOTES_LENGTH}
            ]
        cleaned["notes"] = notes
    if "tags" in fields:
        try:
            cleaned["tags"] = clean_tags(fields["tags"])
        except InvalidInput as error:
            errors.update(error.fields)
    if any("\x00" in value for value in cleaned.values() if isinstance(value, str)):
        errors["__all__"] = [_("Text may not contain NUL characters.")]
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _phone_taken() -> Duplicate:
    return Duplicate({"phone": [_("Another customer of this business has this phone number.")]})


@transaction.atomic
def customer_create(
    *,
    actor: User,
    business: Business,
    name: str,
    phone: str,
    email: str = "",
    notes: str = "",
    tags: Iterable[str] = (),
) -> Customer:
    """A walk-in or phone customer added by the business's staff: a record with no account.

    A phone the business already has gives that record back (unchanged), not a second one.
    """
    _require_staff(actor=actor, business_id=business.id)
    fields = _clean_fields(
        {"name": name, "phone": phone, "email": email, "notes": notes, "tags": tags}
    )
    if fields["phone"]:
        existing = (
            Customer.objects.select_for_update()
            .filter(business=business, phone=fields["phone"])
            .first()
        )
        if existing is not None:
            return existing
    customer = Customer(business=business, **fields)
    try:
        with transaction.atomic():
            customer.save(force_insert=True)
    except IntegrityError:
        # Another desk added the same phone a moment ago: theirs is the record.
        return Customer.objects.get(business=business, phone=fields["phone"])
    _audit_later("customer.created", actor=actor, customer=customer)
    return customer


@transaction.atomic
def customer_update(*, actor: User, customer: Customer, **fields: Any) -> Customer:
    """Change a record's name, phone, email, notes or tags; the business's staff only."""
    _require_staff(actor=actor, business_id=customer.business_id)
    unknown = set(fields) - {"name", "phone", "email", "notes", "tags"}
    if unknown:
        raise InvalidInput({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    cleaned = _clean_fields(fields)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    if (
        "phone" in changed
        and cleaned["phone"]
        and Customer.objects.filter(business_id=locked.business_id, phone=cleaned["phone"])
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise _phone_taken()
    for name in changed:
        setattr(locked, name, cleaned[name])
    try:
        with transaction.atomic():
            locked.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise _phone_taken() from None
    _audit_later("customer.updated", actor=actor, customer=locked, fields=",".join(changed))
    return locked


def _joined_notes(first: str, second: str) -> str:
    return "\n\n".join(part for part in (first.strip(), second.strip()) if part)


def _absorb(*, keep: Customer, other: Customer) -> Customer:
    """Move `other` into `keep` (both locked, one business): appointments, account, contact
    details keep lacks, notes and tags; then `other` is gone."""
    notes = _joined_notes(keep.notes, other.notes)
    if len(notes) > MAX_NOTES_LENGTH:
        raise MergeRefused(
            _("Together the notes are longer than %(n)d characters; shorten them first.")
            % {"n": MAX_NOTES_LENGTH}
        )
    tags = list(keep.tags)
    for tag in other.tags:
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    other.appointments.update(client=keep)
    run_merge_hooks(keep, other)
    keep.user_id = keep.user_id or other.user_id
    phone = keep.phone or other.phone
    keep.email = keep.email or other.email
    keep.notes, keep.tags = notes, tags[:MAX_TAGS]
    other.delete()
    keep.phone = phone
    keep.save()
    return keep


@transaction.atomic
def customer_merge(*, actor: User, keep: Customer, other: Customer) -> Customer:
    """One person, two records: `other`'s appointments, notes and tags join `keep`, and
    `other` is deleted. Both must be the same business's; two different accounts are never
    merged (each person's bookings stay theirs)."""
    _require_staff(actor=actor, business_id=keep.business_id)
    if other.business_id != keep.business_id:
        # Another business's record is nobody's business here: as if it did not exist.
        raise NotAllowed()
    if other.pk == keep.pk:
        raise MergeRefused(_("Choose another record to merge with this one."))
    rows = {
        row.pk: row
        for row in Customer.objects.select_for_update()
        .filter(pk__in=[keep.pk, other.pk])
        .order_by("pk")
    }
    if len(rows) != 2:
        # The other desk merged or changed one of them a moment ago.
        raise MergeRefused()
    locked_keep, locked_other = rows[keep.pk], rows[other.pk]
    if locked_keep.user_id and locked_other.user_id and locked_keep.user_id != locked_other.user_id:
        raise MergeRefused(
            _(
                "Both records belong to different accounts: they are two people's bookings, "
                "so they stay apart."
            )
        )
    merged = _absorb(keep=locked_keep, other=locked_other)
    _audit_later("customer.merged", actor=actor, customer=merged, merged=other.pk)
    return merged


MAX_LIFT_REASON_LENGTH = 500


def customer_no_shows_lift(
    *, actor: User, customer: Customer, reason: str, now: dt.datetime
) -> Customer:
    """Lift the no-show rule for this customer (docs/booking.md#booking-rules): their no-shows
    until now no longer count. Owners only, with a reason; the audit log keeps who and when."""
    require_owner(user=actor, business_id=customer.business_id)
    reason = reason.strip()
    if not reason or len(reason) > MAX_LIFT_REASON_LENGTH:
        message = _("Give a reason, at most %(n)d characters.") % {"n": MAX_LIFT_REASON_LENGTH}
        raise InvalidInput({"reason": [message]})
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        locked.no_shows_lifted_at = now
        locked.no_shows_lifted_reason = reason
        locked.save(update_fields=["no_shows_lifted_at", "no_shows_lifted_reason", "updated_at"])
        _audit_later("customer.no_shows_lifted", actor=actor, customer=locked, reason=reason)
    return locked


@transaction.atomic(savepoint=False)
def customer_for_booking(*, business: Business, user: User) -> Customer:
    """The business's record of an account booking there itself, made on its first booking.

    A record staff made for the same phone is not taken over: the account's phone is not
    proven, so the new record leaves the phone out when it is taken, and staff may merge.
    One query when the record exists; a first booking adds its insert (in a savepoint).
    """
    same = Q(user=user) | Q(phone=user.phone) if user.phone else Q(user=user)
    # At most two rows: one record per account and one per phone in a business.
    found = list(Customer.objects.filter(same, business=business)[:2])
    existing = next((row for row in found if row.user_id == user.pk), None)
    if existing is not None:
        return existing
    phone = "" if any(row.phone == user.phone for row in found) else user.phone
    customer = Customer(
        business=business,
        user=user,
        name=(user.display_name or user.username)[:MAX_NAME_LENGTH],
        phone=phone,
        email=user.email,
    )
    try:
        with transaction.atomic():
            customer.save(force_insert=True)
    except IntegrityError:
        # Two first bookings at once, or a desk added the phone meanwhile.
        existing = Customer.objects.filter(business=business, user=user).first()
        if existing is not None:
            return existing
        customer.pk, customer.phone = None, ""
        customer.save(force_insert=True)
    _audit_later("customer.created", actor=user, customer=customer)
    return customer


@transaction.atomic
def customer_link_verified_phone(*, user: User, phone: str) -> list[Customer]:
    """`user` has just proven `phone` (a code, WeChat's phone button): every business's record
    with that phone and no account becomes theirs, and so do its appointments.

    Where the business already has a record of the account, the phone's record joins it.
    Returns the records now linked. Call it only after the proof, never for a typed phone.
    """
    phone = normalize_phone(phone)
    linked: list[Customer] = []
    if not user.is_active:
        return linked
    records = Customer.objects.select_for_update().filter(phone=phone, user__isnull=True)
    for record in records.order_by("id"):
        own = (
            Customer.objects.select_for_update()
            .filter(business_id=record.business_id, user=user)
            .first()
        )
        if own is None:
            record.user = user
            record.save(update_fields=["user", "updated_at"])
            target = record
        else:
            try:
                with transaction.atomic():
                    target = _absorb(keep=own, other=record)
            except MergeRefused:
                continue  # too much to join by itself: staff merge it by hand
        target.appointments.filter(customer__isnull=True).update(customer=user)
        _audit_later("customer.linked", actor=user, customer=target)
        linked.append(target)
    return linked


# What an erased record is called: in the business's language, written once, since the row
# outlives the person it named (docs/privacy.md#erasure).
ERASED_NAME = gettext_lazy("Erased customer")


def customer_anonymise(*, customer: Customer, now: dt.datetime) -> Customer:
    """Erase a record's personal fields and the notes of its appointments, keeping the row
    (the business's counts) and unlinking the account. No rights are checked: the callers
    (yuyue/notifications/erasure.py) have. Runs inside the caller's transaction."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    language = locked.business.default_language
    with translation.override(language):
        locked.name = str(ERASED_NAME)
    locked.phone = locked.email = locked.notes = ""
    locked.tags = []
    locked.user = None
    locked.erased_at = now
    locked.save()
    # The appointments' free text may name the person; their times and prices stay.
    locked.appointments.update(notes="")
    return locked
