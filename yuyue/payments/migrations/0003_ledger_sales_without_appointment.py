"""Money not tied to an appointment (a member card sold, or its refund): the entry names its
business instead (docs/cards.md#money).

SQLite alters a column by copying the table, which drops its triggers: the append-only
trigger of 0002 is made again afterwards (PostgreSQL alters in place and keeps it)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "payments_paymententry"


def _sqlite_trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS payments_ledger_append_only")


def _sqlite_trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS payments_ledger_append_only")
        schema_editor.execute(
            f"""
            CREATE TRIGGER payments_ledger_append_only BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed'); END
            """
        )


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0008_appointment_awaiting_payment'),
        ('catalog', '0010_business_customer_retention_months'),
        ('payments', '0002_ledger_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_sqlite_trigger_drop, _sqlite_trigger_create),
        migrations.AddField(
            model_name='paymententry',
            name='business',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.business', verbose_name='business'),
        ),
        migrations.AlterField(
            model_name='paymententry',
            name='appointment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payment_entries', to='bookings.appointment', verbose_name='appointment'),
        ),
        migrations.AlterField(
            model_name='paymententry',
            name='kind',
            field=models.CharField(choices=[('payment', 'Payment'), ('refund', 'Refund'), ('counter', 'Paid at the counter'), ('sale', 'Sale (not an appointment)')], max_length=10, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='paymententry',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('appointment__isnull', False), ('business__isnull', True)), models.Q(('appointment__isnull', True), ('business__isnull', False), ('kind__in', ['sale', 'refund'])), _connector='OR'), name='payment_entry_appointment_or_sale'),
        ),
        migrations.RunPython(_sqlite_trigger_create, _sqlite_trigger_drop),
    ]
