"""Reads of map-layer points: text search and nearest-first ordering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, Q, QuerySet

from common.db_routing import read_connection
from gis_core.staff import staff_role
from layers.models import Layer, PointOfInterest
from layers.text import fold_name

_Point = TypeVar("_Point", bound=Model)


@dataclass(frozen=True)
class Near(Generic[_Point]):
    """A point found near the query point, `distance_m` geodesic (WGS84 spheroid)."""

    obj: _Point  # a PointOfInterest or a WifiSite, the model of the queryset searched
    distance_m: float


def pois_matching(*, q: str = "", layer: str = "", category: str = "") -> QuerySet:
    """POIs whose Vietnamese, English or Chinese name contains `q`, in the layer/category if
    given. Vietnamese is matched folded ("tra co" finds "Trà Cổ"), English as typed or folded
    ("Trà Cổ" finds "Tra Co Beach"), Chinese as typed (it has no diacritics to drop)."""
    qs = PointOfInterest.objects.select_related("ward")
    if layer:
        qs = qs.filter(layer=layer)
    if category:
        qs = qs.filter(category=category)
    folded = fold_name(q)
    if folded:
        typed = " ".join(q.split())
        qs = qs.filter(
            Q(name_ascii__contains=folded)
            | Q(name_en__icontains=typed)
            | Q(name_en__icontains=folded)
            | Q(name_zh__icontains=typed)
        )
    return qs


def nearest(
    *, queryset: QuerySet[_Point], lon: float, lat: float, limit: int
) -> list[Near[_Point]]:
    """The `limit` rows of `queryset` nearest to (lon, lat), by geodesic distance, ties by id.

    Raw SQL because the ORM has no KNN operator. `location <-> point` walks the GiST index but
    measures in planar degrees, which at 21.5° N stretch north-south against east-west by 7 %;
    so it only picks n candidates, whose largest geodesic distance D bounds the true n nearest
    (n points lie within D). Every row within D (geometry box first, for the index) is then
    ranked by its exact geodesic distance.
    """
    # Only identifiers and Django's own compiled SQL are interpolated; every value is a parameter.
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    try:
        subquery, sub_params = queryset.order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # a filter Django knows matches nothing (e.g. an empty __in)
        return []
    sql = f"""
        WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS g),
        knn AS (
            SELECT t.id FROM {table} t, pt
            WHERE t.id IN ({subquery})
            ORDER BY t.location <-> pt.g
            LIMIT %s
        ),
        bound AS (
            SELECT max(ST_Distance(t.location::geography, pt.g::geography)) AS d
            FROM {table} t JOIN knn USING (id), pt
        )
        SELECT t.id, ST_Distance(t.location::geography, pt.g::geography) AS distance_m
        FROM {table} t, pt, bound
        WHERE t.id IN ({subquery})
          AND t.location && ST_Expand(
              pt.g,
              (bound.d + 0.01) / (111000.0 * greatest(cos(radians(abs(%s) + 1)), 0.01)) * 1.1
          )
          AND ST_DWithin(t.location::geography, pt.g::geography, bound.d + 0.01)
        ORDER BY distance_m, t.id
        LIMIT %s
    """  # noqa: S608
    params = [lon, lat, *sub_params, limit, *sub_params, lat, limit]
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    objects = queryset.in_bulk([row[0] for row in rows])
    return [Near(obj=objects[pk], distance_m=distance) for pk, distance in rows]


def layers_for(user) -> QuerySet[Layer]:
    """The registry's layers this visitor may see: staff layers only for staff."""
    qs = Layer.objects.all()
    if staff_role(user) is None:
        qs = qs.filter(audience=Layer.Audience.PUBLIC)
    return qs
