"""Hotspot answers per province: a snapshot names the province whose wards were the study area
(blank: the whole country, every row stored before), and the default-period lookup of an
anonymous caller is keyed by it too. The table holds a few hundred rows (the precomputed
defaults and the week's staff analyses), so the index is swapped in the migration's
transaction; existing rows are the country's, which their keys already say.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0025_report_cell_key_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="hotspotsnapshot",
            name="hotspot_snapshot_default",
        ),
        migrations.AddField(
            model_name="hotspotsnapshot",
            name="province",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddIndex(
            model_name="hotspotsnapshot",
            index=models.Index(
                fields=["default_period", "hex_size_m", "category", "province", "-until"],
                name="hotspot_snapshot_default_prov",
            ),
        ),
    ]
