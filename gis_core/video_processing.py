"""The worker's side of a clip: transcode the private original, publish the result.

Called by the `transcode_video` task (gis_core.tasks) with the id of a ReportVideo the
report's own transaction created. Idempotent: a clip no longer `processing` (done by an
earlier attempt, or its report deleted) is left alone, so a retried or duplicated job is
harmless. ffmpeg's verdict is final (status `failed`, reason kept for staff, original kept);
anything else (storage, database) is raised so the queue retries it, and the last attempt
records the failure instead of leaving the clip `processing` for ever.
"""

from __future__ import annotations

import logging
import uuid

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from gis_core.models import ReportVideo
from gis_core.photo_redaction import blur_file
from gis_core.video_storage import PUBLIC_VIDEO_DIR
from gis_core.video_transcode import TranscodeError, temporary_workdir, transcode
from gis_core.videos import VideoError

log = logging.getLogger(__name__)


def _fail(video_id: int, reason: str) -> None:
    with transaction.atomic():
        video = ReportVideo.objects.select_for_update().filter(pk=video_id).first()
        if video is None or video.status != ReportVideo.Status.PROCESSING:
            return
        video.status = ReportVideo.Status.FAILED
        video.failure_reason = reason[:2000]
        video.save(update_fields=["status", "failure_reason", "updated_at"])
    log.warning("video %s failed: %s", video_id, reason[:300])


def video_process(video_id: int, *, final_attempt: bool = True) -> str:
    """Transcodes one clip; returns its status afterwards ("ready", "failed", or "missing")."""
    video = ReportVideo.objects.select_related("report").filter(pk=video_id).first()
    if video is None:
        return "missing"
    if video.status != ReportVideo.Status.PROCESSING:
        return video.status
    written: list[str] = []
    try:
        with temporary_workdir() as workdir:
            try:
                result = transcode(video.original.path, workdir, container=_container(video))
            except (TranscodeError, VideoError, KeyError, StopIteration, ValueError) as exc:
                _fail(video_id, f"Không chuyển mã được video: {exc}")
                return ReportVideo.Status.FAILED
            folder = f"{PUBLIC_VIDEO_DIR}/{video.report.public_id}"
            stem = f"{folder}/v{video.position}-{uuid.uuid4().hex[:16]}"
            with open(result.video_path, "rb") as fh:
                video_name = default_storage.save(f"{stem}.mp4", File(fh))
            written.append(video_name)
            # The poster frame is public like a photo: faces and plates blurred first (the
            # clip itself is not; see README, "Privacy before publication").
            blurred = blur_file(str(result.poster_path))
            with open(result.poster_path, "rb") as fh:
                poster_name = default_storage.save(f"{stem}-poster.jpg", File(fh))
            written.append(poster_name)
        with transaction.atomic():
            current = ReportVideo.objects.select_for_update().filter(pk=video_id).first()
            if current is None or current.status != ReportVideo.Status.PROCESSING:
                raise _Superseded
            current.video, current.poster = video_name, poster_name
            current.status = ReportVideo.Status.READY
            current.duration_s = result.duration_s
            current.width, current.height = result.width, result.height
            current.size_bytes = result.size_bytes
            current.failure_reason = ""
            current.save()
        log.info("video %s ready; %s boxes blurred on its poster", video_id, blurred)
        return ReportVideo.Status.READY
    except _Superseded:
        _delete(written)
        return "missing"
    except Exception as exc:
        _delete(written)
        if final_attempt:
            _fail(video_id, f"Lỗi khi lưu video đã chuyển mã: {type(exc).__name__}: {exc}")
        raise


class _Superseded(Exception):
    """The clip changed (or went) while it was being transcoded: drop our output."""


def _delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort; cleanup finds it later
            log.warning("could not delete %s", name)


def _container(video: ReportVideo) -> str | None:
    """The demuxer to force: originals are stored as .mp4 or .webm by what ffprobe found."""
    return "webm" if video.original.name.lower().endswith(".webm") else "mp4"


def videos_requeue(*, video_ids: list[int] | None = None, failed: bool = False) -> list[int]:
    """Puts clips back to `processing` with a fresh transcode job, in one transaction: the
    clips named, or every `failed` one (after the cause, a full disk say, is fixed). A clip
    already `ready` is left alone. Returns the ids re-queued."""
    from gis_core.tasks import transcode_video

    qs = ReportVideo.objects.exclude(status=ReportVideo.Status.READY).exclude(original="")
    if video_ids is not None:
        qs = qs.filter(pk__in=video_ids)
    elif failed:
        qs = qs.filter(status=ReportVideo.Status.FAILED)
    else:
        return []
    with transaction.atomic():
        ids = list(qs.select_for_update().values_list("pk", flat=True))
        ReportVideo.objects.filter(pk__in=ids).update(
            status=ReportVideo.Status.PROCESSING, failure_reason=""
        )
        for video_id in ids:
            transcode_video.defer(video_id=video_id)
    return ids
