"""Fuzz every public endpoint from its OpenAPI description with schemathesis.

The DRF API and the tiles come from drf-spectacular's schema (/api/schema/); Open311 from the
hand-written description in open311_openapi.py. Each operation gets generated valid and invalid
(negative) requests, sent through the WSGI app in process against the real PostGIS test
database (real wards, a few reports). Checks: never a 5xx, and the body matches the schema
wherever the schema describes the status that came back.

HT_FUZZ_EXAMPLES (default 30) sets the examples per operation and mode; the summary line
("fuzz: N cases run, M 5xx") is printed for SECURITY.md.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.security.open311_openapi import OPEN311_OPENAPI

EXAMPLES = int(os.environ.get("HT_FUZZ_EXAMPLES", "30"))


def content_type_unless_unrouted(ctx, response, case):
    """content_type_conformance, except for Django's own HTML 404 for a path no route matches
    (a generated path parameter the URL converter refuses): no view ran, so no API answered.
    Only reached by garbage in the path; every view's own 404 is JSON and is checked."""
    if response.status_code == 404 and "text/html" in response.headers.get("content-type", [""])[0]:
        return None
    return content_type_conformance(ctx, response, case)


CHECKS = [not_a_server_error, response_schema_conformance, content_type_unless_unrouted]
# Only these need a signed-in session; anonymously they answer 401/403, which is fuzzed too
# (cheaply, a few examples), but their bodies are not the point here.
SESSION_ONLY = ("/api/v1/staff/", "/api/v1/me/", "/rating/", "/api/v1/auth/logout/")

STATS: Counter = Counter()


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection after each request (as in production);
    the test's transaction lives on that connection, so do what django.test.Client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schemas():
    app = get_wsgi_application()
    drf = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    drf.app = app
    open311 = schemathesis.openapi.from_dict(OPEN311_OPENAPI)
    open311.app = app
    return [drf, open311]


def _operations():
    for schema in _schemas():
        for result in schema.get_all_operations():
            yield result.ok()


def _run_operation(operation, mode: GenerationMode, examples: int, open311_key: str) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        if operation.path.endswith("/requests.json") and isinstance(case.body, dict):
            case.body = {**case.body, "api_key": open311_key}
        # Schemathesis' WSGI transport asks for gzip but never decodes it: ask for the plain
        # body (gzip is common.compression's, tested on its own).
        response = case.call(headers={"Accept-Encoding": "identity"})
        STATS["cases"] += 1
        STATS[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            STATS["5xx_found"] += 1
        case.validate_response(response, checks=CHECKS)

    try:
        fuzz()
    except Unsatisfiable:
        STATS["nothing_to_negate"] += 1  # no parameter or body to make invalid
    except BaseException as exc:  # hypothesis re-raises schemathesis' FailureGroup
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise AssertionError(f"{label} ({mode.value}): {exc}") from exc


@pytest.mark.django_db
def test_fuzz_every_public_endpoint(world, keep_test_connection, capsys):
    STATS.clear()
    operations = list(_operations())
    paths = {op.path for op in operations}
    # The schema must still describe what we mean to fuzz (a route dropped from it would
    # silently escape the fuzzer).
    for expected in (
        "/api/v1/reports/",
        "/api/v1/wards/lookup/",
        "/api/v1/pois/",
        "/tiles/reports/{z}/{x}/{y}.pbf",
        "/tiles/pois/{z}/{x}/{y}.pbf",
        "/open311/v2/requests.json",
    ):
        assert expected in paths
    failures = []
    for operation in operations:
        session_only = any(part in operation.path for part in SESSION_ONLY)
        examples = max(2, EXAMPLES // 4) if session_only else EXAMPLES
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run_operation(operation, mode, examples, world["open311_key"])
            except AssertionError as exc:
                failures.append(str(exc)[:3000])
            STATS["operations×modes"] += 1
    summary = (
        f"fuzz: {STATS['cases']} cases run on {len(operations)} operations "
        f"({STATS['2xx']} 2xx, {STATS['3xx']} 3xx, {STATS['4xx']} 4xx), "
        f"{STATS['5xx_found']} 5xx found, {len(failures)} operations failing checks"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert not failures, "\n\n".join(failures)
