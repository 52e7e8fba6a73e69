"""Ward boundaries as GeoJSON and the point-to-ward lookup."""

from __future__ import annotations

import datetime as dt
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import PublicJsonAPIView
from common.api.errors import field_errors_response
from common.validation import FieldErrors, date_in_range, validate_lon_lat
from gis_core.league import league_table
from layers.ward_counts import ward_report_counts
from ward_boundaries.models import BoundaryVersion, Ward
from ward_boundaries.selectors import (
    local_today,
    ward_for_point,
    ward_outlines_geojson,
    wards_for_map,
)

# ?simplify= bounds, in metres: below half a metre nothing visible changes; beyond a
# kilometre the outlines stop looking like the wards.
SIMPLIFY_MIN_M = 0.5
SIMPLIFY_MAX_M = 1000.0


def ward_properties(ward: Ward) -> dict:
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


def _version_or_error(params, errors: dict[str, list[str]]) -> BoundaryVersion | None:
    name = params.get("version")
    if not name:
        return None
    version = BoundaryVersion.objects.filter(name=name).first()
    if version is None:
        known = ", ".join(BoundaryVersion.objects.order_by("name").values_list("name", flat=True))
        errors["version"] = [f"Unknown boundary version {name!r}. Known: {known or 'none'}."]
    return version


def _date_or_error(params, errors: dict[str, list[str]]) -> dt.date | None:
    raw = params.get("date")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors["date"] = [f"{raw!r} is not a date (YYYY-MM-DD)."]
        return None


def _simplify_or_error(params, errors: dict[str, list[str]]) -> float | None:
    raw = params.get("simplify")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors["simplify"] = [f"{raw!r} is not a number (a tolerance in metres)."]
        return None
    if not SIMPLIFY_MIN_M <= value <= SIMPLIFY_MAX_M:  # also refuses nan and inf
        errors["simplify"] = [
            f"{raw} is out of range: simplify must be {SIMPLIFY_MIN_M:g} to "
            f"{SIMPLIFY_MAX_M:g} metres."
        ]
        return None
    return value


class WardListView(PublicJsonAPIView):
    @extend_schema(
        summary="Wards as GeoJSON (the versions valid today, or ?version= / ?date=)",
        parameters=[
            OpenApiParameter("version", str, description="Boundary version name"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Wards valid on this day"),
            OpenApiParameter(
                "simplify",
                float,
                description=f"Outlines simplified to this tolerance in metres "
                f"({SIMPLIFY_MIN_M:g}-{SIMPLIFY_MAX_M:g}), coordinates rounded to 6 decimals: "
                "for drawing (the map asks about half a pixel of its zoom). Default: the full "
                "polygons, which the ward lookup always uses.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        errors: dict[str, list[str]] = {}
        version = _version_or_error(request.query_params, errors)
        day = _date_or_error(request.query_params, errors)
        tolerance = _simplify_or_error(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        wards = list(wards_for_map(version=version, day=day).order_by("code"))
        counts = ward_report_counts([w.id for w in wards])
        outlines = (
            ward_outlines_geojson(wards, tolerance_m=tolerance) if tolerance is not None else {}
        )
        features = []
        for ward in wards:
            by_status = counts.get(ward.id, {})
            properties = ward_properties(ward)
            properties["report_counts"] = {"total": sum(by_status.values()), "by_status": by_status}
            outline = outlines.get(ward.id)
            features.append(
                {
                    "type": "Feature",
                    "id": ward.code,
                    "geometry": json.loads(outline if outline else ward.geom.json),
                    "properties": properties,
                }
            )
        return Response({"type": "FeatureCollection", "features": features})


class WardLookupView(PublicJsonAPIView):
    @extend_schema(
        summary="The ward a point belongs to (the same rule that assigns reports)",
        parameters=[
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter("version", str, description="Use this boundary version only"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        try:
            lon, lat = validate_lon_lat(params.get("lon"), params.get("lat"))
        except FieldErrors as exc:
            errors.update(exc.errors)
        version = _version_or_error(params, errors)
        day = _date_or_error(params, errors)
        if errors:
            return field_errors_response(errors)
        result = ward_for_point(lon=lon, lat=lat, at=day, version=version)
        if result is None:
            return Response(
                {"detail": f"No ward covers lon={lon}, lat={lat} or lies within the tolerance."},
                status=404,
            )
        data = ward_properties(result.ward)
        data.update(
            {
                "match": result.match,
                "distance_m": round(result.distance_m, 1)
                if result.distance_m is not None
                else None,
            }
        )
        return Response(data)


class WardStatsView(PublicJsonAPIView):
    """The figures a planner's ward choropleth shows, for one period."""

    @extend_schema(
        operation_id="wards_stats",
        summary="Per ward: reports, reports per 1,000 residents, median hours to resolve, "
        "on-time % and satisfaction, with the ward polygons (GeoJSON)",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="Default: 365 days ago"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter("version", str, description="Boundary version name"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        version = _version_or_error(params, errors)
        today = local_today()
        days = {}
        for name, default in (("since", today - dt.timedelta(days=365)), ("until", today)):
            raw = params.get(name)
            try:
                days[name] = dt.date.fromisoformat(raw) if raw else default
            except ValueError:
                errors[name] = [f"{raw!r} is not a date (YYYY-MM-DD)."]
                continue
            date_in_range(days[name], name, errors)
        if not errors and days["since"] > days["until"]:
            errors["since"] = ["since is after until."]
        if errors:
            return field_errors_response(errors)
        wards = list(wards_for_map(version=version, day=None if version else days["until"]))
        rows = {
            row.key: row
            for row in league_table(by="ward", since=days["since"], until=days["until"])
        }
        features = []
        for ward in wards:
            row = rows.get(f"{ward.version.name}/{ward.code}")
            received = row.received if row else 0
            properties = ward_properties(ward)
            properties.update(
                {
                    "population": ward.population,
                    "received": received,
                    "per_1000_residents": (
                        round(1000 * received / ward.population, 2) if ward.population else None
                    ),
                    "resolved": row.resolved if row else 0,
                    "median_hours": row.median_hours if row else None,
                    "on_time_pct": row.on_time_pct if row else None,
                    "satisfaction_score": row.satisfaction_score if row else None,
                }
            )
            features.append(
                {
                    "type": "Feature",
                    "id": ward.code,
                    "geometry": json.loads(ward.geom.json),
                    "properties": properties,
                }
            )
        return Response(
            {
                "type": "FeatureCollection",
                "since": days["since"].isoformat(),
                "until": days["until"].isoformat(),
                "features": features,
            }
        )
