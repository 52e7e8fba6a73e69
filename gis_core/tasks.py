"""Background tasks (procrastinate, on the project's PostgreSQL; see docs/task-queue.md).

Each task is a thin wrapper: the work lives in a module of its own, so it can be called and
tested without the queue. Jobs are deferred inside the transaction that makes them needed
(`transcode_video.defer(video_id=...)` in services.report_submit), so a job exists exactly
when its report committed. Run the worker with `manage.py procrastinate worker`.
"""

from __future__ import annotations

import logging

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

log = logging.getLogger(__name__)

VIDEO_QUEUE = "videos"
VIDEO_MAX_ATTEMPTS = 3


@app.task(
    queue=VIDEO_QUEUE,
    name="gis_core.transcode_video",
    pass_context=True,
    # ffmpeg's failures are final (the clip is marked failed); these retries are for the
    # rest: storage full or unreachable, the database restarting.
    retry=RetryStrategy(max_attempts=VIDEO_MAX_ATTEMPTS - 1, exponential_wait=10),
)
def transcode_video(context, video_id: int) -> str:
    """Transcodes clip `video_id` (a ReportVideo) to the public MP4 and poster."""
    from gis_core.video_processing import video_process

    attempt = context.job.attempts + 1  # attempts already made before this one
    return video_process(video_id, final_attempt=attempt >= VIDEO_MAX_ATTEMPTS)


PHOTO_QUEUE = "photos"


@app.task(
    queue=PHOTO_QUEUE,
    name="gis_core.redact_photo",
    # Detection and blurring are deterministic; retries are for storage and the database.
    # A photo still pending after them stays private (staff can publish it by hand).
    retry=RetryStrategy(max_attempts=3, exponential_wait=10),
)
def redact_photo(photo_id: int) -> str:
    """Blurs faces and plates of photo `photo_id` (a ReportPhoto) and publishes it."""
    from gis_core.photo_redaction import photo_redact

    return photo_redact(photo_id)


@app.task(
    queue="notifications",
    name="gis_core.send_receipt",
    # A gateway that is down for a while: retried for about an hour, then left for staff.
    retry=RetryStrategy(max_attempts=8, exponential_wait=5),
)
def send_receipt(report_id: int) -> None:
    """The receipt SMS/e-mail of report `report_id` (its reference and public link)."""
    from gis_core.models import Report
    from gis_core.notifications import notify_receipt

    report = Report.objects.select_related("category").filter(pk=report_id).first()
    if report is not None:
        notify_receipt(report)


@app.periodic(cron="*/5 * * * *", periodic_id="retry_stalled_jobs")
@app.task(queue="maintenance", name="gis_core.retry_stalled_jobs", queueing_lock="stalled")
async def retry_stalled_jobs(timestamp: int) -> int:
    """Puts back in the queue jobs whose worker died mid-job (no heartbeat for 30 s)."""
    stalled = await app.job_manager.get_stalled_jobs()
    for job in stalled:
        log.warning("retrying stalled job %s (%s)", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(list(stalled))


@app.task(
    queue="notifications",
    name="gis_core.notify_urgent",
    retry=RetryStrategy(max_attempts=8, exponential_wait=5),
)
def notify_urgent(report_id: int) -> int:
    """The immediate e-mail about urgent report `report_id` (deferred by a database trigger,
    gis_core 0029, when a report becomes urgent and open)."""
    from gis_core.urgent_notifications import notify_urgent as send

    return send(report_id)


# 02:30 in Vietnam (the queue's cron is in UTC): after the day's reports, before the morning.
@app.periodic(cron="30 19 * * *", periodic_id="train_category_model")
@app.task(queue="analysis", name="gis_core.train_category_model", queueing_lock="train_category")
def train_category_model(timestamp: int) -> int | None:
    """Every night: trains the category classifier, kept only if not worse
    (gis_core.category_training); returns the new model's id, None if there was nothing to
    learn from yet."""
    from gis_core.category_training import TrainingError
    from gis_core.category_training import train_category_model as run

    try:
        return run().pk
    except TrainingError as error:
        log.warning("category model not trained: %s", error)
        return None


@app.periodic(cron="* * * * *", periodic_id="fill_category_suggestions")
@app.task(queue="maintenance", name="gis_core.fill_suggestions", queueing_lock="suggestions")
def fill_category_suggestions(timestamp: int) -> int:
    """Every minute: the suggested category of new reports (gis_core.category_suggestions),
    off the submission's path; returns how many reports got one."""
    from gis_core.category_suggestions import fill_suggestions

    return fill_suggestions()
