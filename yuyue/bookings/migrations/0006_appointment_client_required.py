"""Every appointment has its business's customer record (customers' 0002 gave each one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0005_appointment_client_and_optional_account"),
        ("customers", "0002_records_from_appointments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointment",
            name="client",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
    ]
