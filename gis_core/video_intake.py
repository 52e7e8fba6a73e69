"""The request's side of a clip: check it, keep the original privately, queue the transcode.

report_submit (gis_core.services) calls `videos_check` with the other validations, before
anything is written, and `videos_save` inside the report's transaction: the private
original, the ReportVideo row and the procrastinate job commit together, so a job exists
exactly when its report does, and a refused or rolled-back report leaves no clip behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_core.models import ReportVideo
from gis_core.video_storage import ORIGINAL_DIR, private_storage
from gis_core.videos import ProbedVideo, VideoError, check_size, probe_video, upload_path


@dataclass(frozen=True)
class UploadedVideo:
    """An uploaded clip: a Django UploadedFile (on disk above FILE_UPLOAD_MAX_MEMORY_SIZE),
    or any File. Never read into memory whole."""

    name: str
    size: int
    file: Any

    @classmethod
    def from_upload(cls, upload, number: int) -> UploadedVideo:
        name = (upload.name or "").strip()[:80] or _("video %(n)s") % {"n": number}
        return cls(name=name, size=upload.size, file=upload)


@dataclass(frozen=True)
class CheckedVideo:
    upload: UploadedVideo
    probe: ProbedVideo

    @property
    def gps(self) -> tuple[float, float] | None:
        return self.probe.gps


def videos_check(
    videos: Sequence[UploadedVideo], errors: dict[str, list[str]]
) -> list[CheckedVideo]:
    """Probes every clip; refusals go to errors["videos"], one sentence per problem."""
    limit = settings.VIDEO_MAX_COUNT
    if len(videos) > limit:
        errors.setdefault("videos", []).append(
            ngettext(
                "Đã gửi %(n)s video; mỗi phản ánh có tối đa %(max)s video.",
                "Đã gửi %(n)s video; mỗi phản ánh có tối đa %(max)s video.",
                len(videos),
            )
            % {"n": len(videos), "max": limit}
        )
        return []
    checked = []
    for video in videos:
        try:
            check_size(name=video.name, size_bytes=video.size)  # before a byte is copied
            with upload_path(video.file) as path:
                probe = probe_video(path, name=video.name, size_bytes=video.size)
            checked.append(CheckedVideo(video, probe))
        except VideoError as exc:
            errors.setdefault("videos", []).append(str(exc))
    return checked


def videos_save(
    report_id: int, public_id, checked: Sequence[CheckedVideo], written: list[str]
) -> list[ReportVideo]:
    """Inside the caller's transaction: originals to private storage (names appended to
    `written`, private storage, for the caller to delete if the transaction fails), the rows,
    and one transcode job per clip, deferred on the same connection and transaction."""
    from gis_core.tasks import transcode_video

    storage = private_storage()
    saved = []
    for position, item in enumerate(checked):
        clip = item.probe
        stem = f"{ORIGINAL_DIR}/{public_id}/v{position}-{uuid.uuid4().hex[:16]}"
        item.upload.file.seek(0)
        name = storage.save(f"{stem}.{clip.container}", File(item.upload.file))
        written.append(name)
        video = ReportVideo.objects.create(
            report_id=report_id,
            position=position,
            original=name,
            original_name=clip.name[:255],
            original_size_bytes=clip.size_bytes,
            duration_s=clip.duration_s,
            width=clip.width,
            height=clip.height,
        )
        transcode_video.defer(video_id=video.pk)
        saved.append(video)
    return saved


def delete_private(names: Sequence[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)
