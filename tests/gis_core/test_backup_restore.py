"""backup then restore into a freshly created empty database on the same server: every
ward, report and photo comes back, rows and files byte for byte."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.backup import Connection
from gis_core.models import Report, ReportPhoto
from gis_core.video_storage import private_storage
from tests.gis_core.photo_factory import image_bytes, publish_pending_photos
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


@pytest.fixture
def empty_database():
    """A new, empty database on the test server; dropped afterwards."""
    source = Connection.from_django()
    name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
    admin = source.connect()
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Connection(name, source.user, source.password, source.host, source.port)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _url(conn: Connection) -> str:
    auth = conn.user + (f":{conn.password}" if conn.password else "")
    return f"postgis://{auth}@{conn.host or 'localhost'}:{conn.port or 5432}/{conn.name}"


def _rows(conn: Connection, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg2.connect(
        dbname=conn.name, user=conn.user or None, password=conn.password or None,
        host=conn.host or None, port=conn.port or None,
    ) as pg, pg.cursor() as cursor:  # fmt: skip
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pg.close()
    return rows


REPORT_SQL = """SELECT public_id::text, description, ST_AsText(location), ward_id, contact_phone,
                status FROM gis_core_report ORDER BY id"""
WARD_SQL = """SELECT id, code, version_id, md5(ST_AsBinary(geom))
              FROM ward_boundaries_ward ORDER BY id"""
PHOTO_SQL = "SELECT report_id, image, thumbnail, sha256, kind FROM gis_core_reportphoto ORDER BY id"


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database(
    mong_cai_wards, seed_categories, empty_database, tmp_path
):
    client = APIClient()
    for i, (code, fmt) in enumerate([("06709", "JPEG"), ("06757", "PNG"), ("06709", "WEBP")]):
        x, y = POINTS[code]
        photo = io.BytesIO(image_bytes(fmt))
        photo.name = f"p{i}.{fmt.lower()}"
        body = {"category": "moi_truong", "description": f"Báo cáo {i}", "lon": x, "lat": y,
                "contact_phone": "0912345678", "consent_notice_version": "2026-01",
                "photos": [photo]}  # fmt: skip
        assert client.post(reverse("api:report-list"), body, format="multipart").status_code == 201
    client.post(reverse("api:report-list"), {"category": "khac", "description": "không ảnh",
                "lon": POINTS["06709"][0], "lat": POINTS["06709"][1]}, format="json")  # fmt: skip
    assert Report.objects.count() == 4 and ReportPhoto.objects.count() == 3
    assert publish_pending_photos() == 3  # the media task: blurred, then public
    source = Connection.from_django()
    photo_files = {
        name: hashlib.sha256(default_storage.open(name).read()).hexdigest()
        for p in ReportPhoto.objects.all()
        for name in (p.image.name, p.thumbnail.name)
    }
    private = private_storage()
    originals = {
        p.original.name: hashlib.sha256(private.open(p.original.name).read()).hexdigest()
        for p in ReportPhoto.objects.all()
    }
    assert len(originals) == 3

    out = io.StringIO()
    call_command("backup", "--output-dir", str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().split("Backup written to ")[1].strip())
    assert {p.name for p in folder.iterdir()} == {
        "database.dump", "media.tar", "private-media.tar", "manifest.json"
    }  # fmt: skip

    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"
    out = io.StringIO()
    call_command(
        "restore", str(folder), "--database-url", _url(empty_database),
        "--media-root", str(restored_media), "--private-media-root", str(restored_private),
        "--yes", stdout=out,
    )  # fmt: skip
    assert "gis_core_report" in out.getvalue()

    for sql in (REPORT_SQL, WARD_SQL, PHOTO_SQL):
        assert _rows(empty_database, sql) == _rows(source, sql)
    assert len(_rows(empty_database, WARD_SQL)) == Ward.objects.count() == 23
    for name, digest in photo_files.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest
    # The originals before their blur come back too (staff's only copy of what was sent),
    # and never into the public folder.
    for name, digest in originals.items():
        assert hashlib.sha256((restored_private / name).read_bytes()).hexdigest() == digest
        assert not (restored_media / name).exists()
    # The restored database still assigns wards (PostGIS, functions and triggers came back).
    x, y = POINTS["06757"]
    ward = _rows(
        empty_database,
        "SELECT w.code FROM ht_ward_for_point(ST_SetSRID(ST_MakePoint(%s, %s), 4326), "
        "current_date, NULL) a JOIN ward_boundaries_ward w ON w.id = a.ward_id",
        (x, y),
    )
    assert ward == [("06757",)]

    # A second restore into the now non-empty database is refused, naming the way out.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), "--database-url", _url(empty_database),
                     "--no-media", "--yes")  # fmt: skip


def test_a_damaged_backup_is_refused(tmp_path):
    folder = tmp_path / "hientruong-20260101-000000"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"x")
    with pytest.raises(CommandError, match="not a complete backup"):
        call_command("restore", str(folder), "--yes", "--no-media")
    (folder / "manifest.json").write_text('{"sha256": {"database.dump": "00"}}')
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--yes", "--no-media")
    assert os.path.exists(folder)
