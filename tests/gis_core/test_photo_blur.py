"""Privacy before publication: faces and plates blurred before a photo is public.

Real photographs with faces that ship in scikit-image (the astronaut; LFW faces) and a
synthetic plate (tests/gis_core/blur_samples.py). The media task's work is called directly
(`photo_redact`), as the video tests call theirs; one test runs the real worker end to end.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from gis_core.blur_detect import detect
from gis_core.models import PhotoBlurBox, PhotoRedactionChange, ReportPhoto, StaffProfile
from gis_core.photo_redaction import blur_file, photo_redact
from tests.gis_core import blur_samples as samples
from tests.gis_core.worker import procrastinate_worker, wait_for  # noqa: F401
from tests.ward_boundaries import geometry_cases as cases

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
URL = "/api/v1/reports/"


def submit(client: APIClient, data: bytes, name: str = "anh.jpg"):
    x, y = POINTS["06709"]
    return client.post(
        URL,
        {
            "category": "moi_truong",
            "description": "Rác đổ trước cửa nhà",
            "lon": x,
            "lat": y,
            "photos": [SimpleUploadedFile(name, data, content_type="image/jpeg")],
        },
        format="multipart",
    )


def staff_user(name: str, group: str) -> User:
    user = User.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    StaffProfile.objects.create(user=user)
    return user


def as_rect(box) -> samples.Rect:
    return (box.x, box.y, box.w, box.h)


def open_image(field) -> Image.Image:
    with field.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def redact_jobs(photo_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s"
            " AND (args->>'photo_id')::int = %s",
            ["gis_core.redact_photo", photo_id],
        )
        return cursor.fetchone()[0]


# --- The detector on real photographs and a synthetic plate ---------------------------------


def test_the_astronauts_face_is_found():
    boxes = detect(samples.astronaut())
    faces = [b for b in boxes if b.label == "face"]
    assert any(samples.contains(as_rect(b), samples.ASTRONAUT_FACE_CENTRE) for b in faces), boxes
    # One face, not a blur over half the picture.
    assert len(faces) == 1 and faces[0].area() < 0.15 * 512 * 512


def test_most_lfw_faces_are_found_and_few_boxes_fall_where_there_is_none():
    """Recall and false boxes on scikit-image's LFW subset (100 real faces, then 100 patches
    without one), each enlarged on a grey wall. Measured: 95 faces, 1 false box; the Haar
    cascade misses some, which is why staff can add boxes by hand."""
    found = 0
    for index in range(100):
        image, [rect] = samples.lfw_group(n=1, first=index)
        found += any(samples.contains(as_rect(b), samples.centre(rect)) for b in detect(image))
    false_boxes = sum(len(detect(samples.lfw_group(n=1, first=i)[0])) for i in range(100, 200))
    assert found >= 90 and false_boxes <= 3, (found, false_boxes)


def test_a_group_photo_of_lfw_faces():
    image, rects = samples.lfw_group(n=6)
    boxes = detect(image)
    hits = sum(any(samples.contains(as_rect(b), samples.centre(r)) for b in boxes) for r in rects)
    assert hits >= 5, boxes  # measured: 5 of 6 (the fifth face is missed beside the others)
    for box in boxes:  # every box is on a face: nothing on the wall between them
        assert any(samples.covered_fraction(as_rect(box), r) > 0.5 for r in rects), box


@pytest.mark.parametrize("plate_width", [120, 200, 320])
def test_a_synthetic_plate_is_covered(plate_width):
    image, plate = samples.plate_photo(plate_width)
    plates = [b for b in detect(image) if b.label == "plate"]
    assert plates, "the plate cascade found no plate"
    assert max(samples.covered_fraction(as_rect(b), plate) for b in plates) == 1.0
    # Blurred, the characters are gone: the plate's pixels change strongly.
    blurred = Image.open(io.BytesIO(_blurred_jpeg(image)))
    assert samples.region_difference(image, blurred, plate) > 25


def _blurred_jpeg(image: Image.Image) -> bytes:
    from gis_core.photo_blur import blur_boxes

    out = io.BytesIO()
    blur_boxes(image, [as_rect(b) for b in detect(image)]).save(out, "PNG")
    return out.getvalue()


def test_a_photo_without_faces_or_plates_gets_no_box():
    from skimage import data as skdata

    assert detect(Image.fromarray(skdata.coffee())) == []


# --- The pipeline: private until blurred, then public with the boxes stored -----------------


@pytest.fixture
def uploaded(db, mong_cai_wards, seed_categories):
    response = submit(APIClient(), samples.jpeg_bytes(samples.astronaut()))
    assert response.status_code == 201, response.content
    return response.json(), ReportPhoto.objects.get(report__public_id=response.json()["id"])


def test_a_photo_is_private_until_the_media_task_has_blurred_it(uploaded):
    feature, photo = uploaded
    assert feature["properties"]["photos"] == []  # not even in the submitter's answer
    assert photo.redaction == "pending" and not photo.image and not photo.thumbnail
    original = Path(photo.original.path)
    assert original.is_file() and Path(settings.PRIVATE_MEDIA_ROOT) in original.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in original.resolve().parents
    assert redact_jobs(photo.pk) == 1  # committed with the report
    detail = APIClient().get(f"{URL}{feature['id']}/").json()
    assert detail["properties"]["photos"] == []
    page = APIClient().get(reverse("web_map:report", args=[feature["id"]]))
    assert page.status_code == 200 and b'id="photos-pending"' in page.content
    assert photo.original.name.encode() not in page.content


def test_faces_found_boxes_stored_public_file_blurred_original_private(uploaded, client):
    feature, photo = uploaded
    assert photo_redact(photo.pk) == "done"
    photo.refresh_from_db()
    assert photo.redaction == "done" and photo.redacted_at is not None
    boxes = list(PhotoBlurBox.objects.filter(photo=photo))
    assert [(b.source, b.label) for b in boxes] == [("auto", "face")]
    face = as_rect(boxes[0])
    assert samples.contains(face, samples.ASTRONAUT_FACE_CENTRE)

    original, public = open_image(photo.original), open_image(photo.image)
    assert public.size == original.size == (photo.width, photo.height)
    assert samples.region_difference(original, public, face) > 20  # the face is gone
    assert samples.outside_difference(original, public, [face]) < 2  # the rest is as shot
    assert "exif" not in public.info and b"Nguyen Van A" not in photo.image.open("rb").read()
    thumb = open_image(photo.thumbnail)
    assert max(thumb.size) <= settings.PHOTO_THUMB_EDGE

    # Public now: the API lists it, the page shows it.
    [listed] = APIClient().get(f"{URL}{feature['id']}/").json()["properties"]["photos"]
    assert listed["url"].endswith(photo.image.url)
    # The original is reachable by nobody but staff: no media URL, the staff view refuses.
    assert client.get(settings.MEDIA_URL + photo.original.name).status_code == 404
    staff_url = reverse("web_map:staff-photo-original", args=[feature["id"], photo.pk])
    assert client.get(staff_url).status_code == 302  # to the login
    citizen = APIClient()
    citizen.force_login(User.objects.create_user("+84900000001"))
    assert citizen.get(staff_url).status_code == 403
    operator = APIClient()
    operator.force_login(staff_user("op", "operator"))
    answer = operator.get(staff_url)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    assert b"".join(answer.streaming_content) == photo.original.open("rb").read()


def test_the_task_is_idempotent(uploaded):
    _, photo = uploaded
    assert photo_redact(photo.pk) == "done"
    photo.refresh_from_db()
    first = (photo.image.name, PhotoBlurBox.objects.filter(photo=photo).count())
    assert photo_redact(photo.pk) == "skipped"
    photo.refresh_from_db()
    assert (photo.image.name, PhotoBlurBox.objects.filter(photo=photo).count()) == first
    assert photo_redact(10**9) == "missing"


def test_a_poster_frame_is_blurred_in_place(tmp_path):
    path = tmp_path / "poster.jpg"
    samples.astronaut().save(path, "JPEG", quality=90)
    before = Image.open(path).convert("RGB")
    assert blur_file(str(path)) == 1
    after = Image.open(path).convert("RGB")
    face = as_rect(detect(before)[0])
    assert samples.region_difference(before, after, face) > 20
    assert samples.outside_difference(before, after, [face]) < 4  # re-encoded JPEG


# --- Staff redaction: add, remove, republish ------------------------------------------------


@pytest.fixture
def published(uploaded):
    feature, photo = uploaded
    photo_redact(photo.pk)
    photo.refresh_from_db()
    api = reverse("api:staff-photo-redaction", args=[feature["id"], photo.pk])
    return feature, photo, api


def test_staff_remove_a_box_add_one_and_republish(published, django_capture_on_commit_callbacks):
    feature, photo, api = published
    operator = APIClient()
    operator.force_login(staff_user("op", "operator"))
    state = operator.get(api).json()
    [auto] = state["boxes"]
    assert state["redaction"] == "done" and (state["width"], state["height"]) == (512, 512)
    old_public = photo.image.name
    corner = (20, 400, 80, 60)  # the bottom left, nothing detected there
    with django_capture_on_commit_callbacks(execute=True):
        answer = operator.post(
            api,
            {"boxes": [dict(zip("xywh", corner, strict=True))]},  # the face box removed
            format="json",
        )
    assert answer.status_code == 200, answer.content
    [box] = answer.json()["boxes"]
    assert (box["source"], box["x"], box["y"], box["w"], box["h"]) == ("staff", *corner)
    photo.refresh_from_db()
    assert photo.image.name != old_public
    assert not Path(settings.MEDIA_ROOT, old_public).exists()  # the old copy went
    original, public = open_image(photo.original), open_image(photo.image)
    face = (auto["x"], auto["y"], auto["w"], auto["h"])
    assert samples.region_difference(original, public, face) < 3  # no longer blurred
    assert samples.region_difference(original, public, corner) > 5  # the new box is
    [change] = PhotoRedactionChange.objects.filter(photo=photo)
    assert change.actor.username == "op"
    assert [b["id"] for b in change.boxes_before] == [auto["id"]]
    assert change.boxes_after == answer.json()["boxes"]
    page = operator.get(reverse("web_map:staff-report", args=[feature["id"]]))
    assert b'id="redaction-history"' in page.content

    # Keeping the staff box by id, adding the face back: both blurred.
    with django_capture_on_commit_callbacks(execute=True):
        again = operator.post(
            api, {"boxes": [{"id": box["id"]}, dict(zip("xywh", face, strict=True))]}, format="json"
        )
    assert again.status_code == 200 and len(again.json()["boxes"]) == 2
    photo.refresh_from_db()
    public = open_image(photo.image)
    assert samples.region_difference(original, public, face) > 20


def test_a_bad_box_list_changes_nothing(published):
    _, photo, api = published
    operator = APIClient()
    operator.force_login(staff_user("op", "operator"))
    before = (photo.image.name, list(PhotoBlurBox.objects.filter(photo=photo).values_list("pk")))
    outside = operator.post(api, {"boxes": [{"x": 600, "y": 600, "w": 20, "h": 20}]}, format="json")
    assert outside.status_code == 400 and "boxes" in outside.json()["errors"]
    unknown = operator.post(api, {"boxes": [{"id": 999999}]}, format="json")
    assert unknown.status_code == 400 and "boxes" in unknown.json()["errors"]
    partial = operator.post(api, {"boxes": [{"x": 1, "y": 1}]}, format="json")
    assert partial.status_code == 400
    typed = operator.post(api, {"boxes": [{"x": "1", "y": 1.5, "w": True, "h": 9}]}, format="json")
    assert typed.status_code == 400
    many = operator.post(api, {"boxes": [{"x": 1, "y": 1, "w": 9, "h": 9}] * 51}, format="json")
    assert many.status_code == 400
    photo.refresh_from_db()
    after = (photo.image.name, list(PhotoBlurBox.objects.filter(photo=photo).values_list("pk")))
    assert after == before and not PhotoRedactionChange.objects.exists()


def test_who_may_see_and_change_the_boxes(published):
    _, _, api = published
    anonymous = APIClient()
    assert anonymous.get(api).status_code == 403
    assert anonymous.post(api, {"boxes": []}, format="json").status_code == 403
    tourism = APIClient()
    tourism.force_login(staff_user("du_lich", "tourism"))
    assert tourism.post(api, {"boxes": []}, format="json").status_code == 403
    ward_officer = APIClient()
    ward_officer.force_login(staff_user("phuong_khac", "ward_officer"))  # no wards: no reports
    assert ward_officer.get(api).status_code == 404
    assert ward_officer.post(api, {"boxes": []}, format="json").status_code == 404


def test_staff_can_publish_a_photo_still_pending(uploaded):
    feature, photo = uploaded
    operator = APIClient()
    operator.force_login(staff_user("op", "operator"))
    api = reverse("api:staff-photo-redaction", args=[feature["id"], photo.pk])
    answer = operator.post(api, {"boxes": [{"x": 150, "y": 40, "w": 150, "h": 150}]}, format="json")
    assert answer.status_code == 200 and answer.json()["redaction"] == "done"
    # The task that comes later leaves staff's boxes alone.
    assert photo_redact(photo.pk) == "skipped"
    assert list(PhotoBlurBox.objects.filter(photo=photo).values_list("source", flat=True)) == [
        "staff"
    ]


# --- The real worker -------------------------------------------------------------------------


def test_the_worker_blurs_and_publishes_an_upload(
    procrastinate_worker,  # noqa: F811
    mong_cai_wards,
    seed_categories,
):
    response = submit(APIClient(), samples.jpeg_bytes(samples.astronaut()))
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get(report__public_id=response.json()["id"])

    def published():
        photo.refresh_from_db()
        return photo.redaction == "done"

    wait_for(published, timeout=60, what="the worker to publish the photo")
    assert PhotoBlurBox.objects.filter(photo=photo, label="face").count() == 1
    detail = APIClient().get(f"{URL}{response.json()['id']}/").json()
    assert len(detail["properties"]["photos"]) == 1
