"""Photo storage: orphan cleanup, the upload quota (StorageFull, a retryable 503) and the
storage backend setting (HT_STORAGE=local|s3).

S3 is tested only as configuration: no S3 server runs here, so the test checks the STORAGES
dict the environment builds and that django-storages can build the backend from it.
"""

from __future__ import annotations

import io
import os
import time
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from common.storage_errors import StorageFull
from config.settings.storage import storages_from_env
from gis_core import photo_storage
from gis_core.models import RateLimitBucket, Report, ReportPhoto
from gis_core.video_storage import private_storage
from tests.gis_core.photo_factory import image_bytes, publish_pending_photos
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


def submit_with_photo(client, key: str):
    x, y = POINTS["06709"]
    photo = ContentFile(image_bytes("JPEG"), name="p.jpg")
    body = {"category": "moi_truong", "description": "Rác", "lon": x, "lat": y,
            "idempotency_key": key, "photos": [photo]}  # fmt: skip
    return client.post(reverse("api:report-list"), body, format="multipart")


def _age(name: str, hours: float) -> None:
    _age_path(default_storage.path(name), hours)


def _age_path(path: str, hours: float) -> None:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_cleanup_deletes_only_old_unreferenced_files(mong_cai_wards):
    assert submit_with_photo(APIClient(), "kept").status_code == 201
    assert publish_pending_photos() == 1  # its public copies exist
    photo = ReportPhoto.objects.get()
    assert photo.image.name and photo.thumbnail.name and photo.original.name
    for name in (photo.image.name, photo.thumbnail.name):
        _age(name, 48)  # old, but referenced: kept
    private = private_storage()
    _age_path(private.path(photo.original.name), 48)
    stray_original = private.save(f"photo-originals/{uuid.uuid4()}/r0-x.jpg", ContentFile(b"z"))
    _age_path(private.path(stray_original), 7)
    stray = uuid.uuid4()
    old_orphan = default_storage.save(f"reports/{stray}/r0-abc.jpg", ContentFile(b"x" * 10))
    _age(old_orphan, 7)
    in_flight = default_storage.save(f"reports/{uuid.uuid4()}/r0-def.jpg", ContentFile(b"y"))
    _age(in_flight, 1)  # younger than the threshold: an upload whose row is not committed yet

    out = io.StringIO()
    call_command("cleanup_orphan_photos", "--dry-run", stdout=out)
    assert "1 orphan photo file(s), 10 bytes, would be deleted" in out.getvalue()
    assert old_orphan in out.getvalue() and default_storage.exists(old_orphan)

    out = io.StringIO()
    call_command("cleanup_orphan_photos", "--older-than-hours", "6", stdout=out)
    assert "1 orphan photo file(s), 10 bytes, deleted; 1 empty folder(s) removed." in (
        out.getvalue()
    )
    assert not default_storage.exists(old_orphan)
    assert not os.path.exists(os.path.dirname(default_storage.path(old_orphan)))
    assert default_storage.exists(in_flight)
    assert default_storage.exists(photo.image.name) and default_storage.exists(photo.thumbnail.name)
    assert "1 orphan private original(s), 1 bytes, deleted." in out.getvalue()
    assert not private.exists(stray_original) and private.exists(photo.original.name)
    default_storage.delete(in_flight)


def test_cleanup_refuses_a_threshold_that_would_race_uploads():
    with pytest.raises(ValueError, match="at least 1"):
        call_command("cleanup_orphan_photos", "--older-than-hours", "0.1")


def stored_photo_files() -> list[str]:
    """Every photo file: public copies and private originals."""
    found = []
    for storage, root in ((default_storage, "reports"), (private_storage(), "photo-originals")):
        if storage.exists(root):
            found += sorted(photo_storage._walk_storage(storage, root))
    return found


def test_quota_refuses_before_writing_and_the_retry_succeeds(mong_cai_wards, settings):
    settings.SUBMIT_LIMIT_PER_IP = (2, 3600)
    settings.MEDIA_QUOTA_BYTES = 1  # full
    photo_storage._usage.reset()
    files_before = stored_photo_files()
    client = APIClient()
    for _ in range(3):  # more tries than the address limit: a 503 costs the client nothing
        refused = submit_with_photo(client, "q-1")
        assert refused.status_code == 503, refused.content
        assert refused.json()["retryable"] is True and refused.has_header("Retry-After")
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert stored_photo_files() == files_before  # nothing written, public or private

    settings.MEDIA_QUOTA_BYTES = None
    assert submit_with_photo(client, "q-1").status_code == 201
    assert Report.objects.filter(idempotency_key="q-1").count() == 1
    assert RateLimitBucket.objects.count() == 1


def test_quota_counts_bytes_already_stored(settings, tmp_path):
    settings.MEDIA_QUOTA_BYTES = 100
    settings.MEDIA_QUOTA_RECHECK_SECONDS = 0
    photo_storage._usage.reset()
    name = default_storage.save(f"reports/{uuid.uuid4()}/a.jpg", ContentFile(b"z" * 60))
    try:
        used = photo_storage.media_usage_bytes()
        photo_storage.check_media_quota(100 - used)  # exactly full is allowed
        with pytest.raises(StorageFull, match="try again later"):
            photo_storage.check_media_quota(100 - used + 1)
    finally:
        default_storage.delete(name)
        photo_storage._usage.reset()


def test_no_quota_by_default(settings):
    assert settings.MEDIA_QUOTA_BYTES is None
    photo_storage.check_media_quota(10**15)


def test_storage_setting_local_by_default():
    storages = storages_from_env({})
    assert storages["default"] == {"BACKEND": "common.atomic_storage.AtomicFileSystemStorage"}
    assert storages["staticfiles"]["BACKEND"].endswith("StaticFilesStorage")


def test_storage_setting_s3_from_environment():
    env = {
        "HT_STORAGE": "s3",
        "HT_S3_BUCKET": "hientruong-photos",
        "HT_S3_ENDPOINT_URL": "https://s3.example.vn",
        "HT_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "HT_S3_SECRET_ACCESS_KEY": "secret",
        "HT_S3_REGION": "hn-1",
    }
    default = storages_from_env(env)["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "hientruong-photos",
        "endpoint_url": "https://s3.example.vn",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "secret",
        "region_name": "hn-1",
        "location": "media",
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
    }
    from storages.backends import s3 as storages  # installed by setup.sh (the s3 extra)

    backend = storages.S3Storage(**default["OPTIONS"])  # builds without contacting a server
    assert backend.bucket_name == "hientruong-photos"
    assert backend.url("reports/x/r0.jpg").startswith("https://s3.example.vn/hientruong-photos/")


def test_storage_setting_s3_names_what_is_missing():
    with pytest.raises(ValueError, match="HT_S3_BUCKET"):
        storages_from_env({"HT_STORAGE": "s3"})
    with pytest.raises(ValueError, match="'local' or 's3'"):
        storages_from_env({"HT_STORAGE": "ftp"})


def test_photos_are_written_whole_or_not_at_all(tmp_path):
    """A write that fails half-way leaves nothing under the final name, nor a temporary."""
    from django.core.files.base import ContentFile, File

    from common.atomic_storage import AtomicFileSystemStorage

    storage = AtomicFileSystemStorage(location=tmp_path)
    name = storage.save("reports/a/r0.jpg", ContentFile(b"x" * 10_000))
    assert (tmp_path / name).read_bytes() == b"x" * 10_000
    # The same name again: a new name, the first file untouched.
    second = storage.save("reports/a/r0.jpg", ContentFile(b"y"))
    assert second != name and (tmp_path / name).read_bytes() == b"x" * 10_000

    class Failing(File):
        def chunks(self, chunk_size=None):
            yield b"half of a photo"
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        storage.save("reports/a/r9.jpg", Failing(None, name="r9.jpg"))
    left = sorted(p.name for p in (tmp_path / "reports" / "a").iterdir())
    assert left == sorted([name.rsplit("/", 1)[1], second.rsplit("/", 1)[1]])
