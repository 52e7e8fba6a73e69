"""Write the exchange files of places and price lists (the format etl.places reads back).

CSV goes through common.csv_safe (UTF-8 with a BOM for Excel, CRLF, and text a spreadsheet
would run as a formula defused with an apostrophe, which etl.places drops again on import).
The GeoPackage has the Point layer "places" (EPSG:4326, the CSV's columns minus lon/lat) and
the table "prices", written by pyogrio as etl.exports does. Each file is written beside its
target and moved into place, so a failed export never leaves half a file under the real name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from common.csv_safe import rows_to_csv
from etl.hours import hours_to_text
from etl.places import (
    GPKG_PLACE_COLUMNS,
    PLACE_COLUMNS,
    PLACES_LAYER,
    PRICE_COLUMNS,
    PRICES_LAYER,
    PlaceRecord,
    PriceRecord,
)


def _value(record: object, column: str) -> object:
    """A record's cell: hours as their text, a date as YYYY-MM-DD, None as an empty cell."""
    value = getattr(record, column)
    if column == "hours":
        return hours_to_text(value)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def place_rows(places: Iterable[PlaceRecord], columns: Sequence[str] = PLACE_COLUMNS):
    return [[_value(place, column) for column in columns] for place in places]


def price_rows(prices: Iterable[PriceRecord]):
    return [[_value(price, column) for column in PRICE_COLUMNS] for price in prices]


def _replace(path: Path, write) -> Path:
    """Runs write(temporary path), then moves the result onto `path`."""
    path = Path(path)
    temporary = path.with_name(f".{path.stem}.partial{path.suffix}")
    temporary.unlink(missing_ok=True)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_places_csv(path: str | Path, places: Iterable[PlaceRecord]) -> Path:
    """places.csv with the columns of PLACE_COLUMNS, in that order."""
    data = rows_to_csv(PLACE_COLUMNS, place_rows(places))
    return _replace(Path(path), lambda target: target.write_bytes(data))


def write_prices_csv(path: str | Path, prices: Iterable[PriceRecord]) -> Path:
    """prices.csv with the columns of PRICE_COLUMNS, in that order."""
    data = rows_to_csv(PRICE_COLUMNS, price_rows(prices))
    return _replace(Path(path), lambda target: target.write_bytes(data))


def write_places_gpkg(
    path: str | Path, places: Iterable[PlaceRecord], prices: Iterable[PriceRecord]
) -> Path:
    """One GeoPackage with the layers "places" (Point, EPSG:4326) and "prices" (a table).

    Whole numbers are integer columns (nullable), dates and hours text, as in the CSV, so
    QGIS shows what a spreadsheet would and etl.places reads either the same way.
    """
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import Point

    places = list(places)
    prices = list(prices)
    place_table = pd.DataFrame(
        place_rows(places, GPKG_PLACE_COLUMNS), columns=list(GPKG_PLACE_COLUMNS), dtype=object
    )
    price_table = pd.DataFrame(price_rows(prices), columns=list(PRICE_COLUMNS), dtype=object)
    for table, columns in (
        (place_table, ("star_rating", "ocop_stars")),
        (price_table, ("price_vnd", "ocop_stars")),
    ):
        for column in columns:
            table[column] = pd.array(
                [None if value == "" else int(value) for value in table[column]], dtype="Int64"
            )
    frame = gpd.GeoDataFrame(
        place_table,
        geometry=[Point(place.lon, place.lat) for place in places],
        crs="EPSG:4326",
    )

    def write(target: Path) -> None:
        pyogrio.write_dataframe(frame, target, layer=PLACES_LAYER, driver="GPKG")
        pyogrio.write_dataframe(price_table, target, layer=PRICES_LAYER, driver="GPKG")

    return _replace(Path(path), write)
