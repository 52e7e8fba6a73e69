"""import_places: the tourism office's places and price lists from CSV or GeoPackage.

All or nothing (issue 13): every file is read and every row checked first, each problem
printed as "dòng N: <cột>: <lý do>"; then one transaction calls the layers services
(place_create / place_update / price_set), and a problem they find rolls everything back.
A ref that is an existing place's public_id (an export) updates that place; any other ref
is the office's key for its own place (source "office", source_id = ref), so importing the
same file twice updates instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from etl.management.import_command import ImportCommand
from etl.place_import import (
    OFFICE_SOURCE,
    as_public_id,
    changed_fields,
    place_data,
    price_arguments,
)
from etl.places import (
    PlaceRecord,
    PriceRecord,
    ReadResult,
    read_places_csv,
    read_places_gpkg,
    read_prices_csv,
    row_error,
    unknown_price_refs,
)
from layers.models import PlaceChange, PointOfInterest
from layers.places import services as place_services


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices_added: int = 0
    prices_unchanged: int = 0


class Refused(Exception):
    """Problems found while writing: the transaction is rolled back."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def find_place(ref: str) -> PointOfInterest | None:
    """The place a ref names: by public_id (an exported file), else the office's own ref."""
    public_id = as_public_id(ref)
    if public_id is not None:
        found = PointOfInterest.objects.filter(**{"public_id": public_id}).first()
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


class Command(ImportCommand):
    help = (
        "Import the tourism office's places and price lists from CSV (places.csv, --prices "
        "prices.csv) or a GeoPackage (layers places and prices); one bad row writes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="places.csv or a .gpkg with layers places and prices")
        parser.add_argument("--prices", help="prices.csv (with a places CSV)")
        parser.add_argument("--user", help="username recorded as the author of the changes")
        self.add_dry_run_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        user = self._user(options["user"])
        places, prices, sources = self._read(path, options["prices"])
        for warning in places.warnings + prices.warnings:
            self.stdout.write(self.style.WARNING(warning))
        try:
            with transaction.atomic():
                counts = self._import(places, prices, sources, user)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except Refused as exc:
            raise CommandError(self._refusal(exc.problems)) from exc
        self.stdout.write(
            _(
                "Địa điểm: %(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s không đổi. "
                "Giá: %(added)s thêm, %(same)s không đổi."
            )
            % {
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "added": counts.prices_added,
                "same": counts.prices_unchanged,
            }
        )
        if options["dry_run"]:
            self.stdout.write(self.style.NOTICE(_("Chạy thử: không có gì được lưu.")))

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(_("Không có người dùng “%(name)s”.") % {"name": username}) from exc

    def _read(
        self, path: Path, prices_path: str | None
    ) -> tuple[ReadResult[PlaceRecord], ReadResult[PriceRecord], tuple[str, str]]:
        suffix = path.suffix.lower()
        if suffix == ".gpkg":
            if prices_path:
                raise CommandError(_("--prices chỉ dùng với tệp CSV; GeoPackage có lớp prices."))
            places, prices = read_places_gpkg(path)
            return places, prices, (f"{path.name} (places)", f"{path.name} (prices)")
        if suffix != ".csv":
            raise CommandError(
                _("Không đọc được tệp “%(suffix)s”: dùng .csv hoặc .gpkg.") % {"suffix": suffix}
            )
        places = read_places_csv(path)
        prices = read_prices_csv(prices_path) if prices_path else ReadResult()
        return places, prices, (path.name, Path(prices_path or "prices.csv").name)

    def _import(
        self,
        places: ReadResult[PlaceRecord],
        prices: ReadResult[PriceRecord],
        sources: tuple[str, str],
        user: Any,
    ) -> Counts:
        found = {record.ref: find_place(record.ref) for record in places.records}
        file_refs = set(found)
        known = file_refs | {
            r.ref for r in prices.records if r.ref not in file_refs and find_place(r.ref)
        }
        unknown_price_refs(prices, known)
        problems = self._sections(sources, places.errors, prices.errors)
        if problems:
            raise Refused(problems)
        services = place_services
        counts = Counts()
        by_ref: dict[str, Any] = {}
        place_problems: list[str] = []
        for record in places.records:
            existing = found[record.ref]
            try:
                by_ref[record.ref] = self._place(services, record, existing, user, counts)
            except ValidationError as exc:
                place_problems += [row_error(record.row, f, m) for f, m in _messages(exc)]
        price_problems: list[str] = []
        for price in prices.records:
            place = by_ref.get(price.ref) or find_place(price.ref)
            if place is None:  # its place row was refused above
                continue
            try:
                self._price(services, place, price, user, counts)
            except ValidationError as exc:
                price_problems += [row_error(price.row, f, m) for f, m in _messages(exc)]
        problems = self._sections(sources, place_problems, price_problems)
        if problems:
            raise Refused(problems)
        return counts

    def _place(self, services: Any, record: PlaceRecord, existing: Any, user: Any, counts: Counts):
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

    def _price(self, services: Any, place: Any, record: PriceRecord, user: Any, counts: Counts):
        arguments = price_arguments(record)
        if place.prices.filter(**arguments).exists():  # the same listed price: nothing new
            counts.prices_unchanged += 1
            return
        services.price_set(user=user, place=place, values=arguments)
        counts.prices_added += 1

    @staticmethod
    def _sections(sources: tuple[str, str], *groups: list[str]) -> list[str]:
        """Problems grouped under the file (or layer) they are in, places first."""
        lines: list[str] = []
        for source, problems in zip(sources, groups, strict=True):
            if problems:
                lines.append(f"{source}:")
                lines += [f"  {problem}" for problem in problems]
        return lines

    @staticmethod
    def _refusal(problems: list[str]) -> str:
        count = sum(1 for line in problems if line.startswith("  "))
        heading = _("Không nhập gì cả: %(n)s lỗi, không có gì được ghi.") % {"n": count}
        return "\n".join([heading, *problems])
