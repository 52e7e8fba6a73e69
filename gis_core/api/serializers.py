"""Public representations. Hand-built GeoJSON (RFC 7946) for speed; never contact data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from common.api.fields import (
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictUUIDField,
)
from common.api.serializers import StrictSerializer
from gis_core.duplicate_score import TEXT_MAX_CHARS as DUPLICATE_TEXT_MAX_CHARS
from gis_core.models import Category, RatingValue, Report, ReportStatus
from gis_core.references import format_reference
from gis_core.selectors import is_overdue

STATUS_LABELS = dict(ReportStatus.choices)
RATING_LABELS = dict(RatingValue.choices)


def category_data(category: Category) -> dict[str, str]:
    """A category's code and names; a blank name_zh (not yet translated) reads as name_vi
    to the clients (common.localized's rule)."""
    return {
        "code": category.code,
        "name_vi": category.name_vi,
        "name_en": category.name_en,
        "name_zh": category.name_zh,
    }


def _category_name_zh(row: dict[str, Any]) -> str:
    # ht_report_submit() returns the Vietnamese and English names only; one indexed read
    # rather than a new definition of that SQL function for a column most rows leave blank.
    if "name_zh" in row:
        return row["name_zh"] or ""
    return (
        Category.objects.filter(pk=row["category_id"]).values_list("name_zh", flat=True).first()
        or ""
    )


def photo_data(photos, request=None) -> list[dict[str, Any]]:
    """The published photos (ReportPhoto.is_public): one still pending its blur is left out."""
    result = []
    for photo in photos:
        if not photo.is_public:
            continue
        url, thumb = photo.image.url, photo.thumbnail.url
        if request is not None:
            url, thumb = request.build_absolute_uri(url), request.build_absolute_uri(thumb)
        result.append(
            {"url": url, "thumbnail_url": thumb, "width": photo.width, "height": photo.height}
        )
    return result


def video_data(videos, request=None) -> list[dict[str, Any]]:
    """Clips as the public sees them: the transcoded file and poster once ready, nothing
    before (url and poster_url null); never the original or a failure reason."""
    result = []
    for video in videos:
        url = poster = None
        if video.status == "ready" and video.video and video.poster:
            url, poster = video.video.url, video.poster.url
            if request is not None:
                url, poster = request.build_absolute_uri(url), request.build_absolute_uri(poster)
        result.append(
            {
                "url": url,
                "poster_url": poster,
                "duration_s": round(video.duration_s, 1) if video.duration_s else None,
                "status": video.status,
            }
        )
    return result


def feature(
    *,
    public_id,
    x: float,
    y: float,
    category: dict[str, str],
    description: str,
    status: str,
    ward: dict[str, str] | None,
    ward_match: str,
    ward_distance_m: float | None,
    reported_at,
    photos: list[dict[str, Any]],
    answer: str = "",
    resolved_at=None,
    rejection_reason: str = "",
    agency: dict[str, str] | None = None,
    due_at=None,
    rating: str | None = None,
    answer_photos: list[dict[str, Any]] | None = None,
    reference: str = "",
    videos: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The GeoJSON Feature of a report: the only shape any public endpoint gives a report."""
    return {
        "type": "Feature",
        "id": str(public_id),
        "geometry": {"type": "Point", "coordinates": [round(x, 7), round(y, 7)]},
        "properties": {
            "id": str(public_id),
            "reference": reference,
            "category": category,
            "description": description,
            "status": status,
            "status_label": str(STATUS_LABELS.get(status, status)),
            "ward": ward,
            "ward_match": ward_match,
            "ward_distance_m": round(ward_distance_m, 1) if ward_distance_m is not None else None,
            "reported_at": reported_at.isoformat(),
            "photos": photos,
            "videos": videos or [],
            "answer": answer,
            "answer_photos": answer_photos or [],
            "resolved_at": resolved_at.isoformat() if resolved_at else None,
            "rejection_reason": rejection_reason,
            "agency": agency,
            "due_at": due_at.isoformat() if due_at else None,
            "overdue": is_overdue(status, due_at),
            "rating": {"value": rating, "label": str(RATING_LABELS[rating])} if rating else None,
        },
    }


def report_feature(report: Report, request=None) -> dict[str, Any]:
    """A stored report (category, ward and photos loaded) as its Feature."""
    ward = report.ward
    return feature(
        public_id=report.public_id,
        x=report.location.x,
        y=report.location.y,
        category=category_data(report.category),
        description=report.description,
        status=report.status,
        ward=(
            {
                "code": ward.code,
                "name": ward.name,
                "full_name": ward.full_name,
                "unit_type": ward.unit_type,
                "version": ward.version.name,
            }
            if ward is not None
            else None
        ),
        ward_match=report.ward_match,
        ward_distance_m=report.ward_distance_m,
        reported_at=report.reported_at,
        photos=photo_data([p for p in report.photos.all() if p.kind != "answer"], request),
        answer_photos=photo_data([p for p in report.photos.all() if p.kind == "answer"], request),
        answer=report.answer,
        resolved_at=report.resolved_at,
        rejection_reason=report.rejection_reason,
        agency=(
            {"code": report.agency.code, "name": report.agency.name} if report.agency else None
        ),
        due_at=report.due_at,
        rating=_rating_value(report),
        reference=format_reference(report.reference_month, report.reference_number),
        videos=video_data(report.videos.all(), request),
    )


def _rating_value(report: Report) -> str | None:
    try:
        return report.rating.value
    except ObjectDoesNotExist:
        return None


def report_history(report: Report) -> list[dict[str, Any]]:
    """The public status history: dates, statuses and public notes; never who or internal notes."""
    return [
        {
            "from_status": t.from_status,
            "status": t.to_status,
            "status_label": str(STATUS_LABELS.get(t.to_status, t.to_status)),
            "at": t.created_at.isoformat(),
            "note": t.public_note,
        }
        for t in report.transitions.all()
    ]


def submitted_feature(row: dict[str, Any], photos, request=None, videos=()) -> dict[str, Any]:
    """A report just stored, from the row ht_report_submit() returned (no further query)."""
    return feature(
        public_id=row["public_id"],
        x=row["x"],
        y=row["y"],
        category={
            "code": row["category_code"],
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "name_zh": _category_name_zh(row),
        },
        description=row["description"],
        status=row["status"],
        ward=(
            {
                "code": row["ward_code"],
                "name": row["ward_name"],
                "full_name": row["full_name"],
                "version": row["version_name"],
            }
            if row["ward_id"] is not None
            else None
        ),
        ward_match=row["ward_match"],
        ward_distance_m=row["ward_distance_m"],
        reported_at=row["reported_at"],
        photos=photo_data(photos, request),
        reference=format_reference(row["reference_month"], row["reference_number"]),
        videos=video_data(videos, request),
    )


class CategorySerializer(serializers.Serializer):
    """Output only (documents the category list); never reads input."""

    code = serializers.CharField()
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField(help_text="Simplified Chinese; blank: show name_vi")
    for_places = serializers.BooleanField(
        help_text="A tourism category: offered first on a report filed from a place"
    )


class DuplicatesQuerySerializer(StrictSerializer):
    """The possible-duplicates check's optional description (lon, lat and category are read
    as the other map queries read them). Bounded: the score reads at most this much."""

    text = StrictCharField(required=False, allow_blank=True, max_length=DUPLICATE_TEXT_MAX_CHARS)


def _text(**kwargs: Any) -> StrictCharField:
    """An optional text field whose blank and null the service judges, with its messages."""
    kwargs.setdefault("required", False)
    return StrictCharField(allow_blank=True, allow_null=True, **kwargs)


class ReportCreateSerializer(StrictSerializer):
    """The POST body (JSON or multipart). Read with partial=True: it checks each field's type;
    report_submit then checks what the values say (required, lengths, the point)."""

    category = _text(required=True, help_text="Category code, e.g. moi_truong")
    description = _text(
        required=True, help_text="At most REPORT_DESCRIPTION_MAX_CHARS characters (4000)"
    )
    lon = StrictFloatField(
        required=False, allow_null=True, help_text="WGS84 longitude; optional with a GPS photo"
    )
    lat = StrictFloatField(required=False, allow_null=True, help_text="WGS84 latitude")
    contact = _text(help_text="Phone or e-mail; private")
    contact_name = _text()
    contact_phone = _text()
    contact_email = _text()
    consent_notice_version = _text(
        help_text="Required with any contact field: the privacy notice version shown "
        "(GET /api/v1/privacy-notice/)",
    )
    idempotency_key = _text(
        max_length=100,
        help_text="Makes a retry safe: the same key with the same body from the same client "
        "returns the first report (200); with a different body, 409",
    )
    device_id = _text(
        max_length=64,
        help_text="A random id the client keeps (with its outbox): scopes idempotency_key",
    )
    # A field named like Field.source: DRF's metaclass takes it out of the class attributes.
    source = _text(help_text="web for the city's own map")  # type: ignore[assignment]
    photos = serializers.ListField(child=serializers.FileField(), required=False)
    videos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="At most 2 clips (MP4, MOV, WebM), 60 s and 100 MB each by default",
    )


class StaffReportCreateSerializer(StrictSerializer):
    """A report staff enter for a caller, visitor or letter (POST /api/v1/staff/reports/);
    staff_report_create checks what the values say, with report_submit's rules."""

    channel = _text(required=True, help_text="hotline, walk_in, letter, email or zalo")
    category = _text(required=True, help_text="Category code, e.g. moi_truong")
    description = _text(required=True, help_text="At most REPORT_DESCRIPTION_MAX_CHARS (4000)")
    lon = StrictFloatField(required=False, allow_null=True, help_text="WGS84 longitude")
    lat = StrictFloatField(required=False, allow_null=True, help_text="WGS84 latitude")
    contact_name = _text(help_text="The sender's; private")
    contact_phone = _text()
    contact_email = _text()
    consent_notice_version = _text(
        help_text="Required with any contact field: the privacy notice version read to the "
        "sender (GET /api/v1/privacy-notice/)",
    )
    idempotency_key = _text(
        max_length=100, help_text="Makes a retry safe, per staff member (as for reports/)"
    )
    language = _text(
        help_text="The sender's language for their receipt and status messages: vi (the "
        "default), en or zh-hans",
    )


class RatingSerializer(StrictSerializer):
    value = _text(required=True, help_text="satisfied, acceptable or dissatisfied")
    comment = _text()


class LoginCodeSerializer(StrictSerializer):
    phone = _text(required=True)


class LoginSerializer(StrictSerializer):
    phone = _text(required=True)
    code = _text(required=True)


class TransitionSerializer(StrictSerializer):
    from_status = _text(required=True)
    to_status = _text(required=True)
    note = _text()
    public_note = _text()
    reason = _text()
    answer = _text()
    photos = serializers.ListField(child=serializers.FileField(), required=False)


class RerouteSerializer(StrictSerializer):
    agency = StrictIntegerField(help_text="The agency's id")
    reason = _text(required=True)


class RecategoriseSerializer(StrictSerializer):
    category = _text(required=True, help_text="The new category's code")
    reason = _text()


class MergeSerializer(StrictSerializer):
    into = StrictUUIDField(help_text="The surviving report's id")


class PrioritySerializer(StrictSerializer):
    priority = _text(required=True, help_text="urgent or normal")
    reason = _text()
