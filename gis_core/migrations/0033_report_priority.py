"""Urgent first (issue 11): Report.priority, the categories' default priority and urgent
deadline, the audited PriorityChange, and the queue's sort key `urgent_open` with its index.

Two triggers make it hold on every insert path (the API's ht_report_submit(), Open311, the
admin, the ORM): before insert, a report of a category that defaults to urgent becomes urgent
(a report inserted as urgent stays so); after a report becomes urgent and open (inserted so,
or its priority changed), a `gis_core.notify_urgent` job is deferred in the same transaction
through procrastinate's own SQL function, so the job exists exactly when the row committed.
The bulk importer sets the priority itself (it may switch row triggers off, see
gis_core.bulk_import) and does not notify: an import loads what other systems already handled.
Existing reports stay normal; `an_ninh_trat_tu` (security and public order) defaults to urgent,
due within 4 clock hours.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION ht_report_default_priority() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.priority := coalesce(
        (SELECT c.default_priority FROM gis_core_category c WHERE c.id = NEW.category_id),
        NEW.priority
    );
    RETURN NEW;
END;
$$;

CREATE TRIGGER report_default_priority_ins
    BEFORE INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (NEW.priority IS DISTINCT FROM 'urgent'
          AND current_setting('hientruong.bulk_assigned', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ht_report_default_priority();

CREATE OR REPLACE FUNCTION ht_report_urgent_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
        'notifications', 'gis_core.notify_urgent', 0, NULL, NULL,
        jsonb_build_object('report_id', NEW.id), NULL
    )::procrastinate_job_to_defer_v1]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER report_urgent_notify_ins
    AFTER INSERT ON gis_core_report
    FOR EACH ROW
    WHEN (NEW.urgent_open
          AND current_setting('hientruong.bulk_assigned', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ht_report_urgent_notify();

CREATE TRIGGER report_urgent_notify_upd
    AFTER UPDATE OF priority ON gis_core_report
    FOR EACH ROW
    WHEN (NEW.urgent_open AND OLD.priority IS DISTINCT FROM 'urgent')
    EXECUTE FUNCTION ht_report_urgent_notify();

UPDATE gis_core_category SET default_priority = 'urgent', urgent_deadline_hours = 4
WHERE code = 'an_ninh_trat_tu';
"""

REVERSE = """
DROP TRIGGER IF EXISTS report_urgent_notify_upd ON gis_core_report;
DROP TRIGGER IF EXISTS report_urgent_notify_ins ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_urgent_notify();
DROP TRIGGER IF EXISTS report_default_priority_ins ON gis_core_report;
DROP FUNCTION IF EXISTS ht_report_default_priority();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("gis_core", "0032_board_indexes"),
        ("ward_boundaries", "0004_add_assign_ward_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # procrastinate_defer_jobs_v1() and its job type, which the notify trigger calls.
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [
        migrations.CreateModel(
            name="PriorityChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_priority",
                    models.CharField(
                        choices=[("urgent", "Khẩn"), ("normal", "Thường")], max_length=10
                    ),
                ),
                (
                    "to_priority",
                    models.CharField(
                        choices=[("urgent", "Khẩn"), ("normal", "Thường")], max_length=10
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["report_id", "created_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="category",
            name="default_priority",
            field=models.CharField(
                choices=[("urgent", "Khẩn"), ("normal", "Thường")],
                db_default="normal",
                default="normal",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="urgent_deadline_hours",
            field=models.PositiveIntegerField(db_default=8, default=8),
        ),
        migrations.AddField(
            model_name="report",
            name="priority",
            field=models.CharField(
                choices=[("urgent", "Khẩn"), ("normal", "Thường")],
                db_default="normal",
                default="normal",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="prioritychange",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="prioritychange",
            name="report",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="priority_changes",
                to="gis_core.report",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="urgent_open",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(
                            ("priority", "urgent"),
                            models.Q(("status__in", ["resolved", "rejected"]), _negated=True),
                        ),
                        then=models.Value(True),
                    ),
                    default=models.Value(False),
                    output_field=models.BooleanField(),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["urgent_open", "reported_at", "id"], name="report_queue_order_idx"
            ),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
    ]
