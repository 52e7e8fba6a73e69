"""The staff queue's page for one ward and a status, newest first, read from one index.

(ward, status) alone made the page fetch and sort every report of the ward in that status:
16 ms at 1M reports, 227 ms at 10M (230,667 resolved reports in one ward, benchmarks/
bench_lifecycle.py). With reported_at and id after them the newest 50 are read in order.
Built and dropped CONCURRENTLY, so a deployment with millions of reports keeps taking
submissions while it runs (hence atomic = False).
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("gis_core", "0042_photo_redaction"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="report",
            index=models.Index(
                fields=["ward", "status", "reported_at", "id"], name="report_ward_status_time_idx"
            ),
        ),
        RemoveIndexConcurrently(model_name="report", name="report_ward_status_idx"),
    ]
