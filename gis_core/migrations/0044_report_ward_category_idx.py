"""A ward officer's queue with a category chosen and no status, read from one index.

Without it the page intersected the ward's reports (346,690 at 10M reports, benchmarks/
bench_lifecycle.py) with the category's (2.2M) and sorted them, 2-4 s, and its "1000+" count
did the same. With (ward, category) first and the queue's order after them (urgent open
reports, then newest), the page reads its 50 rows in order and the count reads the index
alone. Built CONCURRENTLY, so submissions go on while it builds (hence atomic = False).
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("gis_core", "0043_report_ward_status_time_idx"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="report",
            index=models.Index(
                fields=["ward", "category", "urgent_open", "reported_at", "id"],
                name="report_ward_category_idx",
            ),
        ),
    ]
