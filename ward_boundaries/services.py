"""Writes of boundary versions and their wards: the one path a boundary file enters by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Count

from common.srid import WGS84
from etl.wards import (
    MIN_TOPOLOGY_AREA_M2,
    RepairNote,
    WardRecord,
    file_gaps,
    file_overlaps,
)
from ward_boundaries.models import BoundaryVersion, Ward
from ward_boundaries.outlines import warm_country_outlines
from ward_boundaries.selectors import VersionOverlap, version_overlaps

WARD_FIELDS = (
    "name",
    "full_name",
    "name_ascii",
    "unit_type",
    "district_name",
    "district_code",
    "province_name",
    "province_code",
    "population",
)


class WardImportRefused(ValueError):
    """An import the database state forbids (e.g. deleting wards that reports point at)."""


@dataclass
class WardImportResult:
    """What an import did. With dry_run, the counts say what it would have done and `version`
    is an unsaved snapshot (its row was rolled back)."""

    version: BoundaryVersion
    version_created: bool
    created: int
    updated: int
    unchanged: int
    deleted: int
    repairs: list[RepairNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False


@transaction.atomic
def ward_version_import(
    *,
    records: list[WardRecord],
    repairs: list[RepairNote] | None = None,
    version: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    description: str = "",
    source: str = "",
    licence: str = "",
    dry_run: bool = False,
) -> WardImportResult:
    """Create or update boundary version `version` from the wards read from a boundary file
    (etl.wards.read_ward_file, with the repairs it made), all or nothing.

    Wards are matched by code within the version and updated in place, so their ids (and the
    reports pointing at them) survive a re-import. Wards missing from the file are deleted only
    when no report points at them. Metadata arguments left empty (None/"") keep the existing
    version's values; they are not cleared.

    Raises WardImportRefused; then nothing is changed.
    """
    _check_arguments(version, valid_from, valid_to)
    boundary, version_created = _upsert_version(
        name=version,
        valid_from=valid_from,
        valid_to=valid_to,
        description=description,
        source=source,
        licence=licence,
    )
    existing = {w.code: w for w in Ward.objects.select_for_update().filter(version=boundary)}
    stale = sorted(set(existing) - {r.code for r in records})
    _refuse_if_reported(boundary, [existing[code] for code in stale])
    if stale:
        Ward.objects.filter(pk__in=[existing[code].pk for code in stale]).delete()
    created = updated = unchanged = 0
    for record in records:
        outcome = _upsert_ward(boundary, existing.get(record.code), record)
        created += outcome == "created"
        updated += outcome == "updated"
        unchanged += outcome == "unchanged"
    warnings = _file_warnings(records)
    warnings += _version_warnings(boundary)
    if dry_run:
        transaction.set_rollback(True)
    else:
        # The planner's country view is a second's dissolve: done now, not by its first user.
        transaction.on_commit(warm_country_outlines)
    return WardImportResult(
        version=boundary,
        version_created=version_created,
        created=created,
        updated=updated,
        unchanged=unchanged,
        deleted=len(stale),
        repairs=list(repairs or []),
        warnings=warnings,
        dry_run=dry_run,
    )


def _check_arguments(version: str, valid_from: dt.date | None, valid_to: dt.date | None):
    try:
        validate_slug(version)
    except ValidationError as exc:
        raise WardImportRefused(
            f"version name {version!r} must be a slug (letters, digits, '-' or '_'), "
            "e.g. mong-cai-2024"
        ) from exc
    if valid_from and valid_to and valid_from > valid_to:
        raise WardImportRefused(f"valid_from {valid_from} is after valid_to {valid_to}")


def _upsert_version(
    *, name, valid_from, valid_to, description, source, licence
) -> tuple[BoundaryVersion, bool]:
    """The version row, locked; given values overwrite, empty ones keep what is stored."""
    given = {
        "valid_from": valid_from,
        "valid_to": valid_to,
        "description": description,
        "source": source,
        "licence": licence,
    }
    given = {k: v for k, v in given.items() if v not in (None, "")}
    boundary = BoundaryVersion.objects.select_for_update().filter(name=name).first()
    if boundary is None:
        return BoundaryVersion.objects.create(name=name, **given), True
    for key, value in given.items():
        setattr(boundary, key, value)
    if boundary.valid_from and boundary.valid_to and boundary.valid_from > boundary.valid_to:
        raise WardImportRefused(
            f"version {name} would run from {boundary.valid_from} to {boundary.valid_to}: "
            "give both --valid-from and --valid-to"
        )
    boundary.save()
    return boundary, False


def _refuse_if_reported(boundary: BoundaryVersion, stale: list[Ward]) -> None:
    """Deleting a ward would silently strip its reports of their ward, so refuse instead."""
    if not stale:
        return
    counted = (
        Ward.objects.filter(pk__in=[w.pk for w in stale])
        .annotate(n_reports=Count("reports"))
        .filter(n_reports__gt=0)
        .order_by("code")
    )
    blocked = [f"{w.code} {w.name} ({w.n_reports} reports)" for w in counted]
    if blocked:
        raise WardImportRefused(
            f"the file no longer has {len(blocked)} ward(s) of version {boundary.name} that "
            f"reports point at: {', '.join(blocked)}. Keep them in the file, or move those "
            "reports to another version's wards (reassign_wards) first; nothing was changed"
        )


def _upsert_ward(boundary: BoundaryVersion, ward: Ward | None, record: WardRecord) -> str:
    """Update-or-create by (version, code), skipping the write when nothing changed.

    A skipped write also spares the ward_parts trigger; the trigger alone maintains wardpart.
    """
    # GEOSGeometry takes the class of its WKB (a MultiPolygon here); the stubs cannot tell.
    geom = cast(MultiPolygon, GEOSGeometry(record.geometry.wkb_hex, srid=WGS84))
    values = {name: getattr(record, name) for name in WARD_FIELDS}
    if ward is None:
        Ward.objects.create(version=boundary, code=record.code, geom=geom, **values)
        return "created"
    same_geom = ward.geom is not None and ward.geom.equals_exact(geom, 0)
    if same_geom and all(getattr(ward, k) == v for k, v in values.items()):
        return "unchanged"
    for key, value in values.items():
        setattr(ward, key, value)
    if not same_geom:
        ward.geom = geom
    ward.save()
    return "updated"


def _file_warnings(records: list[WardRecord]) -> list[str]:
    warnings = [str(overlap) for overlap in file_overlaps(records)]
    gaps = file_gaps(records)
    if gaps is not None:
        warnings.append(str(gaps))
    return warnings


def _version_warnings(boundary: BoundaryVersion) -> list[str]:
    overlaps = version_overlaps(version_id=boundary.pk, min_area_m2=MIN_TOPOLOGY_AREA_M2)
    warnings = [_describe_overlap(o) for o in overlaps]
    if overlaps:
        others = sorted({o.other_version for o in overlaps})
        warnings.append(
            f"version {boundary.name} overlaps version(s) {', '.join(others)} while both are "
            "valid; on those days a report there gets the lowest ward code. If one replaces "
            "the other, make their periods meet without overlapping (--valid-from/--valid-to)"
        )
    return warnings


def _describe_overlap(overlap: VersionOverlap) -> str:
    return (
        f"ward {overlap.code} {overlap.name} (version {overlap.version}) overlaps ward "
        f"{overlap.other_code} {overlap.other_name} (version {overlap.other_version}) by "
        f"{overlap.area_m2:,.0f} m² while both are valid "
        f"{_period(overlap.valid_from, overlap.valid_to)}"
    )


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "at all times (both periods are open)"
    if start is None:
        return f"up to {end}"
    if end is None:
        return f"from {start} onwards"
    if start == end:
        return f"on {start}"
    return f"from {start} to {end}"
