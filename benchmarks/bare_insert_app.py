"""The floor for report submission: a bare Django view doing one durable INSERT of a point.

It parses the same JSON body as POST /api/v1/reports/ and inserts (lon, lat) into
`bench_bare_insert` through its own psycopg2 connection (autocommit, so the INSERT is its own
transaction and waits for the WAL flush under the server's default synchronous_commit). No
validation, no ORM, no trigger: what is left is HTTP + Django's middleware + one commit.
bench_submit.py creates the table; benchmarks/bench_urls.py routes /bench/bare-insert/ here.
"""

from __future__ import annotations

import json
import threading

import psycopg2
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from benchmarks.bench_db import connect_params

TABLE_DDL = (
    "CREATE TABLE IF NOT EXISTS bench_bare_insert "
    "(id bigserial PRIMARY KEY, location geometry(Point, 4326))"
)
INSERT_SQL = (
    "INSERT INTO bench_bare_insert (location) "
    "VALUES (ST_SetSRID(ST_MakePoint(%s, %s), 4326)) RETURNING id"
)

_local = threading.local()  # one connection per worker thread, kept open like CONN_MAX_AGE


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg2.connect(**connect_params())
        conn.autocommit = True
        _local.conn = conn
    return conn


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body)
    lon, lat = float(data["lon"]), float(data["lat"])
    with _connection().cursor() as cursor:
        cursor.execute(INSERT_SQL, [lon, lat])
        (new_id,) = cursor.fetchone()
    return JsonResponse({"id": new_id}, status=201)
