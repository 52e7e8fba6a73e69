"""Query parameters of the layer endpoints, each problem reported under its own name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.strict_types import TypeProblem, parse_int_text
from common.validation import FieldErrors, validate_lon_lat


def parse_limit(raw: str | None, errors: dict[str, list[str]], *, default: int, high: int) -> int:
    """A whole number 1..high, `default` when absent."""
    if not raw:
        return default
    try:
        value = parse_int_text(raw)
    except TypeProblem as exc:
        errors["limit"] = [exc.message]
        return default
    if not 1 <= value <= high:
        errors["limit"] = [_("limit phải từ 1 đến %(high)s.") % {"high": high}]
        return default
    return value


def parse_near(raw: str | None, errors: dict[str, list[str]]) -> tuple[float, float] | None:
    """`near=lon,lat` as a checked WGS84 point; None when absent."""
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 2:
        errors["near"] = [_("Cần lon,lat (hai số thập phân tính bằng độ), ví dụ 107.966,21.525.")]
        return None
    try:
        return validate_lon_lat(parts[0], parts[1])
    except FieldErrors as exc:
        errors["near"] = [
            f"{name}: {message}" for name, msgs in exc.errors.items() for message in msgs
        ]
        return None
