"""The file fields of the report endpoints and their limits, checked while the body streams.

Read from settings per request (tests and deployments change them). The messages are the
photo and clip rules' own; sizes are given as the limit, since a file refused while streaming
was never read to its end.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from common.humanize import human_size
from common.uploads import FileLimit, UploadLimits


def _photo_limit() -> FileLimit:
    count, max_bytes = settings.PHOTO_MAX_COUNT, settings.PHOTO_MAX_BYTES
    return FileLimit(
        count=count,
        max_bytes=max_bytes,
        too_many=lambda n: (
            _("Chỉ nhận tối đa %(max)s ảnh; đã dừng ở ảnh thứ %(n)s.") % {"max": count, "n": n}
        ),
        too_large=lambda name: (
            _("“%(name)s”: ảnh lớn hơn giới hạn %(limit)s.")
            % {"name": name, "limit": human_size(max_bytes)}
        ),
    )


def _video_limit() -> FileLimit:
    count, max_bytes = settings.VIDEO_MAX_COUNT, settings.VIDEO_MAX_BYTES
    return FileLimit(
        count=count,
        max_bytes=max_bytes,
        too_many=lambda n: (
            _("Mỗi phản ánh có tối đa %(max)s video; đã dừng ở video thứ %(n)s.")
            % {"max": count, "n": n}
        ),
        too_large=lambda name: (
            _("Video “%(name)s” lớn hơn %(max)s, mức tối đa mỗi video.")
            % {"name": name, "max": human_size(max_bytes)}
        ),
    )


def report_uploads() -> UploadLimits:
    """POST /api/v1/reports/: photos and clips."""
    return UploadLimits(files={"photos": _photo_limit(), "videos": _video_limit()})


def photo_uploads(field: str) -> UploadLimits:
    """Photos only, under `field`: a staff answer ("photos"), an Open311 request ("media")."""
    return UploadLimits(files={field: _photo_limit()})


def staff_answer_uploads() -> UploadLimits:
    return photo_uploads("photos")


def open311_uploads() -> UploadLimits:
    return photo_uploads("media")
