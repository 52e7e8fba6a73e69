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
from etl.places_write import write_places_csv, write_places_gpkg, write_prices_csv
from layers.places.exchange import export_records


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
        places, prices = export_records(source=options["source"], with_demo=options["with_demo"])
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
