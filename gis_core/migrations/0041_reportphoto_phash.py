"""Report photos get a perceptual hash (gis_core.photo_hash) for duplicates by meaning.

The column only: photos stored before it are hashed by `manage.py fill_photo_hashes` (in
batches, from their thumbnails), never in this migration, so the ALTER stays instant."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0040_category_suggestions"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportphoto",
            name="phash",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
