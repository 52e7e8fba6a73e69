"""Query parameters of the ward endpoints: the boundary version and the outline tolerance."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter

from common.strict_types import TypeProblem, parse_decimal_text
from ward_boundaries.models import BoundaryVersion
from ward_boundaries.selectors import province_codes, province_exists

# ?simplify= bounds, in metres: below half a metre nothing visible changes; beyond a
# kilometre the outlines stop looking like the wards.
SIMPLIFY_MIN_M = 0.5
SIMPLIFY_MAX_M = 1000.0
# ?province= is a GSO province code ("22"); the column holds at most 10 characters.
PROVINCE_CODE_MAX = 10
PROVINCE_PARAM_DESCRIPTION = (
    "Province code (GSO, e.g. 22 for Quảng Ninh): only wards, or reports in wards, of that "
    f"province, in every boundary version. ASCII letters or digits, at most {PROVINCE_CODE_MAX}."
)
PROVINCE_PARAMETER = OpenApiParameter(
    "province",
    str,
    description=PROVINCE_PARAM_DESCRIPTION,
    pattern=f"^[0-9A-Za-z]{{1,{PROVINCE_CODE_MAX}}}$",
)


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


def province_param(params: Mapping[str, str], errors: dict[str, list[str]]) -> str | None:
    """?province= as a known province code, None when absent; a malformed or unknown code is
    an error under "province" (nothing is filtered by a code no ward has)."""
    raw = params.get("province")
    if raw is None or raw == "":
        return None
    code = str(raw)
    if not (0 < len(code) <= PROVINCE_CODE_MAX and code.isascii() and code.isalnum()):
        errors["province"] = [
            _(
                "Mã tỉnh, thành phố không hợp lệ: tối đa %(limit)s chữ số hoặc chữ cái "
                "không dấu, ví dụ 22."
            )
            % {"limit": PROVINCE_CODE_MAX}
        ]
        return None
    if not province_exists(code):
        errors["province"] = [
            _("Không có tỉnh, thành phố mã %(code)s. Các mã: %(known)s.")
            % {"code": code, "known": ", ".join(province_codes()) or _("chưa có")}
        ]
        return None
    return code
