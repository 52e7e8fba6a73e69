"""Category.for_places: a category offered first on a report filed from a place (tourism).
The tourism categories themselves are written by 0039."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("gis_core", "0037_tourism_role")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="for_places",
            field=models.BooleanField(db_default=False, default=False),
        ),
    ]
