"""import_wards against the real PostGIS: parts by trigger, warnings, updates in place, refusals."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from etl.wards import read_ward_file
from gis_core.models import Category, Report
from tests.conftest import DATA, WARDS_2024, WARDS_2025
from ward_boundaries.models import BoundaryVersion, Ward, WardPart
from ward_boundaries.services import WardImportRefused, ward_version_import

pytestmark = pytest.mark.django_db

RAW_2024 = DATA / "mong_cai_wards_2024_gadm41_raw.geojson"


def import_wards(path, version: str, *options: str) -> str:
    out = StringIO()
    call_command("import_wards", str(path), "--version", version, *options, stdout=out)
    return out.getvalue()


def snapshot(version_name: str) -> dict:
    """Everything an import could change about a version, to compare before and after."""
    version = BoundaryVersion.objects.get(name=version_name)
    wards = {
        w.code: (w.pk, w.name, w.full_name, w.unit_type, w.geom.ewkb.hex())
        for w in Ward.objects.filter(version=version)
    }
    return {
        "version": (version.valid_from, version.valid_to, version.source, version.updated_at),
        "wards": wards,
        "parts": WardPart.objects.filter(ward__version=version).count(),
        "all_wards": Ward.objects.count(),
    }


def edited_copy(tmp_path, source, edit) -> str:
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data["features"])
    path = tmp_path / "edited.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_clean_file_imports_17_wards_and_their_parts():
    out = import_wards(
        WARDS_2024,
        "mong-cai-2024",
        "--valid-to",
        "2025-06-30",
        "--source",
        "GADM 4.1",
        "--licence",
        "GADM",
    )
    assert "17 created, 0 updated, 0 unchanged, 0 deleted" in out
    assert "run reassign_wards to re-decide the wards of existing reports" in out
    assert "Warnings" not in out
    version = BoundaryVersion.objects.get(name="mong-cai-2024")
    assert (version.valid_from, version.valid_to) == (None, dt.date(2025, 6, 30))
    assert (version.source, version.licence) == ("GADM 4.1", "GADM")
    assert version.wards.count() == 17
    without_parts = version.wards.filter(parts__isnull=True)
    assert not without_parts.exists()
    ka_long = version.wards.get(code="06709")
    assert (ka_long.name, ka_long.full_name, ka_long.unit_type) == (
        "Ka Long",
        "Phường Ka Long",
        "phuong",
    )


def test_raw_file_imports_with_overlap_and_gap_warnings():
    out = import_wards(RAW_2024, "mong-cai-2024-raw")
    assert "17 created" in out
    assert "ward 06733 Hải Tiến overlaps ward 06739 Quảng Nghĩa by 150,0" in out
    assert "gaps between wards" in out
    assert Ward.objects.filter(version__name="mong-cai-2024-raw").count() == 17


def test_reimport_updates_in_place():
    import_wards(WARDS_2024, "mong-cai-2024")
    ids = dict(Ward.objects.values_list("code", "pk"))
    out = import_wards(RAW_2024, "mong-cai-2024")
    assert "0 created, 17 updated, 0 unchanged, 0 deleted" in out
    assert dict(Ward.objects.values_list("code", "pk")) == ids
    assert Ward.objects.count() == 17
    # The trigger rebuilt the parts from the new polygons.
    ka_long = Ward.objects.get(code="06709")
    union = ka_long.parts.all()[0].geom
    for part in ka_long.parts.all()[1:]:
        union = union.union(part.geom)
    assert abs(union.area - ka_long.geom.area) < 1e-9
    out = import_wards(RAW_2024, "mong-cai-2024")
    assert "0 created, 0 updated, 17 unchanged, 0 deleted" in out
    assert dict(Ward.objects.values_list("code", "pk")) == ids


def test_refused_file_leaves_the_version_exactly_as_it_was(tmp_path):
    import_wards(WARDS_2024, "mong-cai-2024", "--valid-to", "2025-06-30")
    before = snapshot("mong-cai-2024")

    def duplicate_a_code(features):
        features[5]["properties"]["ward_code"] = features[0]["properties"]["ward_code"]
        features[3]["geometry"] = None

    path = edited_copy(tmp_path, RAW_2024, duplicate_a_code)
    with pytest.raises(CommandError) as info:
        import_wards(path, "mong-cai-2024", "--valid-to", "2026-01-01", "--source", "other")
    message = str(info.value)
    assert info.value.returncode == 1
    assert "both have code 06709" in message and "#1" in message and "#6" in message
    assert "feature #4 (code" in message and "no geometry" in message
    assert snapshot("mong-cai-2024") == before


def test_wards_with_reports_are_not_deleted(tmp_path):
    import_wards(WARDS_2024, "mong-cai-2024", "--valid-to", "2025-06-30")
    hoa_lac = Ward.objects.get(code="06718")
    report = Report.objects.create(
        category=Category.objects.order_by("pk").first(),
        description="Rác thải",
        location=hoa_lac.geom.point_on_surface,
        reported_at=dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC),
    )
    report.refresh_from_db()
    assert report.ward_id == hoa_lac.pk
    before = snapshot("mong-cai-2024")

    def drop(codes):
        def edit(features):
            features[:] = [f for f in features if f["properties"]["ward_code"] not in codes]

        return edit

    path = edited_copy(tmp_path, WARDS_2024, drop({"06718", "06721"}))
    with pytest.raises(CommandError, match=r"06718 Hoà Lạc \(1 reports\)"):
        import_wards(path, "mong-cai-2024")
    assert snapshot("mong-cai-2024") == before

    path = edited_copy(tmp_path, WARDS_2024, drop({"06721"}))
    out = import_wards(path, "mong-cai-2024")
    assert "0 created, 0 updated, 16 unchanged, 1 deleted" in out
    assert not Ward.objects.filter(code="06721").exists()
    report.refresh_from_db()
    assert report.ward_id == hoa_lac.pk


def test_overlapping_versions_warn_with_the_shared_period():
    import_wards(WARDS_2024, "mong-cai-a", "--valid-from", "2024-01-01")
    result = ward_version_import(
        records=read_ward_file(WARDS_2025)[0], version="mong-cai-b", valid_from=dt.date(2025, 7, 1)
    )
    cross = [w for w in result.warnings if "(version mong-cai-a)" in w]
    assert cross, result.warnings
    assert any(
        w.startswith(
            "ward 06709 Móng Cái 2 (version mong-cai-b) overlaps ward 06709 Ka Long "
            "(version mong-cai-a) by "
        )
        and w.endswith("m² while both are valid from 2025-07-01 onwards")
        for w in cross
    ), cross
    assert any("version mong-cai-b overlaps version(s) mong-cai-a" in w for w in result.warnings)


def test_consecutive_versions_do_not_warn():
    import_wards(WARDS_2024, "mong-cai-2024", "--valid-to", "2025-06-30")
    result = ward_version_import(
        records=read_ward_file(WARDS_2025)[0],
        version="mong-cai-2025",
        valid_from=dt.date(2025, 7, 1),
    )
    assert result.created == 6
    assert result.warnings == []


def test_dry_run_stores_nothing():
    out = import_wards(WARDS_2024, "mong-cai-2024", "--dry-run")
    assert "17 created" in out and "Dry run: nothing was saved." in out
    assert not BoundaryVersion.objects.exists() and not Ward.objects.exists()
    assert not WardPart.objects.exists()


def test_bad_arguments_are_refused():
    with pytest.raises(WardImportRefused, match="must be a slug"):
        ward_version_import(records=read_ward_file(WARDS_2024)[0], version="Móng Cái 2024")
    with pytest.raises(WardImportRefused, match="is after valid_to"):
        ward_version_import(
            records=read_ward_file(WARDS_2024)[0],
            version="x",
            valid_from=dt.date(2025, 7, 1),
            valid_to=dt.date(2025, 6, 30),
        )
    with pytest.raises(CommandError, match="not a date"):
        import_wards(WARDS_2024, "x", "--valid-from", "01/07/2025")
    assert not BoundaryVersion.objects.exists()
