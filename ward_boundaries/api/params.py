"""Query parameters of the ward endpoints: the boundary version and the outline tolerance."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from common.strict_types import TypeProblem, parse_decimal_text
from ward_boundaries.models import BoundaryVersion

# ?simplify= bounds, in metres: below half a metre nothing visible changes; beyond a
# kilometre the outlines stop looking like the wards.
SIMPLIFY_MIN_M = 0.5
SIMPLIFY_MAX_M = 1000.0


def version_param(
    params: Mapping[str, str], errors: dict[str, list[str]]
) -> BoundaryVersion | None:
    """?version= as a BoundaryVersion, None when absent; an unknown name is an error."""
    name = params.get("version")
    if not name:
        return None
    version = BoundaryVersion.objects.filter(name=name).first()
    if version is None:
        known = ", ".join(BoundaryVersion.objects.order_by("name").values_list("name", flat=True))
        errors["version"] = [
            _("Không có phiên bản ranh giới này. Các phiên bản: %(known)s.")
            % {"known": known or _("chưa có")}
        ]
    return version


def simplify_param(params: Mapping[str, str], errors: dict[str, list[str]]) -> float | None:
    """?simplify= as a tolerance in metres within bounds, None when absent."""
    raw = params.get("simplify")
    if not raw:
        return None
    try:
        value = parse_decimal_text(raw)
    except TypeProblem as exc:
        errors["simplify"] = [exc.message]
        return None
    if not SIMPLIFY_MIN_M <= value <= SIMPLIFY_MAX_M:  # also refuses nan and inf
        errors["simplify"] = [
            _("simplify phải từ %(low)s đến %(high)s mét.")
            % {"low": f"{SIMPLIFY_MIN_M:g}", "high": f"{SIMPLIFY_MAX_M:g}"}
        ]
        return None
    return value
