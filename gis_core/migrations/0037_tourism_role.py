"""The tourism office's staff role (StaffRole.TOURISM) as a Django group, like 0010's roles."""

from django.db import migrations

ROLE = "tourism"


def seed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0036_report_language")]

    operations = [migrations.RunPython(seed, unseed)]
