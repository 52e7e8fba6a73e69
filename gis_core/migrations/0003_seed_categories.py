from django.db import migrations

from gis_core.categories import SEED_CATEGORIES


def seed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    for order, row in enumerate(SEED_CATEGORIES, start=1):
        Category.objects.update_or_create(code=row["code"], defaults={**row, "sort_order": order})


def unseed(apps, schema_editor):
    Category = apps.get_model("gis_core", "Category")
    Category.objects.filter(code__in=[r["code"] for r in SEED_CATEGORIES], reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0002_add_report_ward_assignment_trigger")]

    operations = [migrations.RunPython(seed, unseed)]
