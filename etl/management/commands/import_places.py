"""import_places: the tourism office's places and price lists from CSV or GeoPackage.

All or nothing (issue 13): every file is read and every row checked first, each problem
printed as "dòng N: <cột>: <lý do>"; then layers.places.exchange.import_records (the same
path as the tourism office's page) writes through the services in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from etl.management.import_command import ImportCommand
from etl.places import (
    PlaceRecord,
    PriceRecord,
    ReadResult,
    read_places_csv,
    read_places_gpkg,
    read_prices_csv,
)
from layers.places.exchange import ImportRefused, import_records


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
            counts = import_records(
                places=places,
                prices=prices,
                sources=sources,
                user=user,
                dry_run=options["dry_run"],
            )
        except ImportRefused as exc:
            raise CommandError("\n".join([exc.heading(), *exc.problems])) from exc
        self.stdout.write(counts.summary())
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
