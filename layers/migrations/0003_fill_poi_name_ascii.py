"""Fill name_ascii for POIs stored before the column existed.

The fold is copied here rather than imported from layers.text, so this migration keeps
meaning what it meant even if the helper changes later.
"""

import unicodedata

from django.db import migrations


def _fold(text):
    decomposed = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def fill(apps, schema_editor):
    PointOfInterest = apps.get_model("layers", "PointOfInterest")
    rows = list(PointOfInterest.objects.only("id", "name"))
    for poi in rows:
        poi.name_ascii = _fold(poi.name)
    PointOfInterest.objects.bulk_update(rows, ["name_ascii"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("layers", "0002_poi_details_and_wifi_sites")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
