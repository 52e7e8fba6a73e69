"""The places' names split into words, as typed and folded, stored for the ranked search
(layers.text.name_columns), and filled for the places already stored.

The rule is copied, not imported (layers.text may change later; a change to it is a new
migration filling the columns again)."""

import unicodedata

from django.db import migrations, models

PUNCTUATION = ",.;:!?()[]{}/\\-\u2013\u2014\"'\u201c\u201d&+\u00b7|_*#"
BREAKS = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))


def fold(text):
    decomposed = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def words(text):
    return " " + " ".join((text or "").lower().translate(BREAKS).split()) + " "


def fill(apps, schema_editor):
    PointOfInterest = apps.get_model("layers", "PointOfInterest")
    rows = list(PointOfInterest.objects.only("id", "name", "name_en"))
    for poi in rows:
        poi.search_typed = words(poi.name) + "|" + words(poi.name_en)
        poi.search_folded = words(fold(poi.name)) + "|" + words(poi.name_en)
    PointOfInterest.objects.bulk_update(rows, ["search_typed", "search_folded"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("layers", "0019_place_reports")]

    operations = [
        migrations.AddField(
            model_name="pointofinterest",
            name="search_folded",
            field=models.CharField(blank=True, editable=False, max_length=420),
        ),
        migrations.AddField(
            model_name="pointofinterest",
            name="search_typed",
            field=models.CharField(blank=True, editable=False, max_length=420),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
