"""Erasure (docs/privacy.md#erasure): a person deletes their account (注销), an owner erases
one customer's record on request, and each business's retention anonymises the records of
customers gone quiet.

Here, at the top of the domain apps, because erasing reaches all of them: the account
(accounts), its WeChat identity (wechat), the businesses' records (customers), the
appointments' notes and cancellations (bookings) and the message log (notifications).
Appointments, their events and the payment ledger stay, without the person: the businesses'
figures and the append-only ledger need them.
"""

import datetime as dt
import logging
import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuyue.accounts.models import ApiToken, PhoneCode, User
from yuyue.accounts.services import phone_code_verify
from yuyue.bookings.models import HOLDING_STATUSES, Appointment, AppointmentEvent, Status
from yuyue.bookings.services import appointment_cancel
from yuyue.catalog.models import Business, Membership
from yuyue.catalog.selectors import require_owner
from yuyue.customers.models import Customer
from yuyue.customers.services import customer_anonymise
from yuyue.lib.audit import audit
from yuyue.lib.errors import DomainError, InvalidInput, NotAllowed
from yuyue.notifications import errors
from yuyue.notifications.models import Notification
from yuyue.wechat.models import SubscribeConsent, WeChatIdentity

logger = logging.getLogger("yuyue.privacy")

# A month, for retention: long enough that "N months" never erases early.
MONTH = dt.timedelta(days=31)
# How often the worker looks for records past their business's retention.
RETENTION_EVERY = dt.timedelta(hours=24)


class MemberCannotDelete(NotAllowed):
    default_message = gettext_lazy(
        "You are an owner or staff member of a business: leave it, or hand it over to another "
        "owner, before deleting your account."
    )


PROOF_NEEDED = gettext_lazy("Confirm with your password or a code texted to your phone.")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def deletion_proof_needed(user: User) -> bool:
    """False for an account with neither a password nor a verified phone (one made by WeChat
    sign-in alone): its session or token is the only proof it has, and asking for more would
    leave it no way to be deleted."""
    return user.has_usable_password() or bool(user.phone and user.phone_verified)


def deletion_proof_check(*, user: User, password: str = "", phone_code: str = "") -> None:
    """The person at the keyboard is the account's owner: its password, or a code just texted
    to its verified phone (accounts made by code have no password). Raises otherwise."""
    if not deletion_proof_needed(user):
        return
    if password:
        if user.has_usable_password() and user.check_password(password):
            return
        raise InvalidInput({"password": [_("The password is wrong.")]})
    if phone_code:
        if not (user.phone and user.phone_verified):
            raise InvalidInput({"phone_code": [_("This account has no verified phone.")]})
        # A LOGIN code of the verified phone signs in to this very account: the same proof.
        if phone_code_verify(phone=user.phone, code=phone_code).pk == user.pk:
            return
    raise InvalidInput({"password": [str(PROOF_NEEDED)]})


def _erase_messages(notifications: Q) -> None:
    """Where messages went and what servers said of them (which may quote the address); the
    ones not sent yet never go."""
    rows = Notification.objects.filter(notifications)
    live = (Notification.Status.PENDING, Notification.Status.SENDING)
    rows.exclude(status__in=live).update(address="", last_error="")
    rows.filter(status__in=live).update(
        status=Notification.Status.SKIPPED,
        address="",
        lease_until=None,
        lease_token="",
        last_error=errors.ERASED,
    )


def _erase_record(*, customer: Customer, now: dt.datetime) -> None:
    """A record, the free text of its appointments' trail, and the log of messages sent to
    the record itself (a customer without an account)."""
    customer_anonymise(customer=customer, now=now)
    AppointmentEvent.objects.filter(appointment__client=customer).update(reason="")
    _erase_messages(Q(recipient__isnull=True, appointment__client=customer))


def _sessions_of(user: User) -> list[str]:
    # Sessions are signed blobs, not rows by user: each is read to find the user's.
    wanted = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.iterator()
        if str(session.get_decoded().get("_auth_user_id")) == wanted
    ]


def user_delete_account(
    *, actor: User, password: str = "", phone_code: str = "", now: dt.datetime | None = None
) -> int:
    """注销: delete the actor's own account, after proof (`deletion_proof_check`).

    Their future appointments are cancelled (the businesses hear of it as of any cancellation;
    one past its cut-off stays booked, without a name); the account's personal fields, its
    tokens, sessions, WeChat identity and subscriptions, its phone's codes, every business's
    record of it, its appointments' notes and the addresses of its messages are erased. The
    appointments, their events and the payment ledger stay for the businesses' figures.
    Owners and staff of a business are refused: their business needs them handed over first.
    Returns the number of appointments cancelled.
    """
    now = _now(now)
    _require_deletable(User.objects.get(pk=actor.pk))
    # Outside the erasure's transaction: a wrong code's counted try must stay counted.
    deletion_proof_check(user=actor, password=password, phone_code=phone_code)
    with transaction.atomic():
        return _delete_account(user=User.objects.select_for_update().get(pk=actor.pk), now=now)


def _require_deletable(user: User) -> None:
    if not user.is_active:
        raise NotAllowed()
    if user.is_superuser or Membership.objects.filter(user=user).exists():
        raise MemberCannotDelete()


def _delete_account(*, user: User, now: dt.datetime) -> int:
    _require_deletable(user)  # again, under the lock
    cancelled = 0
    upcoming = Appointment.objects.filter(
        customer=user,
        start__gt=now,
        status__in=[s for s in HOLDING_STATUSES if s != Status.IN_PROGRESS],
    ).order_by("start")
    for appointment in upcoming:
        try:
            appointment_cancel(appointment=appointment, actor=user, now=now)
        except DomainError:
            continue  # past its cut-off: it stays booked, as the page said
        cancelled += 1
    for record in Customer.objects.filter(user=user):
        _erase_record(customer=record, now=now)
    Appointment.objects.filter(customer=user).update(notes="")
    AppointmentEvent.objects.filter(appointment__customer=user).update(reason="")
    _erase_messages(Q(recipient=user))
    if user.phone:
        PhoneCode.objects.filter(phone=user.phone).delete()
    ApiToken.objects.filter(user=user).delete()
    WeChatIdentity.objects.filter(user=user).delete()
    SubscribeConsent.objects.filter(user=user).delete()
    Session.objects.filter(session_key__in=_sessions_of(user)).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr="", change_message="")
    user.username = f"deleted-{secrets.token_hex(8)}"
    user.display_name = user.first_name = user.last_name = user.email = user.phone = ""
    user.phone_verified = False
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user_id = user.pk
    transaction.on_commit(
        lambda: audit("account.deleted", actor=f"#{user_id}", cancelled=cancelled)
    )
    return cancelled


@transaction.atomic
def customer_erase(*, actor: User, customer: Customer, now: dt.datetime | None = None) -> Customer:
    """An owner erases one customer's record at the person's request: name (to a neutral
    label), phone, email, notes, tags, its appointments' notes and the message log's
    addresses; the link to an account goes (the account is the person's own, untouched)."""
    require_owner(user=actor, business_id=customer.business_id)
    now = _now(now)
    _erase_record(customer=customer, now=now)
    business_id, customer_id = customer.business_id, customer.pk
    transaction.on_commit(
        lambda: audit("customer.erased", actor=actor, business=business_id, customer=customer_id)
    )
    return Customer.objects.get(pk=customer.pk)


def _stale_records(*, business: Business, now: dt.datetime) -> list[Customer]:
    cutoff = now - business.customer_retention_months * MONTH
    return list(
        Customer.objects.filter(business=business, erased_at__isnull=True, created_at__lt=cutoff)
        .annotate(last=Max("appointments__start"))
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
    )


def retention_apply(*, now: dt.datetime | None = None) -> int:
    """Anonymise every record whose business keeps customers N months and who has had no
    appointment starting in those months and has none ahead. Each record is its own
    transaction; an erased record is skipped, so running twice does nothing more. Returns the
    number anonymised."""
    now = _now(now)
    done = 0
    for business in Business.objects.filter(customer_retention_months__gt=0).order_by("id"):
        for record in _stale_records(business=business, now=now):
            try:
                with transaction.atomic():
                    _erase_record(customer=record, now=now)
            except Exception:
                logger.exception("retention: erasing customer %s failed", record.pk)
                continue
            audit(
                "customer.erased_by_retention",
                actor="system",
                business=business.pk,
                customer=record.pk,
            )
            done += 1
    return done


class RetentionStep:
    """The worker's round: retention_apply at most once per RETENTION_EVERY per process."""

    def __init__(self) -> None:
        self.next_run: dt.datetime | None = None

    def __call__(self) -> int:
        now = timezone.now()
        if self.next_run is not None and now < self.next_run:
            return 0
        self.next_run = now + RETENTION_EVERY
        return retention_apply(now=now)
