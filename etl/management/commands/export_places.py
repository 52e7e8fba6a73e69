"""export_places: places and their price lists as the exchange files import_places reads.

Each place's ref is its public_id, so editing the export in a spreadsheet or QGIS and
importing it again updates the same places. Prices are written with their history (closed
rows too), oldest first per place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from etl.management.import_command import ImportCommand
from etl.place_import import place_record, price_record
from etl.places import PlaceRecord, PriceRecord
from etl.places_write import write_places_csv, write_places_gpkg, write_prices_csv
from layers.models import PointOfInterest

PRICES = "prices"  # PlacePrice.place's related_name (branch "places": not in the stubs yet)


class Command(ImportCommand):
    help = (
        "Export places and price lists: a .csv of places (and --prices prices.csv), or one "
        ".gpkg with the layers places and prices. --source office limits it to the office's."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="out.csv or out.gpkg")
        parser.add_argument("--prices", help="prices.csv to write beside a places CSV")
        parser.add_argument("--source", help="only places of this source (e.g. office, osm)")
        parser.add_argument(
            "--with-demo", action="store_true", help="include demo places (is_demo)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".gpkg"):
            raise CommandError(
                _("Không ghi được tệp “%(suffix)s”: dùng .csv hoặc .gpkg.") % {"suffix": suffix}
            )
        if suffix == ".gpkg" and options["prices"]:
            raise CommandError(_("--prices chỉ dùng với tệp CSV; GeoPackage có lớp prices."))
        places, prices = self._records(options["source"], options["with_demo"])
        if suffix == ".gpkg":
            write_places_gpkg(path, places, prices)
        else:
            write_places_csv(path, places)
            if options["prices"]:
                write_prices_csv(options["prices"], prices)
        self.stdout.write(
            _("Đã ghi %(places)s địa điểm và %(prices)s giá.")
            % {"places": len(places), "prices": len(prices)}
        )

    @staticmethod
    def _records(
        source: str | None, with_demo: bool
    ) -> tuple[list[PlaceRecord], list[PriceRecord]]:
        queryset = PointOfInterest.objects.order_by("name", "pk").prefetch_related(PRICES)
        if source:
            queryset = queryset.filter(source=source)
        if not with_demo:
            queryset = queryset.filter(is_demo=False)
        places: list[PlaceRecord] = []
        prices: list[PriceRecord] = []
        place: Any  # with its PlacePrice rows, "prices" (the models of branch "places")
        for place in queryset:
            record = place_record(place)
            places.append(record)
            rows = sorted(
                place.prices.all(),
                key=lambda p: (p.item, p.unit, p.valid_from, p.pk),
            )
            prices += [price_record(row, record.ref) for row in rows]
        return places, prices
