"""Reads of places: current listed prices, the stale-price flag, the public list's filters.

"Current on day d" is one rule everywhere (PLACES.md): valid_from <= d and (valid_to is null
or valid_to >= d). A place's prices were "updated" when its newest price row was written;
past settings.TOURISM_PRICE_STALE_DAYS the office is asked to check them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from common.local_time import local_today
from layers.models import PlacePrice, PointOfInterest
from layers.places.hours import DAY_KEYS, is_open, local
from layers.places.report_counts import with_open_reports
from layers.places.search import rank_places


def current_q(on: dt.date, prefix: str = "") -> Q:
    """The filter "current on day `on`" for PlacePrice rows (`prefix` e.g. "prices__")."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def current_prices(place: PointOfInterest, on: dt.date | None = None) -> QuerySet[PlacePrice]:
    """The place's price rows current on day `on` (default: today in the city), by item."""
    day = on or local_today()
    return PlacePrice.objects.filter(current_q(day), place=place).order_by(
        "item", "unit", "price_vnd", "id"
    )


def prices_updated_at(place: PointOfInterest) -> dt.datetime | None:
    """When the place's prices were last written (the newest row's created_at), or None."""
    return place.prices.aggregate(at=Max("created_at"))["at"]


def stale_after() -> dt.timedelta:
    return dt.timedelta(days=settings.TOURISM_PRICE_STALE_DAYS)


def is_stale(place: PointOfInterest, now: dt.datetime | None = None) -> bool:
    """Whether the place's prices are older than the setting; a place with no prices has
    nothing to keep current, so it is not stale."""
    updated = prices_updated_at(place)
    return updated is not None and (now or timezone.now()) - updated > stale_after()


def stale_places(now: dt.datetime | None = None) -> QuerySet[PointOfInterest]:
    """Places whose prices are older than the setting, the oldest first (the office's list),
    each annotated with prices_updated_at."""
    cutoff = (now or timezone.now()) - stale_after()
    return (
        PointOfInterest.objects.annotate(prices_updated_at=Max("prices__created_at"))
        .filter(prices_updated_at__lt=cutoff)
        .order_by("prices_updated_at", "id")
    )


def with_price_from(queryset: QuerySet[PointOfInterest], on: dt.date) -> QuerySet[PointOfInterest]:
    """Annotates price_from_vnd: the lowest price current on `on`, or None."""
    lowest = (
        PlacePrice.objects.filter(current_q(on), place=OuterRef("pk"))
        .order_by()
        .values("place")
        .annotate(low=Min("price_vnd"))
        .values("low")
    )
    return queryset.annotate(price_from_vnd=Subquery(lowest))


@dataclass(frozen=True)
class PlaceFilters:
    """The public list's filters, already parsed and bounded (layers.api.place_params)."""

    q: str = ""
    kinds: Sequence[str] = ()
    open_now: bool | None = None
    price_min: int | None = None
    price_max: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north


@dataclass(frozen=True)
class PlaceList:
    count: int
    # with price_from_vnd, open_now, open_reports and (with q) score set
    places: list[PointOfInterest]


def _filtered(filters: PlaceFilters, on: dt.date) -> QuerySet[PointOfInterest]:
    qs = PointOfInterest.objects.all()
    if filters.kinds:
        qs = qs.filter(kind__in=list(filters.kinds))
    if filters.bbox is not None:
        qs = qs.filter(location__intersects=Polygon.from_bbox(filters.bbox))
    if filters.price_min is not None or filters.price_max is not None:
        # Places with at least one current price in the range: a hotel whose cheapest room
        # is 400,000 and best 1,200,000 answers "at most 500,000".
        prices = PlacePrice.objects.filter(current_q(on), place=OuterRef("pk"))
        if filters.price_min is not None:
            prices = prices.filter(price_vnd__gte=filters.price_min)
        if filters.price_max is not None:
            prices = prices.filter(price_vnd__lte=filters.price_max)
        qs = qs.filter(Exists(prices))
    return qs


# Raw SQL because "open now" is judged over the hours JSON of every matching place: in Python
# that was 0.47 s for 20,000 places (the decoding and is_open per row), in SQL a few ms. It
# is the SQL twin of layers.places.hours.is_open (tests/layers/test_places.py compares the
# two over a week of moments): NULL when the hours are unknown, TRUE or FALSE otherwise.
# Times are "HH:MM" text (hours_problems keeps them so), compared byte-wise (COLLATE "C").
# One literal (no formatting): the place's hours are "layers_pointofinterest"."hours"; the
# parameters are the day keys, the time pattern and the local time.
_OPEN_NOW_SQL = """
CASE
  WHEN NOT COALESCE(
      jsonb_typeof("layers_pointofinterest"."hours") = 'object'
      AND ("layers_pointofinterest"."hours" -> 'always' = 'true'::jsonb
           OR "layers_pointofinterest"."hours"
              ?| ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
      FALSE)
    THEN NULL
  WHEN "layers_pointofinterest"."hours" -> 'always' = 'true'::jsonb THEN TRUE
  ELSE EXISTS (
    SELECT 1 FROM jsonb_array_elements(
      CASE WHEN jsonb_typeof("layers_pointofinterest"."hours" -> %s) = 'array'
           THEN "layers_pointofinterest"."hours" -> %s ELSE '[]'::jsonb END) AS today(pair)
    WHERE jsonb_typeof(pair) = 'array' AND jsonb_array_length(pair) = 2
      AND pair ->> 0 ~ %s AND pair ->> 1 ~ %s
      AND (((pair ->> 0) COLLATE "C" < pair ->> 1 AND (pair ->> 0) COLLATE "C" <= %s
            AND %s < (pair ->> 1) COLLATE "C")
           OR ((pair ->> 1) COLLATE "C" <= pair ->> 0 AND %s >= (pair ->> 0) COLLATE "C")))
  OR EXISTS (
    SELECT 1 FROM jsonb_array_elements(
      CASE WHEN jsonb_typeof("layers_pointofinterest"."hours" -> %s) = 'array'
           THEN "layers_pointofinterest"."hours" -> %s ELSE '[]'::jsonb END) AS yesterday(pair)
    WHERE jsonb_typeof(pair) = 'array' AND jsonb_array_length(pair) = 2
      AND pair ->> 0 ~ %s AND pair ->> 1 ~ %s
      AND (pair ->> 1) COLLATE "C" <= pair ->> 0 AND %s < (pair ->> 1) COLLATE "C")
END
"""
_TIME_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"


def open_now_expression(at: dt.datetime) -> RawSQL:
    """TRUE/FALSE/NULL per place: open at `at` (local time), as hours.is_open says."""
    moment = local(at)
    day = DAY_KEYS[moment.weekday()]
    yesterday = DAY_KEYS[(moment.weekday() - 1) % 7]
    now = f"{moment.hour:02d}:{moment.minute:02d}"
    pairs = lambda key: [key, key, _TIME_PATTERN, _TIME_PATTERN]  # noqa: E731
    params = [*pairs(day), now, now, now, *pairs(yesterday), now]
    return RawSQL(_OPEN_NOW_SQL, params, output_field=BooleanField())  # noqa: S611 - literal


def _without_jit() -> None:
    # Raw because it is a setting, for this transaction only: the open-now test's per-row
    # subqueries are estimated dear enough that PostgreSQL compiles the query (JIT), which
    # took 270 of its 350 ms over 20,000 places; the work itself takes about 75 ms.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")


def list_places(filters: PlaceFilters, *, limit: int, at: dt.datetime | None = None) -> PlaceList:
    """The places matching `filters`, best match first when searching (layers.places.search),
    else by name; `count` is how many match in all, before `limit`."""
    moment = at or timezone.now()
    on = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    qs = _filtered(filters, on)
    if filters.open_now is not None:
        qs = qs.alias(open_at=open_now_expression(moment)).filter(open_at=filters.open_now)
    if filters.q:
        qs = rank_places(qs, filters.q).order_by("-score", "name", "id")
    else:
        qs = qs.order_by("name", "id")
    # The open-now test in a transaction of its own, without JIT (_without_jit).
    judged_now = filters.open_now is not None
    with transaction.atomic() if judged_now else contextlib.nullcontext():
        if judged_now:
            _without_jit()
        count = qs.count()
        places = list(
            with_open_reports(with_price_from(qs, on))
            .select_related("verified_by")
            .prefetch_related("photos")[:limit]
        )
    for place in places:
        place.open_now = is_open(place.hours, moment)  # type: ignore[attr-defined]
    return PlaceList(count=count, places=places)


def place_by_public_id(public_id: uuid.UUID, *, on: dt.date) -> PointOfInterest | None:
    """One place with what its detail page shows (price_from_vnd on day `on`, its count of
    open reports), or None."""
    qs = PointOfInterest.objects.select_related("verified_by").prefetch_related("photos")
    return with_open_reports(with_price_from(qs.filter(public_id=public_id), on)).first()


def place_plain(public_id: uuid.UUID) -> PointOfInterest | None:
    """One place as stored, or None: what a report filed there needs (its point, names)."""
    return PointOfInterest.objects.filter(public_id=public_id).first()


__all__ = [
    "PlaceFilters",
    "PlaceList",
    "current_prices",
    "current_q",
    "is_stale",
    "list_places",
    "place_by_public_id",
    "place_plain",
    "prices_updated_at",
    "stale_places",
    "with_price_from",
]
