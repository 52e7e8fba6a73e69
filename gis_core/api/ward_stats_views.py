"""Per-ward figures for the planner's choropleth: the league table by ward, on the polygons."""

from __future__ import annotations

import datetime as dt
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response
from common.dates import period_params
from common.db_routing import replica_reads
from common.local_time import local_today
from gis_core.league import WARD_STATS_DEFAULT_DAYS, league_table_cached, public_period_errors
from ward_boundaries.api.params import PROVINCE_PARAMETER, province_param, version_param
from ward_boundaries.api.serializers import ward_properties
from ward_boundaries.selectors import wards_for_map


@replica_reads
class WardStatsView(JsonAPIView):
    """The figures a planner's ward choropleth shows, for one period (the session tells staff,
    who may ask for longer periods, from the public)."""

    @extend_schema(
        operation_id="wards_stats",
        summary="Per ward: reports, reports per 1,000 residents, median hours to resolve, "
        "on-time % (open past their deadline count as late), overdue open reports and "
        "satisfaction, with the ward polygons (GeoJSON)",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="Default: 365 days ago"),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter("version", str, description="Boundary version name"),
            PROVINCE_PARAMETER,
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        version = version_param(params, errors)
        province = province_param(params, errors)
        today = local_today()
        since, until = period_params(
            params,
            errors,
            since_default=today - dt.timedelta(days=WARD_STATS_DEFAULT_DAYS),
            until_default=today,
        )
        if not errors and since is not None and until is not None:
            errors.update(
                public_period_errors(since=since, until=until, user=request.user, by="ward")
            )
        if errors or since is None or until is None:
            return field_errors_response(errors)
        wards = list(
            wards_for_map(version=version, day=None if version else until, province_code=province)
        )
        rows = {row.key: row for row in league_table_cached(by="ward", since=since, until=until)}
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
                    "overdue_open": row.overdue_open if row else 0,
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
                "since": since.isoformat(),
                "until": until.isoformat(),
                "features": features,
            }
        )
