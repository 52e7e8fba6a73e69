"""Privacy before publication: a photo is public only once its faces and plates are blurred.

An upload (services._save_photos) stores the re-encoded, EXIF-free photo as the private
`original` (PRIVATE_MEDIA_ROOT, no URL) with `redaction = pending` and no public file, and
defers the `redact_photo` task in the same transaction. The worker (`photo_redact`, below)
detects faces and plates (gis_core.blur_detect), stores the boxes (PhotoBlurBox, `auto`),
writes the blurred image and thumbnail to public storage and marks the photo `done`; only
then do the public API, pages and Open311 show it. Idempotent like the clip transcode: a
photo no longer pending is left alone, and its outputs are written under fresh names and
linked in one transaction, so a repeated job never publishes twice. A photo whose redaction
keeps failing stays pending, i.e. private: staff see it and can publish it by hand.

Staff redaction (FixMyStreet's): `photo_republish` takes the complete list of boxes staff
want (existing ones by id, new ones drawn by hand), re-renders the public files from the
original in one transaction and records the change (PhotoRedactionChange).
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from common.validation import FieldErrors
from gis_core.blur_detect import detect
from gis_core.models import PhotoBlurBox, PhotoRedactionChange, ReportPhoto
from gis_core.photo_blur import blur_boxes
from gis_core.photo_storage import PHOTO_DIR
from gis_core.photos import FORMAT_OF_TYPE, encode_public

log = logging.getLogger(__name__)

MAX_BOXES = 50
MIN_BOX_PX = 4


@dataclass(frozen=True)
class Rendered:
    image: str
    thumbnail: str
    size_bytes: int


def _open_original(photo: ReportPhoto) -> Image.Image:
    with photo.original.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def _render(photo: ReportPhoto, image: Image.Image, boxes: Sequence[tuple[int, int, int, int]]):
    """Writes the blurred public copy and thumbnail under fresh names; returns them."""
    content, thumbnail = encode_public(
        blur_boxes(image, boxes), FORMAT_OF_TYPE.get(photo.content_type, "JPEG")
    )
    extension = photo.original.name.rsplit(".", 1)[-1]
    folder = f"{PHOTO_DIR}/{photo.report.public_id}"
    stem = f"{folder}/{photo.kind[0]}{photo.position}-{uuid.uuid4().hex[:16]}"
    image_name = default_storage.save(f"{stem}.{extension}", ContentFile(content))
    try:
        thumb_name = default_storage.save(f"{stem}-thumb.{extension}", ContentFile(thumbnail))
    except BaseException:
        default_storage.delete(image_name)
        raise
    return Rendered(image_name, thumb_name, len(content))


def _delete_public(names: Sequence[str]) -> None:
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort; cleanup_orphan_photos finds it
            log.warning("could not delete %s", name)


class _Superseded(Exception):
    """The photo was published (by staff) or deleted meanwhile: drop our output."""


def photo_redact(photo_id: int) -> str:
    """The media task's work for one photo; returns "done", "missing" or "skipped"."""
    photo = ReportPhoto.objects.select_related("report").filter(pk=photo_id).first()
    if photo is None:
        return "missing"
    if photo.redaction != ReportPhoto.Redaction.PENDING:
        return "skipped"
    image = _open_original(photo)
    found = detect(image)
    rendered = _render(photo, image, [(b.x, b.y, b.w, b.h) for b in found])
    try:
        with transaction.atomic():
            current = ReportPhoto.objects.select_for_update().filter(pk=photo_id).first()
            if current is None or current.redaction != ReportPhoto.Redaction.PENDING:
                raise _Superseded
            PhotoBlurBox.objects.filter(photo=current, source=PhotoBlurBox.Source.AUTO).delete()
            PhotoBlurBox.objects.bulk_create(
                PhotoBlurBox(
                    photo=current, x=b.x, y=b.y, w=b.w, h=b.h, label=b.label, source="auto"
                )
                for b in found
            )
            current.image, current.thumbnail = rendered.image, rendered.thumbnail
            current.size_bytes = rendered.size_bytes
            current.redaction = ReportPhoto.Redaction.DONE
            current.redacted_at = timezone.now()
            current.save(
                update_fields=["image", "thumbnail", "size_bytes", "redaction", "redacted_at"]
            )
    except _Superseded:
        _delete_public([rendered.image, rendered.thumbnail])
        return "skipped"
    except BaseException:
        _delete_public([rendered.image, rendered.thumbnail])
        raise
    log.info("photo %s published with %s blurred boxes", photo_id, len(found))
    return "done"


def blur_file(path: str) -> int:
    """Blurs faces and plates of the JPEG at `path` in place (a clip's poster frame, written
    by ffmpeg with no metadata); returns the number of boxes."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    found = detect(image)
    if found:
        blurred = blur_boxes(image, [(b.x, b.y, b.w, b.h) for b in found])
        blurred.save(path, "JPEG", quality=85, optimize=True)
    return len(found)


def box_json(box: PhotoBlurBox) -> dict[str, Any]:
    return {
        "id": box.pk,
        "x": box.x,
        "y": box.y,
        "w": box.w,
        "h": box.h,
        "source": box.source,
        "label": box.label,
    }


def _checked_new_box(item: dict[str, Any], index: int, width: int, height: int) -> tuple:
    """(x, y, w, h) clipped to the photo, or a FieldErrors naming the box."""
    x, y, w, h = (int(item[k]) for k in ("x", "y", "w", "h"))
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + w), min(height, y + h)
    if x1 - x0 < MIN_BOX_PX or y1 - y0 < MIN_BOX_PX:
        raise FieldErrors(
            {
                "boxes": [
                    _("Vùng che thứ %(n)s nằm ngoài ảnh hoặc nhỏ hơn %(min)s điểm ảnh.")
                    % {"n": index + 1, "min": MIN_BOX_PX}
                ]
            }
        )
    return (x0, y0, x1 - x0, y1 - y0)


def photo_republish(*, photo_id: int, actor, boxes: Sequence[dict[str, Any]]) -> ReportPhoto:
    """Sets the photo's blur boxes to `boxes` (items with an `id` keep that stored box, items
    without one are new staff boxes), re-renders the public copy from the original and
    publishes it, in one transaction; audited. FieldErrors for a bad list: nothing changes.
    The new files are written inside the transaction and deleted if it fails; the old ones
    go once it has committed."""
    written: list[str] = []
    try:
        with transaction.atomic():
            photo = (
                ReportPhoto.objects.select_for_update().select_related("report").get(pk=photo_id)
            )
            before, current = _replace_boxes(photo, boxes)
            rendered = _render(photo, _open_original(photo), [b.as_tuple() for b in current])
            written += [rendered.image, rendered.thumbnail]
            old = [photo.image.name, photo.thumbnail.name]
            photo.image, photo.thumbnail = rendered.image, rendered.thumbnail
            photo.size_bytes = rendered.size_bytes
            photo.redaction = ReportPhoto.Redaction.DONE
            photo.redacted_at = timezone.now()
            photo.save(
                update_fields=["image", "thumbnail", "size_bytes", "redaction", "redacted_at"]
            )
            PhotoRedactionChange.objects.create(
                photo=photo,
                report=photo.report,
                actor=actor,
                boxes_before=before,
                boxes_after=[box_json(b) for b in current],
            )
            transaction.on_commit(lambda: _delete_public(old))
    except BaseException:
        _delete_public(written)
        raise
    return photo


def _replace_boxes(
    photo: ReportPhoto, boxes: Sequence[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[PhotoBlurBox]]:
    """(the boxes before as JSON, the boxes now) after keeping, deleting and adding."""
    if not photo.original:
        raise FieldErrors({"boxes": [_("Ảnh này không có bản gốc riêng tư để che lại.")]})
    if len(boxes) > MAX_BOXES:
        raise FieldErrors(
            {"boxes": [_("Tối đa %(max)s vùng che trên một ảnh.") % {"max": MAX_BOXES}]}
        )
    stored = {b.pk: b for b in photo.blur_boxes.all()}
    before = [box_json(b) for b in stored.values()]
    kept: set[int] = set()
    new: list[tuple[int, int, int, int]] = []
    for index, item in enumerate(boxes):
        box_id = item.get("id")
        if box_id is None:
            new.append(_checked_new_box(item, index, photo.width, photo.height))
        elif box_id in stored:
            kept.add(box_id)
        else:
            raise FieldErrors(
                {"boxes": [_("Vùng che thứ %(n)s không còn trên ảnh này.") % {"n": index + 1}]}
            )
    PhotoBlurBox.objects.filter(photo=photo).exclude(pk__in=kept).delete()
    PhotoBlurBox.objects.bulk_create(
        PhotoBlurBox(photo=photo, x=x, y=y, w=w, h=h, source="staff", label="other")
        for x, y, w, h in new
    )
    return before, list(PhotoBlurBox.objects.filter(photo=photo))
