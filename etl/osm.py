"""Read OpenStreetMap files (.osm XML, .osm.pbf) into POI records, layered by a tag mapping.

GDAL's OSM driver (bundled with pyogrio) gives nodes in the "points" layer and closed ways /
multipolygon relations in "multipolygons"; an area becomes the point returned by shapely's
``representative_point`` (always inside it, so its ward is the area's ward). Lines and other
relations are not read.

A mapping file (``etl/data/osm_tag_mapping.json`` by default) is a JSON object::

    {"description": "...", "rules": [
        {"tag": "tourism", "values": ["hotel", "motel"], "layer": "hotels"},
        {"tag": "shop", "values": ["*"], "when": {"ocop": ["*"]}, "layer": "shops",
         "category": "ocop"},
        {"tag": "internet_access", "values": ["wlan"], "layer": "wifi", "also": true}]}

Rules are tried in order; the first matching rule gives a feature its layer and category
(``category`` defaults to the tag's value). A rule with ``"also": true`` adds the feature to
its layer as well, without ending the search (a cafe with WiFi is in "food" and in "wifi").
``"*"`` matches any value but "no". ``when`` lists further tags that must match and
``name_contains`` words one of which the name must contain (case-insensitive).

Unlike a curated CSV, an OSM extract is not fixed by hand, so features without a matching
rule or without a name are skipped (and counted), and over-long optional values are left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from etl.pois import MAX_LENGTHS, PoiFileError, PoiRecord, _text

DEFAULT_MAPPING = Path(__file__).resolve().parent / "data" / "osm_tag_mapping.json"
OSM_SOURCE = "OpenStreetMap"
OSM_LICENCE = "ODbL 1.0, © OpenStreetMap contributors"
OSM_URL = "https://www.openstreetmap.org/"
# Tags that fill their own PointOfInterest column, so they are not repeated in `tags`.
FIELD_TAGS = {
    "name",
    "name:en",
    "name:zh",
    "name:zh-Hans",
    "description",
    "description:vi",
    "description:en",
    "description:zh",
    "description:zh-Hans",
    "opening_hours",
    "phone",
    "contact:phone",
    "website",
    "contact:website",
    "ocop:stars",
}
# Widths of the optional columns an OSM feature fills (layers.PointOfInterest).
FIELD_LENGTHS = {
    "name_en": 200,
    "name_zh": 200,
    "description": 2000,
    "description_en": 2000,
    "description_zh": 2000,
    "address": 300,
    "opening_hours": 200,
    "phone": 30,
}
# Tags of the Chinese name, best first: Simplified (name:zh-Hans) before the plain name:zh,
# which in OSM is usually Simplified too; name:zh-Hant (Traditional) is not read.
NAME_ZH_TAGS = ("name:zh-Hans", "name:zh")
ADDRESS_PARTS: tuple[str, ...] = (
    "addr:housenumber",
    "addr:street",
    "addr:hamlet",
    "addr:subdistrict",
)
ADDRESS_PARTS += ("addr:district", "addr:city", "addr:province")
RULE_KEYS = {"tag", "values", "layer", "category", "when", "name_contains", "also", "comment"}
MAPPING_KEYS = {"description", "rules"}
# One "key"=>"value" pair of GDAL's other_tags (hstore text; \" and \\ escaped).
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*(?:"((?:[^"\\]|\\.)*)"|NULL)', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class OsmMappingError(PoiFileError):
    """A tag-mapping file refused as a whole (not JSON, unknown key, bad rule)."""


@dataclass(frozen=True)
class MappingRule:
    tag: str
    values: tuple[str, ...]
    layer: str
    category: str = ""
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    name_contains: tuple[str, ...] = ()
    also: bool = False

    def matches(self, tags: dict[str, str], name: str) -> bool:
        if not _value_matches(tags.get(self.tag), self.values):
            return False
        if not all(_value_matches(tags.get(k), v) for k, v in self.when):
            return False
        if self.name_contains:
            folded = name.casefold()
            return any(word.casefold() in folded for word in self.name_contains)
        return True


@dataclass
class OsmRead:
    """The records of an OSM file (each with its layer) and what was skipped."""

    records: list[PoiRecord]
    layers: list[str]
    skipped_unmapped: int = 0
    skipped_unnamed: int = 0
    problems: list[str] = field(default_factory=list)


def is_osm_file(path: str | Path) -> bool:
    name = Path(path).name.lower()
    return name.endswith((".osm", ".osm.pbf", ".pbf"))


def load_mapping(path: str | Path | None = None) -> list[MappingRule]:
    """Read and check a mapping file; raises OsmMappingError listing every problem."""
    path = Path(path) if path else DEFAULT_MAPPING
    if not path.is_file():
        raise OsmMappingError(path, "no such mapping file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OsmMappingError(path, f"mapping is not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise OsmMappingError(path, 'mapping must be a JSON object with a "rules" list')
    problems = [
        f"unknown key {k!r} (allowed: description, rules)" for k in data if k not in MAPPING_KEYS
    ]
    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not rules_data:
        problems.append('"rules" must be a non-empty list')
        rules_data = []
    rules = []
    for number, raw in enumerate(rules_data, start=1):
        rule, bad = _rule(raw)
        problems.extend(f"rule #{number}: {p}" for p in bad)
        if rule:
            rules.append(rule)
    if problems:
        raise OsmMappingError(path, problems)
    return rules


def _rule(raw) -> tuple[MappingRule | None, list[str]]:
    if not isinstance(raw, dict):
        return None, ["must be a JSON object"]
    bad = [
        f"unknown key {k!r} (allowed: {', '.join(sorted(RULE_KEYS))})"
        for k in raw
        if k not in RULE_KEYS
    ]
    tag, layer, category = raw.get("tag"), raw.get("layer"), raw.get("category", "")
    if not isinstance(tag, str) or not tag:
        bad.append('"tag" must be a non-empty string')
    values = _strings(raw.get("values"), '"values"', bad, required=True)
    if not isinstance(layer, str) or not _is_slug(layer) or len(layer) > 50:
        bad.append(f'"layer" {layer!r} must be a slug of at most 50 characters, e.g. tourism')
    if not isinstance(category, str) or len(category) > MAX_LENGTHS["category"]:
        bad.append('"category" must be a string of at most 50 characters')
    when = raw.get("when", {})
    if not isinstance(when, dict):
        bad.append('"when" must be an object of tag: [values]')
        when = {}
    when_pairs = tuple(
        (k, _strings(v, f'"when" {k!r}', bad, required=True)) for k, v in when.items()
    )
    name_contains = _strings(raw.get("name_contains", []), '"name_contains"', bad)
    also = raw.get("also", False)
    if not isinstance(also, bool):
        bad.append('"also" must be true or false')
    if bad or not (isinstance(tag, str) and isinstance(layer, str) and isinstance(category, str)):
        return None, bad  # (a non-string has its message in bad)
    return MappingRule(tag, values, layer, category, when_pairs, name_contains, also), []


def _strings(value, label: str, bad: list[str], required: bool = False) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(v, str) and v for v in value)
    ):
        bad.append(f"{label} must be a {'non-empty ' if required else ''}list of strings")
        return ()
    return tuple(value)


def _is_slug(text: str) -> bool:
    try:
        validate_slug(text)
    except ValidationError:
        return False
    return True


def _value_matches(value: str | None, wanted: tuple[str, ...]) -> bool:
    if not value:
        return False
    if "*" in wanted and value != "no":
        return True
    return value in wanted


def parse_other_tags(text: str | None) -> dict[str, str]:
    """GDAL's other_tags (``"k"=>"v","k2"=>"v2"``, quotes and backslashes escaped) as a dict."""
    tags: dict[str, str] = {}
    for match in _PAIR.finditer(text or ""):
        key = _ESCAPE.sub(r"\1", match.group(1))
        if match.group(2) is not None:
            tags[key] = _ESCAPE.sub(r"\1", match.group(2))
    return tags


def read_osm_file(
    path: str | Path, rules: list[MappingRule], *, source: str = "", licence: str = ""
) -> OsmRead:
    """Every mapped, named node and area of an OSM file as records (``layer`` set)."""
    path = Path(path)
    if not path.is_file():
        raise PoiFileError(path, "no such file")
    import pyogrio

    if "OSM" not in pyogrio.list_drivers():
        raise PoiFileError(
            path,
            "GDAL's OSM driver is missing from pyogrio's GDAL build; install a pyogrio wheel "
            "with the OSM driver or convert the file to GeoJSON first (e.g. with osmium)",
        )
    result = OsmRead(records=[], layers=sorted({r.layer for r in rules}))
    for gdal_layer in ("points", "multipolygons"):
        try:
            frame = pyogrio.read_dataframe(path, layer=gdal_layer)
        except Exception as exc:  # pyogrio raises several DataSource/DataLayer errors
            raise PoiFileError(path, f"not a readable OSM file: {exc}") from exc
        columns = [c for c in frame.columns if c != "geometry"]
        for row, values in enumerate(frame[columns].itertuples(index=False), start=1):
            props = dict(zip(columns, values, strict=True))
            geometry = frame.geometry.iloc[row - 1]
            _add_feature(result, props, geometry, source=source, licence=licence, rules=rules)
    return result


def _add_feature(result: OsmRead, props: dict, geometry, *, source, licence, rules) -> None:
    tags = {}
    for key, value in props.items():
        if key not in ("osm_id", "osm_way_id", "other_tags") and _present(value):
            tags[key] = str(value)
    tags.update(
        parse_other_tags(props.get("other_tags") if _present(props.get("other_tags")) else "")
    )
    tags = {k: _text(v) for k, v in tags.items() if _text(v)}
    if _present(props.get("osm_way_id")):
        source_id = f"way/{props['osm_way_id']}"
    elif "osm_way_id" in props:
        source_id = f"relation/{props['osm_id']}"
    else:
        source_id = f"node/{props['osm_id']}"
    name = tags.get("name") or tags.get("name:vi") or ""
    matched = _matching_rules(rules, tags, name)
    if not matched:
        result.skipped_unmapped += 1
        return
    if not name or geometry is None or geometry.is_empty:
        result.skipped_unnamed += 1
        return
    point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
    common = _fields(tags, name)
    for rule in matched:
        result.records.append(
            PoiRecord(
                row=len(result.records) + 1,
                source_id=source_id,
                category=rule.category or tags[rule.tag],
                tags=_tag_text(tags),
                source=source or OSM_SOURCE,
                source_url=OSM_URL + source_id,
                licence=licence or OSM_LICENCE,
                lon=point.x,
                lat=point.y,
                layer=rule.layer,
                **common,
            )
        )


def _matching_rules(rules: list[MappingRule], tags: dict, name: str) -> list[MappingRule]:
    """The first matching rule plus every matching "also" rule, one per layer."""
    matched: list[MappingRule] = []
    primary_found = False
    for rule in rules:
        if rule.also:
            if rule.matches(tags, name):
                matched.append(rule)
        elif not primary_found and rule.matches(tags, name):
            matched.append(rule)
            primary_found = True
    by_layer: dict[str, MappingRule] = {}
    for rule in matched:
        by_layer.setdefault(rule.layer, rule)
    # The primary rule first, then "also" layers in mapping order.
    return sorted(by_layer.values(), key=lambda r: r.also)


def _fields(tags: dict[str, str], name: str) -> dict:
    phone = (tags.get("phone") or tags.get("contact:phone") or "").split(";")[0].strip()
    website = (tags.get("website") or tags.get("contact:website") or "").split(";")[0].strip()
    if not website.startswith(("http://", "https://")) or len(website) > 200:
        website = ""
    address = tags.get("addr:full") or ", ".join(tags[k] for k in ADDRESS_PARTS if tags.get(k))
    if not address and tags.get("address"):
        address = tags["address"]
    values: dict[str, Any] = {
        "name": name[: MAX_LENGTHS["name"]].strip(),
        "name_en": tags.get("name:en", ""),
        "name_zh": next((tags[k] for k in NAME_ZH_TAGS if tags.get(k)), ""),
        "description": tags.get("description:vi") or tags.get("description", ""),
        "description_en": tags.get("description:en", ""),
        "description_zh": tags.get("description:zh-Hans") or tags.get("description:zh", ""),
        "address": address,
        "opening_hours": tags.get("opening_hours", ""),
        "phone": phone,
    }
    for key, limit in FIELD_LENGTHS.items():
        if len(values[key]) > limit:
            values[key] = ""
    stars = tags.get("ocop:stars") or tags.get("ocop") or ""
    values["ocop_stars"] = int(stars) if stars in {"1", "2", "3", "4", "5"} else None
    values["website"] = website
    return values


def _tag_text(tags: dict[str, str]) -> str:
    """The tags not given their own column, as ``k=v;k2=v2``, cut at a tag to fit 300."""
    parts: list[str] = []
    length = 0
    for key, value in tags.items():
        if key in FIELD_TAGS or key.startswith("addr:") or key == "address":
            continue
        part = f"{key}={value}"
        if length + len(part) + (1 if parts else 0) > MAX_LENGTHS["tags"]:
            continue
        length += len(part) + (1 if parts else 0)
        parts.append(part)
    return ";".join(parts)


def _present(value) -> bool:
    if value is None:
        return False
    try:
        return value == value and str(value) != ""  # NaN != NaN
    except (TypeError, ValueError):
        return True
