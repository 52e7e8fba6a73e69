"""Checks shared by the API and the importers, with messages that say what is wrong and where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.strict_types import TypeProblem, parse_decimal

# Vietnam's mainland and coastal islands, generously (lon_min, lat_min, lon_max, lat_max).
VIETNAM_BBOX = (102.1, 8.1, 117.9, 23.4)


class FieldErrors(ValueError):
    """Errors per field: {"lat": ["must be between -90 and 90"]}."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))


def in_vietnam(lon: float, lat: float) -> bool:
    lon_min, lat_min, lon_max, lat_max = VIETNAM_BBOX
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def parse_coordinate(value: object, field: str, errors: dict[str, list[str]]) -> float | None:
    """A finite float from a JSON number or ASCII decimal text (common.strict_types), or None
    with a message in `errors[field]` that does not quote the value."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        errors.setdefault(field, []).append(_("Trường này là bắt buộc."))
        return None
    try:
        return parse_decimal(value)
    except TypeProblem as exc:
        errors.setdefault(field, []).append(exc.message)
        return None


def validate_lon_lat(lon: object, lat: object) -> tuple[float, float]:
    """Parses and range-checks a WGS84 point; raises FieldErrors naming lon and/or lat."""
    errors: dict[str, list[str]] = {}
    x = parse_coordinate(lon, "lon", errors)
    y = parse_coordinate(lat, "lat", errors)
    if x is not None and not -180 <= x <= 180:
        errors.setdefault("lon", []).append(
            _("%(x)s nằm ngoài khoảng cho phép: kinh độ phải từ -180 đến 180.") % {"x": x}
        )
    if y is not None and not -90 <= y <= 90:
        errors.setdefault("lat", []).append(
            _("%(y)s nằm ngoài khoảng cho phép: vĩ độ phải từ -90 đến 90.") % {"y": y}
        )
    if x is not None and y is not None and not in_vietnam(x, y) and in_vietnam(y, x):
        hint = _(
            "lon=%(x)s, lat=%(y)s nằm ngoài Việt Nam, nhưng lon=%(y)s, lat=%(x)s thì nằm trong: "
            "kinh độ và vĩ độ có vẻ bị đảo."
        ) % {"x": x, "y": y}
        errors.setdefault("lat" if "lat" in errors else "lon", []).append(hint)
    if errors:
        raise FieldErrors(errors)
    return x, y  # type: ignore[return-value]


def lon_lat_params(params, errors: dict[str, list[str]]) -> tuple[float, float] | None:
    """?lon=&lat= of a query string as a checked point; None, with the problems put in
    `errors` under lon and/or lat, when they are missing or wrong."""
    try:
        return validate_lon_lat(params.get("lon"), params.get("lat"))
    except FieldErrors as exc:
        errors.update(exc.errors)
        return None


NUL_MESSAGE = gettext_lazy("Có ký tự NUL (\\x00), không được phép trong văn bản.")


def _holds_nul(value: object, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 20:  # nesting deeper than any honest request: judged by what was seen
        return False
    if isinstance(value, dict):
        return any(_holds_nul(k, depth + 1) or _holds_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(v, depth + 1) for v in value)
    return False


def nul_errors(params) -> dict[str, list[str]]:
    """{field: [message]} for every parameter or field whose name or text holds a NUL.

    PostgreSQL cannot store or compare NUL in text (psycopg refuses the query with a
    ValueError, which would surface as a 500), and no honest client sends one, so requests
    carrying one are refused up front with a 400 naming the field.
    """
    if hasattr(params, "lists"):  # QueryDict: every value of repeated parameters
        items: Iterable[tuple[Any, Any]] = ((key, values) for key, values in params.lists())
    elif isinstance(params, dict):
        items = params.items()
    else:
        return {"non_field_errors": [str(NUL_MESSAGE)]} if _holds_nul(params) else {}
    return {
        (key if "\x00" not in str(key) else repr(key)): [str(NUL_MESSAGE)]
        for key, value in items
        if _holds_nul(key) or _holds_nul(value)
    }


def is_ascii_digits(text: str) -> bool:
    """Only 0-9: str.isdigit() also takes superscripts and other scripts' digits (Arabic-Indic,
    fullwidth), which int() or a phone must refuse."""
    return text.isascii() and text.isdigit()
