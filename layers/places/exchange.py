"""Import and export of places and price lists: the one path the command and the office's
page share (etl/management/commands/import_places.py, export_places.py; the staff API).

All or nothing (issue 13): the readers (etl.places) have already checked every row; here
each ref is looked up, a price naming no known place is refused, then one transaction calls
the services (place_create / place_update / price_set, audited as "import"), and a problem
they find rolls everything back. Problems read "dòng N: <cột>: <lý do>", grouped under the
file (or GeoPackage layer) they are in. A ref that is an existing place's public_id (an
export) updates that place; any other ref is the office's key for its own place (source
"office", source_id = ref), so importing the same file twice updates instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from etl.place_import import (
    OFFICE_SOURCE,
    as_public_id,
    changed_fields,
    place_data,
    place_record,
    price_arguments,
    price_record,
)
from etl.places import PlaceRecord, PriceRecord, ReadResult, row_error, unknown_price_refs
from layers.models import PlaceChange, PointOfInterest
from layers.places import services


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices_added: int = 0
    prices_unchanged: int = 0

    def summary(self) -> str:
        return _(
            "Địa điểm: %(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s không đổi. "
            "Giá: %(added)s thêm, %(same)s không đổi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "added": self.prices_added,
            "same": self.prices_unchanged,
        }


class ImportRefused(Exception):
    """Problems found reading or writing: nothing was stored. `problems` are the lines
    grouped under their file ("places.csv:", then "  dòng 3: kind: ...")."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

    @property
    def count(self) -> int:
        return sum(1 for line in self.problems if line.startswith("  "))

    def heading(self) -> str:
        return _("Không nhập gì cả: %(n)s lỗi, không có gì được ghi.") % {"n": self.count}


def find_place(ref: str) -> PointOfInterest | None:
    """The place a ref names: by public_id (an exported file), else the office's own ref."""
    public_id = as_public_id(ref)
    if public_id is not None:
        found = PointOfInterest.objects.filter(public_id=public_id).first()
        if found is not None:
            return found
    return PointOfInterest.objects.filter(source=OFFICE_SOURCE, source_id=ref).first()


def _messages(exc: ValidationError) -> Iterable[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                yield field, message
    else:
        for message in exc.messages:
            yield "-", message


def sections(sources: tuple[str, str], *groups: list[str]) -> list[str]:
    """Problems grouped under the file (or layer) they are in, places first."""
    lines: list[str] = []
    for source, problems in zip(sources, groups, strict=True):
        if problems:
            lines.append(f"{source}:")
            lines += [f"  {problem}" for problem in problems]
    return lines


def _place(record: PlaceRecord, existing: Any, user: Any, counts: ImportCounts):
    if existing is None:
        counts.created += 1
        data = place_data(record, creating=True)
        return services.place_create(
            user=user,
            values={k: v for k, v in data.items() if k not in ("source", "source_id", "layer")},
            source=data["source"],
            source_id=data["source_id"],
            layer=data["layer"],
            action=PlaceChange.Action.IMPORT,
        )
    data = place_data(record, creating=False)
    changed = changed_fields(existing, data)
    if not changed:
        counts.unchanged += 1
        return existing
    counts.updated += 1
    services.place_update(
        user=user,
        place=existing,
        values={name: data[name] for name in changed},
        action=PlaceChange.Action.IMPORT,
    )
    return existing


def _price(place: Any, record: PriceRecord, user: Any, counts: ImportCounts) -> None:
    arguments = price_arguments(record)
    if place.prices.filter(**arguments).exists():  # the same listed price: nothing new
        counts.prices_unchanged += 1
        return
    services.price_set(user=user, place=place, values=arguments)
    counts.prices_added += 1


def _write(
    places: ReadResult[PlaceRecord],
    prices: ReadResult[PriceRecord],
    sources: tuple[str, str],
    user: Any,
) -> ImportCounts:
    found = {record.ref: find_place(record.ref) for record in places.records}
    file_refs = set(found)
    known = file_refs | {
        r.ref for r in prices.records if r.ref not in file_refs and find_place(r.ref)
    }
    unknown_price_refs(prices, known)
    problems = sections(sources, places.errors, prices.errors)
    if problems:
        raise ImportRefused(problems)
    counts = ImportCounts()
    by_ref: dict[str, Any] = {}
    place_problems: list[str] = []
    for record in places.records:
        try:
            by_ref[record.ref] = _place(record, found[record.ref], user, counts)
        except ValidationError as exc:
            place_problems += [row_error(record.row, f, m) for f, m in _messages(exc)]
    price_problems: list[str] = []
    for price in prices.records:
        place = by_ref.get(price.ref) or find_place(price.ref)
        if place is None:  # its place row was refused above
            continue
        try:
            _price(place, price, user, counts)
        except ValidationError as exc:
            price_problems += [row_error(price.row, f, m) for f, m in _messages(exc)]
    problems = sections(sources, place_problems, price_problems)
    if problems:
        raise ImportRefused(problems)
    return counts


def import_records(
    *,
    places: ReadResult[PlaceRecord],
    prices: ReadResult[PriceRecord],
    sources: tuple[str, str],
    user: Any,
    dry_run: bool = False,
) -> ImportCounts:
    """Writes what the readers found, all or nothing; raises ImportRefused with every problem.
    A dry run does all the work (so the services' checks run too) and rolls it back."""
    with transaction.atomic():
        counts = _write(places, prices, sources, user)
        if dry_run:
            transaction.set_rollback(True)
    return counts


def export_records(
    *, source: str | None = None, with_demo: bool = False
) -> tuple[list[PlaceRecord], list[PriceRecord]]:
    """Places (by name) and their prices with the history (oldest first per item) as
    exchange records; each place's ref is its public_id."""
    queryset = PointOfInterest.objects.order_by("name", "pk").prefetch_related("prices")
    if source:
        queryset = queryset.filter(source=source)
    if not with_demo:
        queryset = queryset.filter(is_demo=False)
    places: list[PlaceRecord] = []
    prices: list[PriceRecord] = []
    place: Any
    for place in queryset:
        record = place_record(place)
        places.append(record)
        rows = sorted(place.prices.all(), key=lambda p: (p.item, p.unit, p.valid_from, p.pk))
        prices += [price_record(row, record.ref) for row in rows]
    return places, prices
