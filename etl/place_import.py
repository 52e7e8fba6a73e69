"""Between exchange records and the layers services: what a record asks a place to become.

Pure on purpose (no app is imported, import-linter's "etl-readers" contract): the command
(etl/management/commands/import_places.py) looks places up and calls the services with these
dicts, and export_places turns model objects into records with ``place_record``/``price_record``
by attribute, so this module needs neither the models nor the database to be tested.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.gis.geos import Point

from etl.places import PLACE_COLUMNS, PRICE_COLUMNS, PlaceRecord, PriceRecord

OFFICE_SOURCE = "office"  # places the tourism office adds (PLACES.md); OSM ones keep "osm"
OFFICE_LAYER = "tourism"  # the map layer of places (layers migration 0006)
# The fields of PointOfInterest a record sets, besides its location: the file's columns
# but the row's key and its coordinates (one list, etl.places).
PLACE_FIELDS: tuple[str, ...] = tuple(c for c in PLACE_COLUMNS if c not in ("ref", "lon", "lat"))
PRICE_FIELDS: tuple[str, ...] = tuple(c for c in PRICE_COLUMNS if c != "ref")


def as_public_id(ref: str) -> uuid.UUID | None:
    """The UUID a ref spells (an exported place's public_id), else None (an office ref)."""
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


def place_data(record: PlaceRecord, *, creating: bool) -> dict[str, Any]:
    """The ``data`` of place_create/place_update: model field names to values.

    A new place is the office's (source "office", source_id = the file's ref, layer
    "tourism"); an update never changes where a place came from.
    """
    data: dict[str, Any] = {name: getattr(record, name) for name in PLACE_FIELDS}
    data["location"] = Point(record.lon, record.lat, srid=4326)
    if creating:
        data.update(source=OFFICE_SOURCE, source_id=record.ref, layer=OFFICE_LAYER)
    return data


def changed_fields(place: Any, data: dict[str, Any]) -> list[str]:
    """The fields of `data` that differ from `place` (so an unchanged row is not re-saved,
    and the audit holds only real changes)."""
    changed = []
    for name, value in data.items():
        current = getattr(place, name, None)
        if name == "location":
            if current is None or (current.x, current.y) != (value.x, value.y):
                changed.append(name)
        elif (current or None) != (value or None):  # "" and None are both "nothing"
            changed.append(name)
    return changed


def price_arguments(record: PriceRecord) -> dict[str, Any]:
    """The keyword arguments of price_set besides user and place."""
    return {name: getattr(record, name) for name in PRICE_FIELDS}


NULLABLE_FIELDS = frozenset({"star_rating", "ocop_stars", "verified_at"})


def place_record(place: Any) -> PlaceRecord:
    """A PointOfInterest as an exchange record; its ref is its public_id."""
    values: dict[str, Any] = {}
    for name in PLACE_FIELDS:
        value = getattr(place, name)
        values[name] = value if value is not None or name in NULLABLE_FIELDS else ""
    values["hours"] = values["hours"] or {}
    return PlaceRecord(
        row=0, ref=str(place.public_id), lon=place.location.x, lat=place.location.y, **values
    )


def price_record(price: Any, ref: str) -> PriceRecord:
    """A PlacePrice as an exchange record of the place whose ref is `ref`."""
    return PriceRecord(row=0, ref=ref, **{name: getattr(price, name) for name in PRICE_FIELDS})
