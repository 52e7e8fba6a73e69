"""Background tasks of the layers app (procrastinate; discovered as `<app>.tasks`, see
config/settings/video.py and docs/task-queue.md). Thin wrappers: the work is elsewhere."""

from __future__ import annotations

from procrastinate.contrib.django import app


@app.periodic(cron="17 * * * *", periodic_id="notify_place_alerts")
@app.task(queue="notifications", name="layers.notify_place_alerts", queueing_lock="place_alerts")
def notify_place_alerts(timestamp: int) -> int:
    """Every hour: e-mails the tourism office about places over the report threshold
    (layers.places.alerts); returns how many places were alerted."""
    from layers.places.alerts import notify_place_alerts as run

    return run().sent
