"""The operations centre's board (gis_core.board): an index on updated_at, so its poll learns
whether any report changed in one index lookup, and a partial index over the rows it counts
(open reports, and resolved ones waiting for review), which the counts read index-only.

The partial index's condition is gis_core.models.reports.BOARD_ROWS, as the query writes it,
so the planner can prove the query inside it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0031_consent_channel_email"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["updated_at"], name="report_updated_at_idx"),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status__in", ("resolved", "rejected")), _negated=True),
                    models.Q(("needs_review", True), ("status", "resolved")),
                    _connector="OR",
                ),
                fields=["agency", "ward"],
                include=("status", "due_at", "needs_review"),
                name="report_board_idx",
            ),
        ),
    ]
