"""Staff notes live in the businesses' customer records now (customers' 0002 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_customer_note"),
        ("customers", "0002_records_from_appointments"),
    ]

    operations = [migrations.DeleteModel(name="CustomerNote")]
