"""A ward as GeoJSON properties: the one shape of a ward in every API answer."""

from __future__ import annotations

from typing import Any

from ward_boundaries.models import Ward


def ward_properties(ward: Ward) -> dict[str, Any]:
    return {
        "code": ward.code,
        "name": ward.name,
        "full_name": ward.full_name,
        "unit_type": ward.unit_type,
        "unit_type_label": ward.get_unit_type_display(),
        "district_name": ward.district_name,
        "district_code": ward.district_code,
        "province_name": ward.province_name,
        "province_code": ward.province_code,
        "version": ward.version.name,
    }
