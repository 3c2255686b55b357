"""Staff notes live in the businesses' customer records now (customers' 0002 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_business_suspension_and_signup_invitations"),
        ("customers", "0002_records_from_appointments"),
    ]

    operations = [migrations.DeleteModel(name="CustomerNote")]
