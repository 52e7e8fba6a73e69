"""The public unit league table: how fast and how punctually each agency, ward or category
resolves reports over a period, so slow units become visible.

On time = resolved by the deadline ÷ (resolved with a deadline + still open past it): a report
left open past its deadline counts as late, so a unit cannot look punctual by not finishing.
Overdue is judged at `now` (the moment the table is computed, a parameter for the tests), not
at the end of the period: statuses are today's, so a report of the period still open today
past its deadline is late, as it would be had it been resolved late.

Ratings (hài lòng / chấp nhận / không hài lòng) give each unit a satisfaction score:
100 × (satisfied + ½ acceptable) / rated, the share of reporters at least content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.dates import date_param
from common.db_routing import read_connection
from common.humanize import grouped
from common.local_time import local_midnight, local_today
from gis_core.models import CLOSED_STATUSES, RatingValue, ReportChannel, ReportStatus
from gis_core.staff import staff_role
from ward_boundaries.api.params import province_param
from ward_boundaries.names import ward_title
from ward_boundaries.selectors import provinces_in_force

GROUPINGS = ("agency", "ward", "category", "channel")
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366
MIN_RESOLVED = 5

# Per grouping: the joins, the grouped columns, the row key and the shown name. Fixed SQL
# fragments chosen by a whitelisted name: user input never reaches the SQL text.
_GROUPS: dict[str, dict[str, str]] = {
    "agency": {
        "join": "LEFT JOIN gis_core_agency g ON g.id = r.agency_id",
        "group": "g.id, g.code, g.name, g.name_en, g.name_zh",
        "key": "g.code",
        "name": "g.name",
        "name_en": "g.name_en",
        "name_zh": "g.name_zh",
    },
    "ward": {
        # A ward code exists in each boundary version: group by the ward row (the key names
        # the version). The title is made in Python per language (ward_boundaries.names): the
        # name stays Vietnamese, the unit type is translated.
        "join": "LEFT JOIN ward_boundaries_ward g ON g.id = r.ward_id "
        "LEFT JOIN ward_boundaries_boundaryversion v ON v.id = g.version_id",
        "group": "g.id, g.code, g.name, g.unit_type, v.name",
        "key": "v.name || '/' || g.code",
        "name": "g.name",
        "name_en": "NULL::text",
        "name_zh": "NULL::text",
        "unit_type": "g.unit_type",
    },
    "category": {
        "join": "LEFT JOIN gis_core_category g ON g.id = r.category_id",
        "group": "g.id, g.code, g.name_vi, g.name_en, g.name_zh",
        "key": "g.code",
        "name": "g.name_vi",
        "name_en": "g.name_en",
        "name_zh": "g.name_zh",
    },
    # How reports came in (app, web, hotline...): named from ReportChannel's labels in _row.
    "channel": {
        "join": "",
        "group": "r.channel",
        "key": "r.channel",
        "name": "NULL::text",
        "name_en": "NULL::text",
        "name_zh": "NULL::text",
    },
}

_RESOLVED = "r.status = %(resolved)s AND r.resolved_at IS NOT NULL"
_HOURS = "extract(epoch FROM r.resolved_at - r.reported_at) / 3600.0"
_OPEN = "r.status <> ALL(%(closed)s)"
_OVERDUE = f"{_OPEN} AND r.due_at < %(now)s"
# (column, aggregate) in LeagueRow order; ratings will be appended here.
_AGGREGATES: tuple[tuple[str, str], ...] = (
    ("received", "count(*)"),
    ("resolved", f"count(*) FILTER (WHERE {_RESOLVED})"),
    ("rejected", "count(*) FILTER (WHERE r.status = %(rejected)s)"),
    ("open", "count(*) FILTER (WHERE r.status <> ALL(%(closed)s))"),
    ("resolved_with_due", f"count(*) FILTER (WHERE {_RESOLVED} AND r.due_at IS NOT NULL)"),
    ("resolved_on_time", f"count(*) FILTER (WHERE {_RESOLVED} AND r.resolved_at <= r.due_at)"),
    (
        "median_hours",
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {_HOURS}) FILTER (WHERE {_RESOLVED})",
    ),
    (
        "p90_hours",
        f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {_HOURS}) FILTER (WHERE {_RESOLVED})",
    ),
    ("rated", "count(rt.id)"),
    ("satisfied", "count(*) FILTER (WHERE rt.value = %(satisfied)s)"),
    ("acceptable", "count(*) FILTER (WHERE rt.value = %(acceptable)s)"),
    ("dissatisfied", "count(*) FILTER (WHERE rt.value = %(dissatisfied)s)"),
    ("overdue_open", f"count(*) FILTER (WHERE {_OVERDUE})"),
    (
        "oldest_overdue_hours",
        f"extract(epoch FROM %(now)s - min(r.due_at) FILTER (WHERE {_OVERDUE})) / 3600.0",
    ),
    (
        "oldest_open_hours",
        f"extract(epoch FROM %(now)s - min(r.reported_at) FILTER (WHERE {_OPEN})) / 3600.0",
    ),
)

# Reports routed to no agency wait in the operations centre's own queue: its row, shown first.
CENTRE_NAME = "Trung tâm điều hành (chưa chuyển đơn vị)"
# Lazy: each row is given its name in the three languages at once (_names), since one cached
# table serves readers of every language.
UNGROUPED_NAMES: dict[str, Any] = {
    "agency": gettext_lazy("Trung tâm điều hành (chưa chuyển đơn vị)"),
    "ward": gettext_lazy("Ngoài địa giới các phường, xã"),
    "category": gettext_lazy("Không rõ lĩnh vực"),
    "channel": "",
}
# Languages of the name_en / name_zh columns (settings.LANGUAGES' codes).
_NAME_LANGUAGES = {"name_en": "en", "name_zh": "zh-hans"}


@dataclass(frozen=True)
class LeagueRow:
    """One unit's figures; `rank` is None for units with fewer than MIN_RESOLVED reports
    resolved or overdue (and for the rows of key "": reports routed to no agency, outside every
    ward, of no category). `below_threshold`: ranked, on time under LEAGUE_SLOW_ON_TIME_PCT.
    `name` is Vietnamese; `name_en` / `name_zh` are blank when untranslated (pages show them
    through common.localized, which falls back to `name`)."""

    key: str
    name: str
    received: int
    resolved: int
    rejected: int
    open: int
    resolved_with_due: int
    resolved_on_time: int
    on_time_pct: float | None
    median_hours: float | None
    p90_hours: float | None
    rank: int | None = None
    rated: int = 0
    satisfied: int = 0
    acceptable: int = 0
    dissatisfied: int = 0
    satisfaction_score: float | None = None
    overdue_open: int = 0
    oldest_overdue_hours: float | None = None
    oldest_open_hours: float | None = None
    below_threshold: bool = False
    name_en: str = ""
    name_zh: str = ""

    @property
    def on_time_of(self) -> int:
        """The on-time rate's denominator: resolved with a deadline + open past it."""
        return self.resolved_with_due + self.overdue_open


# A province's reports are those in its wards, of every boundary version (as every ?province=
# filter counts them: gis_core.selectors.reports_public); a report in no ward is in no province.
_IN_PROVINCE = (
    "r.ward_id IN (SELECT pw.id FROM ward_boundaries_ward pw WHERE pw.province_code = %(province)s)"
)


def league_query(
    *,
    by: str,
    since: dt.date,
    until: dt.date,
    now: dt.datetime | None = None,
    aggregates: tuple[tuple[str, str], ...] = _AGGREGATES,
    province: str | None = None,
    per_province: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The one grouped query of league_table() and its parameters (the benchmark also times
    it with fewer `aggregates`, today's columns, beside the full one). `province`: only the
    reports in that province's wards. `per_province`: every province's table in one pass, a
    first column `province` naming each row's (reports in no ward are left out)."""
    if by not in _GROUPS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    group = _GROUPS[by]
    columns = ",\n".join(f"{expr} AS {name}" for name, expr in aggregates)
    province_column, province_join, province_group = "", "", ""
    if per_province:
        province_column = "pw.province_code AS province, "
        province_join = "JOIN ward_boundaries_ward pw ON pw.id = r.ward_id"
        province_group = "pw.province_code, "
    province_filter = f"AND {_IN_PROVINCE}" if province else ""
    # Raw because percentile_cont ... WITHIN GROUP (the median and 90th percentile of the time
    # to resolve) has no ORM aggregate, and one grouped pass with FILTERed counts keeps the
    # whole table to one query. The fragments come from the fixed dicts above; the province
    # code is a parameter.
    sql = f"""
        SELECT {province_column}{group["key"]} AS key, {group["name"]} AS name,
               {group["name_en"]} AS name_en, {group["name_zh"]} AS name_zh,
               {group.get("unit_type", "NULL::text")} AS unit_type, {columns}
        FROM gis_core_report r
        LEFT JOIN gis_core_reportrating rt ON rt.report_id = r.id
        {province_join}
        {group["join"]}
        WHERE r.reported_at >= %(start)s AND r.reported_at < %(end)s
          AND r.merged_into_id IS NULL {province_filter}
        GROUP BY {province_group}{group["group"]}
    """  # noqa: S608
    params: dict[str, Any] = {
        "start": local_midnight(since),
        "end": local_midnight(until + dt.timedelta(days=1)),
        "resolved": ReportStatus.RESOLVED,
        "rejected": ReportStatus.REJECTED,
        "closed": list(CLOSED_STATUSES),  # ANY/ALL(list): psycopg 2 and 3
        "satisfied": RatingValue.SATISFIED,
        "acceptable": RatingValue.ACCEPTABLE,
        "dissatisfied": RatingValue.DISSATISFIED,
        "now": now or timezone.now(),
        "province": province,
    }
    return sql, params


def league_table(
    *,
    by: str,
    since: dt.date,
    until: dt.date,
    min_resolved: int = MIN_RESOLVED,
    now: dt.datetime | None = None,
    province: str | None = None,
) -> list[LeagueRow]:
    """Reports made on local dates since..until (both inclusive), grouped `by` agency, ward or
    category, ranked: on-time % desc, median hours asc, received desc. Reports merged into
    another are left out (their survivor counts); rejected ones are counted apart. Open
    reports are overdue when their deadline is before `now` (default: this moment).
    `province`: only the reports in that province's wards, ranked among themselves."""
    sql, params = league_query(by=by, since=since, until=until, now=now, province=province)
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        rows = [_row(by, dict(zip(names, values, strict=True))) for values in cursor.fetchall()]
    return _ranked(
        rows, min_resolved=min_resolved, slow_pct=float(settings.LEAGUE_SLOW_ON_TIME_PCT)
    )


def league_tables_by_province(
    *,
    by: str,
    since: dt.date,
    until: dt.date,
    min_resolved: int = MIN_RESOLVED,
    now: dt.datetime | None = None,
) -> dict[str, list[LeagueRow]]:
    """{province code: its league_table(province=code)} for every province with reports in
    the period, from one grouped pass over the period (not one pass per province)."""
    sql, params = league_query(by=by, since=since, until=until, now=now, per_province=True)
    grouped: dict[str, list[LeagueRow]] = {}
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        for values in cursor.fetchall():
            data = dict(zip(names, values, strict=True))
            grouped.setdefault(data["province"], []).append(_row(by, data))
    slow_pct = float(settings.LEAGUE_SLOW_ON_TIME_PCT)
    return {
        code: _ranked(rows, min_resolved=min_resolved, slow_pct=slow_pct)
        for code, rows in grouped.items()
    }


def _row(by: str, data: Mapping) -> LeagueRow:
    on_time_of = data["resolved_with_due"] + data["overdue_open"]
    name, name_en, name_zh = _names(by, data)
    return LeagueRow(
        key=data["key"] or "",
        name=name,
        name_en=name_en,
        name_zh=name_zh,
        received=data["received"],
        resolved=data["resolved"],
        rejected=data["rejected"],
        open=data["open"],
        resolved_with_due=data["resolved_with_due"],
        resolved_on_time=data["resolved_on_time"],
        on_time_pct=(
            round(100.0 * data["resolved_on_time"] / on_time_of, 1) if on_time_of else None
        ),
        median_hours=_hours(data["median_hours"]),
        p90_hours=_hours(data["p90_hours"]),
        rated=data["rated"],
        satisfied=data["satisfied"],
        acceptable=data["acceptable"],
        dissatisfied=data["dissatisfied"],
        satisfaction_score=(
            round(100.0 * (data["satisfied"] + 0.5 * data["acceptable"]) / data["rated"], 1)
            if data["rated"]
            else None
        ),
        overdue_open=data["overdue_open"],
        oldest_overdue_hours=_hours(data["oldest_overdue_hours"]),
        oldest_open_hours=_hours(data["oldest_open_hours"]),
    )


def _names(by: str, data: Mapping) -> tuple[str, str, str]:
    """name, name_en, name_zh of a row: the unit's own columns, or for a row the SQL did not
    name (a channel, "not routed") the label in Vietnamese, English and Chinese."""
    if by == "ward" and data["name"]:
        unit_type = data["unit_type"]
        vi, en, zh = (ward_title(data["name"], unit_type, lang) for lang in ("vi", "en", "zh-hans"))
        return vi, en, zh
    if data["name"]:
        return data["name"], data["name_en"] or "", data["name_zh"] or ""
    names = []
    for language in ("vi", *_NAME_LANGUAGES.values()):
        with translation.override(language):
            names.append(_unit_name(by, data["key"]))
    return names[0], names[1], names[2]


def _unit_name(by: str, key: str | None) -> str:
    """The shown name of a row the SQL did not name: a channel's label, or "not routed"."""
    if by == "channel" and key:
        return str(ReportChannel(key).label)
    return str(UNGROUPED_NAMES[by])


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _rankable(row: LeagueRow, min_resolved: int) -> bool:
    """Enough reports to judge: resolved or overdue, so a unit that finishes nothing is ranked."""
    return bool(row.key) and row.resolved + row.overdue_open >= min_resolved


def _ranked(rows: list[LeagueRow], *, min_resolved: int, slow_pct: float = 0.0) -> list[LeagueRow]:
    """The operations centre's row (unrouted reports) first, then the ranked rows (1, 2, 3, ...;
    the name breaks exact ties), then the other unranked ones by received desc. No on-time
    figure (no due times) ranks after every figure; ranked rows under `slow_pct` are marked."""
    centre = [r for r in rows if not r.key and r.name == CENTRE_NAME]
    rankable = [r for r in rows if _rankable(r, min_resolved)]
    unranked = [r for r in rows if not _rankable(r, min_resolved) and r not in centre]
    rankable.sort(
        key=lambda r: (
            r.on_time_pct is None,
            -(r.on_time_pct or 0.0),
            r.median_hours if r.median_hours is not None else float("inf"),
            -r.received,
            r.name,
        )
    )
    unranked.sort(key=lambda r: (not r.key, -r.received, r.name))
    ranked = [_with_rank(r, i, slow_pct) for i, r in enumerate(rankable, start=1)]
    return centre + ranked + unranked


def _with_rank(row: LeagueRow, rank: int, slow_pct: float) -> LeagueRow:
    below = row.on_time_pct is not None and row.on_time_pct < slow_pct
    return LeagueRow(**{**row.__dict__, "rank": rank, "below_threshold": below})


@dataclass(frozen=True)
class LeagueQuery:
    by: str
    since: dt.date
    until: dt.date
    province: str | None = None


# The ward statistics of the planner's choropleth default to a year (ward_stats_views).
WARD_STATS_DEFAULT_DAYS = 365


def _cache_key(by: str, since: dt.date, until: dt.date, province: str | None = None) -> str:
    """The country-wide table keeps its key; a province's table is keyed by its code too."""
    key = f"league:v4:{by}:{since.isoformat()}:{until.isoformat()}"
    return f"{key}:p{province}" if province else key


def league_table_cached(
    *, by: str, since: dt.date, until: dt.date, province: str | None = None
) -> list[LeagueRow]:
    """league_table(), kept LEAGUE_CACHE_SECONDS in the shared cache: the public page, the API,
    the CSV and the ward statistics ask for the same few periods again and again."""
    seconds = int(settings.LEAGUE_CACHE_SECONDS)
    key = _cache_key(by, since, until, province)
    if seconds > 0:
        hit = cache.get(key)
        if hit is not None:
            return list(hit)
    rows = league_table(by=by, since=since, until=until, province=province)
    if seconds > 0:
        cache.set(key, rows, seconds)
    return rows


def default_periods(today: dt.date | None = None) -> list[tuple[str, dt.date, dt.date]]:
    """(by, since, until) of what the pages show first: the league's 90 days in each grouping
    and the ward statistics' year. precompute_league keeps these in the cache."""
    today = today or local_today()
    periods = [(by, today - dt.timedelta(days=DEFAULT_DAYS), today) for by in GROUPINGS]
    periods.append(("ward", today - dt.timedelta(days=WARD_STATS_DEFAULT_DAYS), today))
    return periods


def precomputed_provinces(today: dt.date | None = None) -> list[str]:
    """The provinces whose own tables league_precompute stores: every province in force, when
    there are more than one (the page offers a province only then; a one-province deployment's
    ?province= is computed on demand, within the public bound)."""
    codes = [code for code, _name in provinces_in_force(today)]
    return codes if len(codes) > 1 else []


def league_precompute(today: dt.date | None = None) -> int:
    """Computes and stores the default periods afresh (the cron job), country-wide and for
    each of precomputed_provinces() (one more grouped pass per period, whatever their
    number); returns how many tables were stored."""
    periods = default_periods(today)
    seconds = int(settings.LEAGUE_CACHE_SECONDS)
    provinces = precomputed_provinces(today)
    stored = 0
    for by, since, until in periods:
        rows = league_table(by=by, since=since, until=until)
        cache.set(_cache_key(by, since, until), rows, seconds)
        stored += 1
        if not provinces:
            continue
        tables = league_tables_by_province(by=by, since=since, until=until)
        for code in provinces:  # a province without reports in the period: an empty table
            cache.set(_cache_key(by, since, until, code), tables.get(code, []), seconds)
            stored += 1
    return stored


def period_holds_more_reports(
    *, since: dt.date, until: dt.date, limit: int, province: str | None = None
) -> bool:
    """Whether more than `limit` reports were made on local dates since..until (in the wards
    of `province`, if given): stops at limit + 1 rows, never counts the whole period."""
    # Raw: a LIMIT inside a subquery, so the count stops at limit + 1 rows.
    province_filter = f"AND {_IN_PROVINCE}" if province else ""
    sql = f"""
        SELECT count(*) FROM (
            SELECT 1 FROM gis_core_report r
            WHERE r.reported_at >= %(start)s AND r.reported_at < %(end)s {province_filter}
            LIMIT %(limit)s
        ) AS bounded
    """  # noqa: S608
    params = {
        "start": local_midnight(since),
        "end": local_midnight(until + dt.timedelta(days=1)),
        "limit": limit + 1,
        "province": province,
    }
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.fetchone()[0] > limit)


def public_period_errors(
    *, since: dt.date, until: dt.date, user: Any, by: str, province: str | None = None
) -> dict[str, list[str]]:
    """A league over a period costs about 1.5 µs of CPU per report in it: a caller who is not
    staff may ask for periods of at most LEAGUE_MAX_REPORTS_PUBLIC reports (well under a
    second), or for one already in the cache (the pages' defaults, kept there by
    precompute_league); staff may ask for any period MAX_DAYS allows."""
    if staff_role(user) is not None:
        return {}
    if int(settings.LEAGUE_CACHE_SECONDS) > 0 and cache.has_key(
        _cache_key(by, since, until, province)
    ):
        return {}
    limit = int(settings.LEAGUE_MAX_REPORTS_PUBLIC)
    if not period_holds_more_reports(since=since, until=until, limit=limit, province=province):
        return {}
    message = _("Khoảng thời gian này có hơn %(n)s phản ánh: hãy chọn khoảng ngắn hơn.")
    return {"since": [message % {"n": grouped(limit)}]}


def parse_league_query(
    params: Mapping[str, str], *, user: Any = None
) -> tuple[LeagueQuery | None, dict[str, list[str]]]:
    """?by=&since=&until=&province= from a query string, defaulting to agencies over the last
    90 days (local dates), country-wide; the errors name each bad field, for a 400 or the
    page's form. With `user`, a caller who is not staff is also held to the public period
    bound (counted in the province, when one is given)."""
    errors: dict[str, list[str]] = {}
    by = params.get("by") or "agency"
    if by not in GROUPINGS:
        errors["by"] = [_("Cách nhóm không hợp lệ. Chọn một trong: %(valid)s.") % {
            "valid": ", ".join(GROUPINGS)
        }]  # fmt: skip
    today = local_today()
    since = date_param(params, "since", errors, default=today - dt.timedelta(days=DEFAULT_DAYS))
    until = date_param(params, "until", errors, default=today)
    province = province_param(params, errors)
    if since is not None and until is not None and not errors:
        span = (until - since).days
        if span < 0:
            errors["until"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
        elif span >= MAX_DAYS:
            errors["since"] = [_("Khoảng thời gian dài tối đa %(n)s ngày.") % {"n": MAX_DAYS}]
        else:
            errors.update(
                public_period_errors(since=since, until=until, user=user, by=by, province=province)
            )
    if errors or since is None or until is None:
        return None, errors
    return LeagueQuery(by=by, since=since, until=until, province=province), {}
