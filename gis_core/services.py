"""Writes of the report domain. Every write that matters is one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.field_crypto import encrypt_text, phone_hash
from common.local_time import LOCAL_TIME_ZONE, local_today
from common.report_rules import (
    contact_check,
    description_problems,
    stored_phone,
    unknown_category_message,
)
from common.strict_types import TypeProblem, parse_decimal
from common.validation import FieldErrors, validate_lon_lat
from gis_core.idempotency import IdempotencyConflict, fingerprint, scope_hash
from gis_core.languages import language_codes, report_language
from gis_core.models import (
    STAFF_CHANNELS,
    Category,
    ConsentChannel,
    ContactConsent,
    Report,
    ReportChannel,
    ReportPhoto,
    ReportSource,
)
from gis_core.photo_storage import PHOTO_ORIGINAL_DIR, check_media_quota
from gis_core.photos import PhotoError, ProcessedPhoto, process_photo
from gis_core.privacy_notice import consent_version_check, has_contact
from gis_core.signals import reports_written
from gis_core.staff import entry_ward_ids
from gis_core.video_intake import (
    CheckedVideo,
    UploadedVideo,
    delete_private,
    videos_check,
    videos_save,
)
from gis_core.video_storage import private_storage
from ward_boundaries.distance_rule import far_from_wards_message, point_near_wards
from ward_boundaries.selectors import ward_for_point

IDEMPOTENCY_KEY_MAX = 100


@dataclass(frozen=True)
class UploadedPhoto:
    name: str
    data: bytes


def _category(code: object, errors: dict[str, list[str]]) -> Category | None:
    if code in (None, ""):
        errors.setdefault("category", []).append(_("Trường này là bắt buộc."))
        return None
    category = Category.objects.filter(code=str(code), is_active=True).first()
    if category is None:
        valid = Category.objects.filter(is_active=True).values_list("code", flat=True)
        errors.setdefault("category", []).append(unknown_category_message(code, valid))
    return category


def _description(text: object, errors: dict[str, list[str]]) -> str:
    value = "" if text is None else str(text).strip()
    problems = description_problems(value, settings.REPORT_DESCRIPTION_MAX_CHARS)
    if problems:
        errors.setdefault("description", []).extend(problems)
    return value


def _photos(photos: Sequence[UploadedPhoto], errors: dict[str, list[str]]) -> list[ProcessedPhoto]:
    if len(photos) > settings.PHOTO_MAX_COUNT:
        errors.setdefault("photos", []).append(
            _("Đã gửi %(n)s ảnh; chỉ nhận tối đa %(max)s ảnh.")
            % {"n": len(photos), "max": settings.PHOTO_MAX_COUNT}
        )
        return []
    processed = []
    for photo in photos:
        try:
            processed.append(process_photo(photo.data, name=photo.name))
        except PhotoError as exc:
            errors.setdefault("photos", []).append(str(exc))
    return processed


def _save_photos(
    report_id: int,
    public_id,
    photos: list[ProcessedPhoto],
    written: list[str],
    kind: str = ReportPhoto.Kind.REPORT,
) -> list[ReportPhoto]:
    """Stores each photo as its private original, pending redaction, and defers the task
    that blurs and publishes it (gis_core.photo_redaction), inside the caller's transaction:
    the job exists iff the photo committed. Nothing is public yet. `written` collects the
    private names, for the caller to delete if the transaction fails."""
    from gis_core.tasks import redact_photo

    saved = []
    if photos:
        # Before the first byte is written: a full quota is a retryable 503 (StorageFull).
        check_media_quota(sum(len(p.content) + len(p.thumbnail) for p in photos))
    storage = private_storage()
    for position, photo in enumerate(photos):
        stem = f"{kind[0]}{position}-{photo.sha256[:16]}"
        original_name = storage.save(
            f"{PHOTO_ORIGINAL_DIR}/{public_id}/{stem}.{photo.extension}",
            ContentFile(photo.content),
        )
        written.append(original_name)
        row = ReportPhoto.objects.create(
            report_id=report_id,
            position=position,
            original=original_name,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size_bytes=len(photo.content),
            sha256=photo.sha256,
            phash=photo.phash,
            kind=kind,
        )
        redact_photo.defer(photo_id=row.pk)
        saved.append(row)
    return saved


def answer_photos_process(photos: Sequence[UploadedPhoto]) -> list[ProcessedPhoto]:
    """Checks the photos staff attach to an answer, like a reporter's; FieldErrors if bad."""
    errors: dict[str, list[str]] = {}
    processed = _photos(photos, errors)
    if errors:
        raise FieldErrors(errors)
    return processed


def answer_photos_save(report, photos: list[ProcessedPhoto]) -> list[ReportPhoto]:
    """Stores an answer's photos inside the caller's transaction; files go if it fails."""
    written: list[str] = []
    try:
        return _save_photos(report.pk, report.public_id, photos, written, ReportPhoto.Kind.ANSWER)
    except BaseException:
        delete_private(written)
        raise


# One round trip for the common case: ht_report_submit() (gis_core migration 0005) resolves
# the category, inserts the row (the trigger assigns the ward), detects a repeated idempotency
# key and reads back what the response needs, with its plan cached per session.
_SUBMIT_SQL = """
    SELECT * FROM ht_report_submit(
        %(category)s, %(description)s, %(lon)s, %(lat)s, %(source)s, %(reported_at)s,
        %(contact_name)s, %(contact_phone)s, %(contact_email)s, %(key)s, %(reporter)s,
        %(contact_phone_hash)s, %(scope)s, %(fingerprint)s, %(channel)s, %(entered_by)s,
        %(language)s
    )
"""


@dataclass(frozen=True)
class SubmittedReport:
    """What report_submit did. A new report comes as the row ht_report_submit() returned
    (`row`, with `photos`); a repeat of a stored one as the model (`report`)."""

    created: bool
    row: dict | None = None
    photos: list[ReportPhoto] = field(default_factory=list)
    report: Report | None = None
    videos: list = field(default_factory=list)  # ReportVideo rows, `processing`

    @property
    def public_id(self) -> uuid.UUID:
        return (
            self.row["public_id"] if self.row is not None else cast(Report, self.report).public_id
        )


def _location(
    lon: object,
    lat: object,
    processed: list[ProcessedPhoto],
    clips: list[CheckedVideo],
    errors: dict[str, list[str]],
) -> tuple[float, float] | None:
    """The given point, else the first photo's GPS, else a clip's; None with the reason in
    `errors` (none added when a refused photo or clip may have been the one with GPS)."""
    if not (lon in (None, "") and lat in (None, "")):
        try:
            return validate_lon_lat(lon, lat)
        except FieldErrors as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(field, []).extend(messages)
            return None
    media_gps = [p.gps for p in processed[:1] if p.gps] + [c.gps for c in clips if c.gps]
    if media_gps:
        return media_gps[0]
    if not errors.get("photos") and not errors.get("videos"):
        message = _("Trường này là bắt buộc (hoặc gửi ảnh hoặc video có vị trí GPS).")
        errors.setdefault("lon", []).append(message)
        errors.setdefault("lat", []).append(message)
    return None


def _existing_report(scope: str, key: str) -> Report | None:
    return (
        Report.objects.select_related("category", "ward__version")
        .filter(idempotency_scope=scope, idempotency_key=key)
        .first()
    )


def _repeat(existing: Report, submitted: str) -> SubmittedReport:
    """The first report again for a retry; IdempotencyConflict if the key came with another
    submission (a report stored before fingerprints has none: taken as a retry)."""
    stored = existing.idempotency_fingerprint
    if stored and stored != submitted:
        raise IdempotencyConflict()
    return SubmittedReport(created=False, report=existing)


def _number(value: object) -> object:
    """A coordinate as the fingerprint sees it: 107.5, "107.5" and "107.50" are one."""
    if value in (None, ""):
        return None
    try:
        return round(parse_decimal(value), 7)
    except TypeProblem:
        return str(value)


def submission_fingerprint(
    *,
    category: object,
    description: object,
    lon: object = None,
    lat: object = None,
    photos: Sequence[UploadedPhoto] = (),
    videos: Sequence[UploadedVideo] = (),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> str:
    """What makes two submissions under one idempotency key the same (gis_core.idempotency)."""
    fields = {
        "category": "" if category is None else str(category),
        "description": "" if description is None else str(description),
        "lon": _number(lon),
        "lat": _number(lat),
        "contact_name": contact_name or "",
        "contact_phone": stored_phone((contact_phone or "").strip()),
        "contact_email": contact_email or "",
    }
    return fingerprint(fields, [p.data for p in photos], list(videos))


def report_by_idempotency_key(key: str, *, client: str, fingerprint: str) -> Report | None:
    """The report stored under `key` by this client, if any (a retry's original); raises
    IdempotencyConflict if that report was a different submission."""
    key = (key or "").strip()
    if not key:
        return None
    existing = _existing_report(scope_hash(client, key), key)
    return _repeat(existing, fingerprint).report if existing is not None else None


def report_submit(
    *,
    category: object,
    description: object,
    lon: object = None,
    lat: object = None,
    photos: Sequence[UploadedPhoto] = (),
    videos: Sequence[UploadedVideo] = (),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    idempotency_key: str | None = None,
    client: str = "anonymous",
    reported_at: dt.datetime | None = None,
    source: str = ReportSource.API,
    reporter_id: int | None = None,
    consent_notice_version: object = None,
    consent_channel: str = ConsentChannel.APP,
    channel: str = ReportChannel.APP,
    entered_by_id: int | None = None,
    prior_errors: Mapping[str, list[str]] | None = None,
    language: str | None = None,
) -> SubmittedReport:
    """Validates and stores a report.

    A repeated `idempotency_key` from the same `client` (gis_core.idempotency.client_scope)
    with the same fields and media returns the first report and stores nothing, even when
    two submissions race (ON CONFLICT on the unique key); with different ones it raises
    IdempotencyConflict. Another client's key is not this one's. Without coordinates the
    location comes from the first photo's EXIF GPS, else from a clip's GPS tag. Clips are
    probed here and transcoded by the worker (a job deferred in the report's transaction).
    Raises FieldErrors naming each bad field; nothing is stored then. Contact data needs the
    privacy notice version its sender agreed to (`consent_notice_version`), stored with the
    report as its ContactConsent. `prior_errors` are the caller's own findings (a staff
    entry's channel, its scope), raised with these in one FieldErrors. `language` is the one
    the reporter used (gis_core.languages), which their messages are written in; Vietnamese
    when not given. It is not part of the fingerprint: a retry in another language is the
    same report.
    """
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        raise FieldErrors(
            {"idempotency_key": [_("Tối đa %(n)s ký tự.") % {"n": IDEMPOTENCY_KEY_MAX}]}
        )
    scope = scope_hash(client, key) if key is not None else ""
    submitted_print = (
        submission_fingerprint(
            category=category,
            description=description,
            lon=lon,
            lat=lat,
            photos=photos,
            videos=videos,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
        )
        if key is not None
        else ""
    )
    if key is not None and (photos or videos):
        # Do not decode and store photos (or clips) again for a retry of a report already stored.
        existing = _existing_report(scope, key)
        if existing is not None:
            return _repeat(existing, submitted_print)

    errors: dict[str, list[str]] = {f: list(m) for f, m in (prior_errors or {}).items()}
    if category in (None, ""):
        errors.setdefault("category", []).append(_("Trường này là bắt buộc."))
    text = _description(description, errors)
    processed = _photos(photos, errors)
    clips = videos_check(videos, errors)
    point = _location(lon, lat, processed, clips, errors)
    if point is not None and not point_near_wards(*point):
        message = far_from_wards_message()
        errors.setdefault("lon", []).append(message)
        errors.setdefault("lat", []).append(message)
    contact_check(contact_name, contact_phone, contact_email, errors)
    consent_version = None
    if has_contact(contact_name, contact_phone, contact_email):
        consent_version = consent_version_check(consent_notice_version, errors)
    if errors:
        if "category" not in errors:
            _category(category, errors)  # report every problem at once
        raise FieldErrors(errors)

    lon_lat = cast(tuple[float, float], point)  # set whenever there are no errors
    params: dict[str, Any] = {
        "category": str(category),
        "description": text,
        "lon": lon_lat[0],
        "lat": lon_lat[1],
        "source": source,
        "reported_at": reported_at,
        # Encrypted here (the raw statement bypasses the model fields), as the fields would.
        "contact_name": encrypt_text(contact_name or ""),
        "contact_phone": encrypt_text(stored_phone(contact_phone)),
        "contact_phone_hash": phone_hash(stored_phone(contact_phone)),
        "contact_email": encrypt_text(contact_email or ""),
        "key": key,
        "reporter": reporter_id,
        "scope": scope,
        "fingerprint": submitted_print,
        "channel": channel,
        "entered_by": entered_by_id,
        "language": report_language(language),
    }
    written_private: list[str] = []  # photo and clip originals (private storage)
    # Without photos or contact the one statement is its own transaction (one round trip, no
    # BEGIN and COMMIT); with photos, the report and its photo rows commit together, and with
    # a contact the receipt message is queued in the same transaction (sent iff stored).
    wants_receipt = bool(params["contact_phone"] or params["contact_email"])
    # Clips too: their rows and transcode jobs commit with the report; and the consent row.
    needs_transaction = processed or clips or wants_receipt or consent_version is not None
    in_transaction = transaction.atomic() if needs_transaction else nullcontext()
    try:
        with in_transaction, connection.cursor() as cursor:
            cursor.execute(_SUBMIT_SQL, params)
            values = cursor.fetchone()
            if values is None:
                existing = _existing_report(scope, key) if key is not None else None
                if existing is not None:
                    return _repeat(existing, submitted_print)
                _category(category, errors)
                raise FieldErrors(errors)
            columns = [column.name for column in cursor.description]
            row = dict(zip(columns, values, strict=True))
            saved = _save_photos(row["id"], row["public_id"], processed, written_private)
            saved_videos = videos_save(row["id"], row["public_id"], clips, written_private)
            if consent_version is not None:
                ContactConsent.objects.create(
                    report_id=row["id"], notice_version=consent_version, channel=consent_channel
                )
            if wants_receipt:
                _queue_receipt(row["id"])
    except BaseException:
        delete_private(written_private)
        raise
    return SubmittedReport(created=True, row=row, photos=saved, videos=saved_videos)


def _outside_wards(
    lon: object, lat: object, ward_ids: Collection[int], reported_at: dt.datetime | None
) -> str | None:
    """Why a ward officer may not enter a report at (lon, lat), or None if it is in their
    wards; an unreadable point is left to report_submit's own message."""
    if lon in (None, "") and lat in (None, ""):
        return _("Trường này là bắt buộc.")
    try:
        x, y = validate_lon_lat(lon, lat)
    except FieldErrors:
        return None
    day = timezone.localdate(reported_at) if reported_at else local_today()
    found = ward_for_point(lon=x, lat=y, at=day)
    if found is None or found.ward.pk not in ward_ids:
        return _("Vị trí này nằm ngoài các phường, xã bạn phụ trách.")
    return None


def staff_report_create(
    *,
    channel: str,
    category: object,
    description: object,
    lon: object = None,
    lat: object = None,
    photos: Sequence[UploadedPhoto] = (),
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    consent_notice_version: object = None,
    consent_channel: str = ConsentChannel.STAFF,
    entered_by_id: int | None = None,
    ward_ids: Collection[int] | None = None,
    reported_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    client: str = "staff",
    source: str = ReportSource.STAFF,
    language: str = "",
) -> SubmittedReport:
    """Stores a report that reached the city by phone, in person, by letter, e-mail or Zalo
    (`channel`, one of STAFF_CHANNELS), through report_submit: the same rules (category,
    description, the distance rule, contact and consent), the same receipt to the contact.

    `ward_ids` limits where the point may lie (a ward officer's wards; None: anywhere).
    Contact data needs the notice version read or sent to the sender (recorded with
    `consent_channel`). `language` is the caller's, for their receipt and status messages:
    one of settings.LANGUAGES' codes, Vietnamese when empty. One transaction; FieldErrors
    names every bad field at once.
    """
    errors: dict[str, list[str]] = {}
    if channel not in STAFF_CHANNELS:
        errors["channel"] = [
            _("Kênh tiếp nhận không hợp lệ. Chọn một trong: %(valid)s.")
            % {"valid": ", ".join(STAFF_CHANNELS)}
        ]
    if language and language not in language_codes():
        errors["language"] = [
            _("Ngôn ngữ không hợp lệ. Chọn một trong: %(valid)s.")
            % {"valid": ", ".join(language_codes())}
        ]
    if ward_ids is not None:
        outside = _outside_wards(lon, lat, ward_ids, reported_at)
        if outside is not None:
            errors["lon"] = errors["lat"] = [outside]
    with transaction.atomic():
        return report_submit(
            category=category,
            description=description,
            lon=lon,
            lat=lat,
            photos=photos,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=contact_email,
            idempotency_key=idempotency_key,
            client=client,
            reported_at=reported_at,
            source=source,
            consent_notice_version=consent_notice_version,
            consent_channel=consent_channel,
            channel=channel,
            entered_by_id=entered_by_id,
            prior_errors=errors,
            language=language or settings.LANGUAGE_CODE,
        )


def staff_report_enter(*, user: Any, data: Mapping[str, Any]) -> SubmittedReport:
    """A report a staff member enters (the API and the staff form alike), from the fields
    StaffReportCreateSerializer validated: recorded as entered by them, a ward officer held
    to their wards, idempotency keys scoped to their account."""
    return staff_report_create(
        channel=data.get("channel") or "",
        category=data.get("category"),
        description=data.get("description"),
        lon=data.get("lon"),
        lat=data.get("lat"),
        contact_name=(data.get("contact_name") or "").strip(),
        contact_phone=(data.get("contact_phone") or "").strip(),
        contact_email=(data.get("contact_email") or "").strip(),
        consent_notice_version=data.get("consent_notice_version"),
        entered_by_id=user.pk,
        ward_ids=entry_ward_ids(user),
        idempotency_key=data.get("idempotency_key"),
        client=f"staff:{user.pk}",
        # The caller's language, if the form asks; not the staff member's own page language.
        language=(data.get("language") or "").strip(),
    )


def _queue_receipt(report_id: int) -> None:
    """Queues the receipt SMS/e-mail (reference and link) in the caller's transaction."""
    from gis_core.tasks import send_receipt  # the task module imports the queue's app

    send_receipt.defer(report_id=report_id)


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
                r.location, (r.reported_at AT TIME ZONE %(time_zone)s)::date, %(version)s
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
        params = {"version": version_id, "since": since, "until": until}
        cursor.execute(sql, {**params, "time_zone": LOCAL_TIME_ZONE})
        transaction.on_commit(lambda: reports_written.send(sender="reassign_wards"))
        examined, changed = cursor.fetchone()
    return int(examined), int(changed)
