"""Staff only: the original of a clip, as the citizen uploaded it (GPS, device and all), and
the unblurred original of a photo.

A clip that failed transcoding is kept for staff with its reason (gis_core.video_processing);
this is how they look at it. Scoped like every staff page (a report outside the user's scope
is a 404), sent as a download (never rendered inline) and never cached.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_core.models import ReportPhoto, ReportVideo
from web_map.staff import reports_in_scope
from web_map.staff_shell import staff_required


def _original(request: HttpRequest, public_id, model, pk: int, missing: str, gone: str):
    """(report, media row, open file) of a photo's or clip's private original in the user's
    scope; a 404 saying which when it is not there."""
    report = reports_in_scope(request.user).filter(public_id=public_id).first()
    row = model.objects.filter(pk=pk, report_id=report.pk).first() if report else None
    if report is None or row is None or not row.original:
        raise Http404(missing)
    try:
        return report, row, row.original.open("rb")
    except FileNotFoundError:
        raise Http404(gone) from None


def _private(response: FileResponse) -> FileResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@staff_required
def staff_video_original(request: HttpRequest, public_id, video_id: int) -> FileResponse:
    report, video, handle = _original(
        request,
        public_id,
        ReportVideo,
        video_id,
        _("Không có video này trong phạm vi của bạn."),
        _("Tệp gốc của video không còn."),
    )
    extension = video.original.name.rsplit(".", 1)[-1]
    return _private(
        FileResponse(
            handle,
            as_attachment=True,
            filename=f"video-{report.public_id}-{video.position + 1}.{extension}",
            content_type="application/octet-stream",
        )
    )


@require_safe
@staff_required
def staff_photo_original(request: HttpRequest, public_id, photo_id: int) -> FileResponse:
    """The unblurred original of a photo, for the redaction editor on the staff report page:
    shown inline (it is a re-encoded image with no metadata, checked at upload), never cached,
    and a 404 outside the user's scope."""
    _report, photo, handle = _original(
        request,
        public_id,
        ReportPhoto,
        photo_id,
        _("Không có ảnh này trong phạm vi của bạn."),
        _("Tệp gốc của ảnh không còn."),
    )
    response = _private(FileResponse(handle, content_type=photo.content_type))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
