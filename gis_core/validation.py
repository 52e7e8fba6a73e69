"""Checks shared by the API and the importers, with messages that say what is wrong and where."""

from __future__ import annotations

import math

# Vietnam's mainland and coastal islands, generously (lon_min, lat_min, lon_max, lat_max).
VIETNAM_BBOX = (102.1, 8.1, 117.9, 23.4)


class FieldErrors(ValueError):
    """Errors per field: {"lat": ["must be between -90 and 90"]}."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def in_vietnam(lon: float, lat: float) -> bool:
    lon_min, lat_min, lon_max, lat_max = VIETNAM_BBOX
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def parse_coordinate(value: object, field: str, errors: dict[str, list[str]]) -> float | None:
    """A finite float, or None with a message in `errors[field]`."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        errors.setdefault(field, []).append("This field is required.")
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append("Must be a number of decimal degrees, not true/false.")
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(f"{value!r} is not a number of decimal degrees.")
        return None
    if not math.isfinite(number):
        errors.setdefault(field, []).append(f"{value!r} is not a finite number (NaN or infinity).")
        return None
    return number


def validate_lon_lat(lon: object, lat: object) -> tuple[float, float]:
    """Parses and range-checks a WGS84 point; raises FieldErrors naming lon and/or lat."""
    errors: dict[str, list[str]] = {}
    x = parse_coordinate(lon, "lon", errors)
    y = parse_coordinate(lat, "lat", errors)
    if x is not None and not -180 <= x <= 180:
        errors.setdefault("lon", []).append(f"{x} is out of range: longitude must be -180 to 180.")
    if y is not None and not -90 <= y <= 90:
        errors.setdefault("lat", []).append(f"{y} is out of range: latitude must be -90 to 90.")
    if x is not None and y is not None and not in_vietnam(x, y) and in_vietnam(y, x):
        hint = (
            f"lon={x}, lat={y} is outside Vietnam, but lon={y}, lat={x} is inside it: "
            "longitude and latitude look swapped."
        )
        errors.setdefault("lat" if "lat" in errors else "lon", []).append(hint)
    if errors:
        raise FieldErrors(errors)
    return x, y  # type: ignore[return-value]
