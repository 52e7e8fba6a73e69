"""Staff only: the original of a clip, as the citizen uploaded it (GPS, device and all), and
the unblurred original of a photo.

A clip that failed transcoding is kept for staff with its reason (gis_core.video_processing);
this is how they look at it. Scoped like every staff page (a report outside the user's scope
is a 404), sent as a download (never rendered inline) and never cached.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from gis_core.models import ReportPhoto, ReportVideo
from web_map.staff import reports_in_scope
from web_map.staff_shell import staff_required


@require_safe
@staff_required
def staff_video_original(request: HttpRequest, public_id, video_id: int) -> FileResponse:
    report = reports_in_scope(request.user).filter(public_id=public_id).first()
    video = ReportVideo.objects.filter(pk=video_id, report_id=report.pk).first() if report else None
    if report is None or video is None or not video.original:
        raise Http404("Không có video này trong phạm vi của bạn.")
    try:
        handle = video.original.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp gốc của video không còn.") from None
    extension = video.original.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"video-{report.public_id}-{video.position + 1}.{extension}",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@staff_required
def staff_photo_original(request: HttpRequest, public_id, photo_id: int) -> FileResponse:
    """The unblurred original of a photo, for the redaction editor on the staff report page:
    shown inline (it is a re-encoded image with no metadata, checked at upload), never cached,
    and a 404 outside the user's scope."""
    report = reports_in_scope(request.user).filter(public_id=public_id).first()
    photo = ReportPhoto.objects.filter(pk=photo_id, report_id=report.pk).first() if report else None
    if report is None or photo is None or not photo.original:
        raise Http404("Không có ảnh này trong phạm vi của bạn.")
    try:
        handle = photo.original.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp gốc của ảnh không còn.") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
