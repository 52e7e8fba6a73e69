"""The cell tables' covering indexes take the whole cell key as their key.

With only (level, cx, cy) as the key and the rest included, the compaction of the keys
written since its last run found each key's rows among every row of its cell: a busy cell
of level 13 holds a row per month, category, status and ward. Measured on the 1M set: 823
keys written since read 1.2 million index entries and took 1.0 s. With the whole key, each
key's rows are one index descent. Readers, which range over (level, cx) and filter cy, read
the same entries in the same order. Built and dropped CONCURRENTLY, so the report writes
whose triggers append to these tables go on meanwhile (hence atomic = False); each new index
is built before the old one is dropped.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("layers", "0024_report_cell_years"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="reportcell",
            index=models.Index(
                fields=["level", "cx", "cy", "month", "category", "status", "ward"],
                include=("n",),
                name="reportcell_key_cover",
            ),
        ),
        RemoveIndexConcurrently(model_name="reportcell", name="reportcell_level_cx_cover"),
        AddIndexConcurrently(
            model_name="reportcelltotal",
            index=models.Index(
                fields=["level", "cx", "cy", "month"],
                include=("n",),
                name="reportcelltotal_key_cover",
            ),
        ),
        RemoveIndexConcurrently(
            model_name="reportcelltotal", name="reportcelltotal_level_cx_cover"
        ),
        AddIndexConcurrently(
            model_name="reportcellyear",
            index=models.Index(
                fields=["level", "cx", "cy", "year"],
                include=("n",),
                name="reportcellyear_key_cover",
            ),
        ),
        RemoveIndexConcurrently(model_name="reportcellyear", name="reportcellyear_level_cx_cover"),
    ]
