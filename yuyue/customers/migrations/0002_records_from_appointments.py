"""Today's customers become the businesses' own records.

Each business gets one record per account that has appointments there (or a staff note about
it): named as the account shows itself, with its phone and email, the note folded into the
record's notes, and linked to the account. Accounts staff made for walk-in and phone
customers (no password, a `guest-` name, no WeChat identity, no role anywhere) become records
without an account: their appointments keep no account, their messages go to the record, and
the accounts themselves are deleted — unless something else still points at one, which then
stays, unusable as before. Where two accounts at one business share a phone, the later record
keeps the number in its notes (a business has one record per phone).
"""

import secrets

from django.db import migrations
from django.db.models import ProtectedError

UNUSABLE = "!"
MAX_NAME, MAX_PHONE, MAX_EMAIL, MAX_NOTES = 100, 20, 254, 2000


def _unclaimed_ids(apps, user_ids):
    User = apps.get_model("accounts", "User")
    WeChatIdentity = apps.get_model("wechat", "WeChatIdentity")
    Membership = apps.get_model("catalog", "Membership")
    StaffMember = apps.get_model("scheduling", "StaffMember")
    guests = set(
        User.objects.filter(
            pk__in=user_ids, password__startswith=UNUSABLE, username__startswith="guest-"
        ).values_list("pk", flat=True)
    )
    guests -= set(WeChatIdentity.objects.values_list("user_id", flat=True))
    guests -= set(Membership.objects.values_list("user_id", flat=True))
    guests -= set(StaffMember.objects.exclude(user=None).values_list("user_id", flat=True))
    return guests


def forward(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Appointment = apps.get_model("bookings", "Appointment")
    Customer = apps.get_model("customers", "Customer")
    CustomerNote = apps.get_model("catalog", "CustomerNote")
    Notification = apps.get_model("notifications", "Notification")

    notes = {
        (note.business_id, note.customer_id): note.text
        for note in CustomerNote.objects.order_by("id")
    }
    pairs = set(
        Appointment.objects.order_by().values_list("business_id", "customer_id").distinct()
    )
    pairs |= set(notes)
    users = User.objects.in_bulk({user_id for _business, user_id in pairs})
    unclaimed = _unclaimed_ids(apps, set(users))
    phones_taken = set()
    for business_id, user_id in sorted(pairs):
        user = users[user_id]
        phone = (user.phone or "").strip()
        note = (notes.get((business_id, user_id)) or "").strip()
        if len(phone) > MAX_PHONE or (business_id, phone) in phones_taken:
            note = "\n".join(part for part in (note, phone) if part)
            phone = ""
        if phone:
            phones_taken.add((business_id, phone))
        email = (user.email or "").strip()
        record = Customer.objects.create(
            business_id=business_id,
            user_id=None if user_id in unclaimed else user_id,
            name=((user.display_name or "").strip() or user.username)[:MAX_NAME],
            phone=phone,
            email=email if len(email) <= MAX_EMAIL else "",
            notes=note[:MAX_NOTES],
            tags=[],
        )
        changes = {"client": record}
        if user_id in unclaimed:
            changes["customer"] = None
        Appointment.objects.filter(business_id=business_id, customer_id=user_id).update(**changes)
    Notification.objects.filter(recipient_id__in=unclaimed).update(recipient=None)
    for user in User.objects.filter(pk__in=unclaimed):
        try:
            user.delete()
        except ProtectedError:
            continue


def backward(apps, schema_editor):
    """Records without an account get one again (a `guest-` account, no password), so every
    appointment has its customer; staff notes return to CustomerNote."""
    User = apps.get_model("accounts", "User")
    Appointment = apps.get_model("bookings", "Appointment")
    Customer = apps.get_model("customers", "Customer")
    CustomerNote = apps.get_model("catalog", "CustomerNote")
    Notification = apps.get_model("notifications", "Notification")
    for record in Customer.objects.order_by("id"):
        user_id = record.user_id
        if user_id is None:
            user = User.objects.create(
                username=f"guest-{secrets.token_hex(6)}",
                display_name=record.name,
                phone=record.phone,
                email=record.email,
                password=UNUSABLE + secrets.token_urlsafe(30),
            )
            user_id = user.pk
        appointments = Appointment.objects.filter(client=record)
        Notification.objects.filter(
            appointment__in=appointments.filter(customer=None), recipient=None
        ).update(recipient_id=user_id)
        appointments.filter(customer=None).update(customer_id=user_id)
        if record.notes:
            CustomerNote.objects.update_or_create(
                business_id=record.business_id,
                customer_id=user_id,
                defaults={"text": record.notes},
            )
    Appointment.objects.update(client=None)
    Customer.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_customer_records"),
        ("bookings", "0005_appointment_client_and_optional_account"),
        ("notifications", "0004_recipient_optional_for_customers_without_account"),
        ("catalog", "0004_customer_note"),
        ("wechat", "0001_identities_and_consents"),
        ("scheduling", "0002_calendar_feed"),
    ]

    operations = [migrations.RunPython(forward, backward)]
