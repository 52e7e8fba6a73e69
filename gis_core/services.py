"""Writes of the report domain. Every write that matters is one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gis_core.models import Category, Report, ReportPhoto, ReportSource
from gis_core.photos import PhotoError, ProcessedPhoto, process_photo
from gis_core.srid import WGS84
from gis_core.validation import FieldErrors, validate_lon_lat

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class UploadedPhoto:
    name: str
    data: bytes


def _category(code: object, errors: dict[str, list[str]]) -> Category | None:
    if code in (None, ""):
        errors.setdefault("category", []).append("This field is required.")
        return None
    category = Category.objects.filter(code=str(code), is_active=True).first()
    if category is None:
        valid = ", ".join(Category.objects.filter(is_active=True).values_list("code", flat=True))
        errors.setdefault("category", []).append(
            f"Unknown category {str(code)!r}. Valid codes: {valid}."
        )
    return category


def _description(text: object, errors: dict[str, list[str]]) -> str:
    value = "" if text is None else str(text).strip()
    limit = settings.REPORT_DESCRIPTION_MAX_CHARS
    if not value:
        errors.setdefault("description", []).append("This field is required.")
    elif len(value) > limit:
        errors.setdefault("description", []).append(
            f"{len(value):,} characters is more than the limit of {limit:,}."
        )
    if "\x00" in value:
        errors.setdefault("description", []).append("Contains a NUL character.")
    return value


def _photos(photos: Sequence[UploadedPhoto], errors: dict[str, list[str]]) -> list[ProcessedPhoto]:
    if len(photos) > settings.PHOTO_MAX_COUNT:
        errors.setdefault("photos", []).append(
            f"{len(photos)} photos sent; at most {settings.PHOTO_MAX_COUNT} are accepted."
        )
        return []
    processed = []
    for photo in photos:
        try:
            processed.append(process_photo(photo.data, name=photo.name))
        except PhotoError as exc:
            errors.setdefault("photos", []).append(str(exc))
    return processed


def _save_photos(report: Report, photos: list[ProcessedPhoto], written: list[str]) -> None:
    for position, photo in enumerate(photos):
        stem = f"{position}-{photo.sha256[:16]}"
        image_name = default_storage.save(
            f"reports/{report.public_id}/{stem}.{photo.extension}", ContentFile(photo.content)
        )
        written.append(image_name)
        thumb_name = default_storage.save(
            f"reports/{report.public_id}/{stem}-thumb.{photo.extension}",
            ContentFile(photo.thumbnail),
        )
        written.append(thumb_name)
        ReportPhoto.objects.create(
            report=report,
            position=position,
            image=image_name,
            thumbnail=thumb_name,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size_bytes=len(photo.content),
            sha256=photo.sha256,
        )


def report_submit(
    *,
    category: object,
    description: object,
    lon: object = None,
    lat: object = None,
    photos: Sequence[UploadedPhoto] = (),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    idempotency_key: str | None = None,
    reported_at: dt.datetime | None = None,
    source: str = ReportSource.API,
) -> tuple[Report, bool]:
    """Validates and stores a report; returns (report, created).

    A repeated `idempotency_key` returns the first report and stores nothing, even when two
    submissions race. Without coordinates the location comes from the first photo's EXIF GPS.
    Raises FieldErrors naming each bad field; nothing is stored then.
    """
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise FieldErrors({"idempotency_key": [f"At most {IDEMPOTENCY_KEY_MAX} characters."]})
        existing = Report.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing, False

    errors: dict[str, list[str]] = {}
    category_obj = _category(category, errors)
    text = _description(description, errors)
    processed = _photos(photos, errors)
    no_coordinates = lon in (None, "") and lat in (None, "")
    point: tuple[float, float] | None = None
    if no_coordinates and processed and processed[0].gps:
        point = processed[0].gps
    elif no_coordinates and not errors.get("photos"):
        message = "This field is required (or send a photo with GPS in its EXIF)."
        errors.setdefault("lon", []).append(message)
        errors.setdefault("lat", []).append(message)
    elif not no_coordinates:
        try:
            point = validate_lon_lat(lon, lat)
        except FieldErrors as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(field, []).extend(messages)
    if len(contact_phone or "") > 30:
        errors.setdefault("contact_phone", []).append("At most 30 characters.")
    if errors:
        raise FieldErrors(errors)

    written: list[str] = []
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        category=category_obj,
                        description=text,
                        location=Point(point[0], point[1], srid=WGS84),
                        contact_name=(contact_name or "")[:120],
                        contact_phone=contact_phone or "",
                        contact_email=contact_email or "",
                        idempotency_key=key,
                        reported_at=reported_at or timezone.now(),
                        source=source,
                    )
            except IntegrityError:
                # Lost a race with the same idempotency key: the winner's report is the answer.
                if key is not None:
                    existing = Report.objects.filter(idempotency_key=key).first()
                    if existing is not None:
                        return existing, False
                raise
            _save_photos(report, processed, written)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    report.refresh_from_db(fields=["ward", "ward_match", "ward_distance_m"])
    return report, True


def reports_reassign_wards(
    *,
    version_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> tuple[int, int]:
    """Re-decides the ward of every report (in a time window) in one set-based statement.

    With `version_id` the reports get that version's wards whatever their date (a named
    version wins, as in the lookup API). Returns (reports examined, reports whose ward changed).
    """
    # Raw because it is one set-based UPDATE through the same SQL function as the trigger;
    # the ORM would need a query per report.
    sql = """
        WITH decided AS (
            SELECT r.id, r.ward_id AS old_ward_id, a.ward_id,
                   coalesce(a.match, 'outside') AS match, a.distance_m
            FROM gis_core_report r
            LEFT JOIN LATERAL ht_ward_for_point(
                r.location, (r.reported_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, %(version)s
            ) a ON true
            WHERE (%(since)s::timestamptz IS NULL OR r.reported_at >= %(since)s::timestamptz)
              AND (%(until)s::timestamptz IS NULL OR r.reported_at < %(until)s::timestamptz)
        ), changed AS (
            UPDATE gis_core_report r
            SET ward_id = d.ward_id, ward_match = d.match, ward_distance_m = d.distance_m
            FROM decided d
            WHERE r.id = d.id
              AND (r.ward_id IS DISTINCT FROM d.ward_id
                   OR r.ward_match IS DISTINCT FROM d.match
                   OR r.ward_distance_m IS DISTINCT FROM d.distance_m)
            RETURNING d.old_ward_id IS DISTINCT FROM d.ward_id AS ward_changed
        )
        SELECT (SELECT count(*) FROM decided), count(*) FILTER (WHERE ward_changed) FROM changed
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"version": version_id, "since": since, "until": until})
        examined, changed = cursor.fetchone()
    return int(examined), int(changed)
