"""No clear phone in the accounts tables: a citizen's username becomes the keyed hash of the
phone, the phone itself moves to CitizenPhone (encrypted), and the login codes keep only the
phone's hash.

Reverse: usernames become the phones again; the login codes are deleted, since a hash cannot
be turned back into the phone (a code lives for minutes; the citizen asks for a new one).
"""

from django.conf import settings
from django.db import migrations, models

import common.encrypted_fields
from common.field_crypto import phone_hash
from common.phones import normalize_phone


def _user_model(apps):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    return apps.get_model(app_label, model_name)


def forward(apps, schema_editor):
    User = _user_model(apps)
    CitizenPhone = apps.get_model("gis_core", "CitizenPhone")
    PhoneLoginCode = apps.get_model("gis_core", "PhoneLoginCode")
    for code in PhoneLoginCode.objects.only("id", "phone").iterator(chunk_size=2000):
        PhoneLoginCode.objects.filter(pk=code.pk).update(phone=phone_hash(code.phone))
    for user in User.objects.filter(is_staff=False, username__startswith="+84").iterator():
        if normalize_phone(user.username) != user.username:
            continue
        hashed = phone_hash(user.username)
        if User.objects.filter(username=hashed).exists():
            continue  # already signed in under the new scheme; left for an administrator
        CitizenPhone.objects.create(user=user, phone=user.username)
        User.objects.filter(pk=user.pk).update(username=hashed)


def backward(apps, schema_editor):
    User = _user_model(apps)
    CitizenPhone = apps.get_model("gis_core", "CitizenPhone")
    PhoneLoginCode = apps.get_model("gis_core", "PhoneLoginCode")
    PhoneLoginCode.objects.all().delete()
    for row in CitizenPhone.objects.all().iterator():
        User.objects.filter(pk=row.user_id).update(username=row.phone)


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0021_encrypt_contacts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CitizenPhone",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="citizen_phone",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("phone", common.encrypted_fields.EncryptedTextField(max_length=16)),
            ],
        ),
        migrations.AlterField(
            model_name="phonelogincode",
            name="phone",
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.RunPython(forward, backward),
    ]
