"""Writes of map-layer points: the one path a POI file enters by."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from common.srid import WGS84
from etl.demo_translations import DEMO_POI_TEXTS, DEMO_WIFI_NOTES
from etl.osm import OsmRead
from etl.pois import PoiRecord
from etl.wifi_demo import DEMO_PROVIDER, DEMO_SSID, DEMO_WIFI_SITES
from layers.models import PointOfInterest, WifiSite
from layers.place_kinds import kind_for_import
from layers.text import name_columns

POI_FIELDS = ("name", "category", "tags", "source", "source_url", "licence")
# Names and descriptions in other languages: an OSM import owns them (its tags say them or
# not); a GeoJSON/CSV import writes those its file has a column for (any row filled), so a
# file without English names leaves the English names entered in the admin alone.
TRANSLATED_FIELDS = ("name_en", "name_zh", "description", "description_en", "description_zh")
# Columns an OSM import also owns (a GeoJSON/CSV import leaves them as they are).
OSM_FIELDS = (*TRANSLATED_FIELDS, "address", "opening_hours", "phone", "website", "ocop_stars")
OSM_ID_PREFIXES = ("node/", "way/", "relation/")


class PoiImportRefused(ValueError):
    """An import refused for a reason outside the file (e.g. a layer name that is no slug)."""


@dataclass
class PoiImportResult:
    """What an import did. With dry_run, the counts say what it would have done."""

    layer: str
    created: int
    updated: int
    unchanged: int
    deleted: int
    dry_run: bool = False


@transaction.atomic
def poi_import(
    *,
    records: list[PoiRecord],
    layer: str,
    source: str = "",
    licence: str = "",
    prune: bool = False,
    dry_run: bool = False,
) -> PoiImportResult:
    """Upsert the points read from a POI file (etl.pois.read_poi_file) into `layer` by
    (layer, source_id), all or nothing.

    Re-importing a file updates its points instead of duplicating them. `source`/`licence`
    fill rows that have none. `prune` deletes the layer's points absent from the file.

    Raises PoiImportRefused; then nothing is stored.
    """
    try:
        validate_slug(layer)
    except ValidationError as exc:
        raise PoiImportRefused(
            f"layer name {layer!r} must be a slug (letters, digits, '-' or '_'), e.g. tourism"
        ) from exc
    max_length = PointOfInterest._meta.get_field("layer").max_length
    if max_length is not None and len(layer) > max_length:
        raise PoiImportRefused(f"layer name {layer!r} is longer than 50 characters")
    translated = tuple(f for f in TRANSLATED_FIELDS if any(getattr(r, f) for r in records))
    result = _upsert(
        layer,
        records,
        POI_FIELDS + translated,
        source=source,
        licence=licence,
        prune=prune,
        dry_run=dry_run,
    )
    if dry_run:
        transaction.set_rollback(True)
    return result


@dataclass
class OsmImportResult:
    """Per-layer results of an OpenStreetMap import and the features it skipped."""

    layers: list[PoiImportResult]
    skipped_unmapped: int
    skipped_unnamed: int
    dry_run: bool = False


@transaction.atomic
def osm_import(
    *,
    read: OsmRead,
    layer: str | None = None,
    source: str = "",
    licence: str = "",
    prune: bool = False,
    dry_run: bool = False,
) -> OsmImportResult:
    """Upsert the mapped nodes/areas read from an .osm/.osm.pbf file (etl.osm.read_osm_file)
    into their layers, all or nothing.

    Each feature went to the layer(s) its tags map to; with `layer`, only that layer is
    imported. Points match by
    (layer, node/<id> | way/<id> | relation/<id>). `prune` deletes, in each layer of the
    mapping (or in `layer`), the OSM points (source id node/, way/ or relation/) absent from
    the file; points from a CSV with other ids are kept.

    Raises PoiImportRefused (a `layer` the mapping does not name); then nothing is stored.
    """
    layers = read.layers
    if layer is not None:
        if layer not in layers:
            raise PoiImportRefused(
                f"layer {layer!r} is not in the mapping (its layers: {', '.join(layers)})"
            )
        layers = [layer]
    results = []
    for name in layers:
        records = [r for r in read.records if r.layer == name]
        if not records and not prune:
            continue
        results.append(
            _upsert(
                name,
                records,
                POI_FIELDS + OSM_FIELDS,
                source=source,
                licence=licence,
                prune=prune,
                dry_run=dry_run,
                prune_only=OSM_ID_PREFIXES,
            )
        )
    if dry_run:
        transaction.set_rollback(True)
    return OsmImportResult(
        layers=results,
        skipped_unmapped=read.skipped_unmapped,
        skipped_unnamed=read.skipped_unnamed,
        dry_run=dry_run,
    )


def _upsert(
    layer: str,
    records: list[PoiRecord],
    fields: tuple[str, ...],
    *,
    source: str,
    licence: str,
    prune: bool,
    dry_run: bool,
    prune_only: tuple[str, ...] = (),
) -> PoiImportResult:
    existing = {
        p.source_id: p for p in PointOfInterest.objects.select_for_update().filter(layer=layer)
    }
    to_create, to_update = [], []
    for record in records:
        values = _values(record, fields, source=source, licence=licence)
        poi = existing.get(record.source_id)
        if poi is None:
            # A new point's kind from its category; later imports leave the office's choice.
            kind, stay = kind_for_import(values["category"], layer)
            to_create.append(
                PointOfInterest(
                    layer=layer,
                    source_id=record.source_id,
                    kind=kind,
                    accommodation_type=stay,
                    **values,
                )
            )
        elif _changed(poi, values):
            for key, value in values.items():
                setattr(poi, key, value)
            to_update.append(poi)
    for poi in (*to_create, *to_update):
        # bulk_create/bulk_update skip save(): the search copies of the names are made here,
        # from the point's own English name when the file has none.
        for column, value in name_columns(poi.name, poi.name_en).items():
            setattr(poi, column, value)
    PointOfInterest.objects.bulk_create(to_create)
    PointOfInterest.objects.bulk_update(
        to_update, [*fields, "name_ascii", "search_typed", "search_folded", "location"]
    )
    stale = set(existing) - {r.source_id for r in records} if prune else set()
    if prune_only:
        stale = {s for s in stale if s.startswith(prune_only)}
    if stale:
        PointOfInterest.objects.filter(pk__in=[existing[s].pk for s in stale]).delete()
    return PoiImportResult(
        layer=layer,
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(records) - len(to_create) - len(to_update),
        deleted=len(stale),
        dry_run=dry_run,
    )


def _values(record: PoiRecord, fields: tuple[str, ...], *, source: str, licence: str) -> dict:
    values = {name: getattr(record, name) for name in fields}
    values["source"] = values["source"] or source
    values["licence"] = values["licence"] or licence
    values["location"] = Point(record.lon, record.lat, srid=WGS84)
    return values


def _changed(poi: PointOfInterest, values: dict) -> bool:
    for key, value in values.items():
        current = getattr(poi, key)
        if key == "location":
            if not current.equals_exact(value, 0):
                return True
        elif current != value:
            return True
    return False


@transaction.atomic
def load_demo_wifi(sites: list[tuple[str, float, float, str, int, str]] = DEMO_WIFI_SITES) -> int:
    """Create or update the demo WiFi sites (etl.wifi_demo) by name, idempotent: how many.
    Their notes come in Vietnamese, English and Chinese (etl.demo_translations)."""
    for name, lon, lat, hours, radius, _origin in sites:
        notes = DEMO_WIFI_NOTES.get(name, ("", "", ""))
        WifiSite.objects.update_or_create(
            name=name,
            defaults={
                "ssid": DEMO_SSID,
                "provider": DEMO_PROVIDER,
                "hours": hours,
                "coverage_radius_m": radius,
                "location": Point(lon, lat, srid=WGS84),
                "is_demo": True,
                "notes": notes[0],
                "notes_en": notes[1],
                "notes_zh": notes[2],
            },
        )
    return len(sites)


@transaction.atomic
def fill_poi_translations(*, layer: str, texts: dict[str, dict[str, str]] = DEMO_POI_TEXTS) -> int:
    """Write translated names/descriptions (by source id) into the layer's POIs where the
    column is blank: a name:en or name:zh from OSM, or an administrator's, is kept. Returns
    how many POIs changed. For the demo (etl.demo_translations) and any such table."""
    changed = 0
    for poi in PointOfInterest.objects.select_for_update().filter(
        layer=layer, source_id__in=list(texts)
    ):
        blank = {
            field: value
            for field, value in texts[poi.source_id].items()
            if field in TRANSLATED_FIELDS and value and not getattr(poi, field)
        }
        if blank:
            PointOfInterest.objects.filter(pk=poi.pk).update(**blank)
            changed += 1
    return changed
