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


# Monday 02:30 in Vietnam (UTC+7) is Sunday 19:30 UTC: procrastinate reads cron in UTC. The
# week just ended is complete, and the planners' Monday starts with the new forecast.
@app.periodic(cron="30 19 * * 0", periodic_id="compute_forecasts")
@app.task(queue="analysis", name="layers.compute_forecasts", queueing_lock="forecasts")
def compute_forecasts(timestamp: int) -> int:
    """Every week: the forecasts, their backtest and the week's alerts (layers.forecasts);
    returns how many series were forecast."""
    from layers.forecasts import compute_forecasts as run

    return run().series
