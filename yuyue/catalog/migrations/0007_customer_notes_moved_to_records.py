"""Staff notes live in the businesses' customer records now (customers' 0002 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_service_categories_staff_titles_photos_notice_channel"),
        ("customers", "0002_records_from_appointments"),
    ]

    operations = [migrations.DeleteModel(name="CustomerNote")]
