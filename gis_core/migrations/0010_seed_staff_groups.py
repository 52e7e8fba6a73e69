from django.db import migrations

ROLES = ("operator", "ward_officer", "agency_officer", "administrator")


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0009_add_accounts_and_roles"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, unseed)]
