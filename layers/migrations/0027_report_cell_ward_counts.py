"""The report counts of a few wards read from their own cells, not from every ward's.

The public maps' ward list carries each ward's counts by status (the ward card); with the
whole country's boundaries in force they ask for the wards of the provinces in view only,
but summing the coarsest cells of a few wards still read every row of that level through
the cell key's index (its ward comes last): 44,643 rows at 1M reports in Móng Cái, millions
at 10M over the country. A partial index on (ward, status) of the coarsest level, the sums
included, reads a province's rows alone. Built CONCURRENTLY, so the report writes whose
triggers append cells go on meanwhile (hence atomic = False).
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("layers", "0026_hotspot_snapshot_province"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="reportcell",
            index=models.Index(
                fields=["ward", "status"],
                include=("n",),
                condition=models.Q(level=13),
                name="reportcell_ward_counts",
            ),
        ),
    ]
