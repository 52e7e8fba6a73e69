"""Production serving: settings that refuse to start half-configured, security headers, request
ids in JSON logs, /healthz, and retryable 503s on real database failures (no mocks)."""

from __future__ import annotations

import errno
import importlib
import io
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test import Client, RequestFactory, override_settings

from common.middleware import ServiceUnavailableMiddleware
from common.observability import JsonFormatter, scrub
from common.storage_errors import StorageFull
from tests.gis_core.worker import wait_for

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SECRET = secrets.token_urlsafe(50)
PROD_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "phananh.example.vn",
    "HT_FIELD_KEYS": Fernet.generate_key().decode(),
    "HT_PHONE_HASH_KEY": secrets.token_urlsafe(32),
}
# What a production settings module turns on; copied onto the test settings for header tests.
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CONTENT_SECURITY_POLICY",
]


def clean_env(**extra: str) -> dict[str, str]:
    """Only what a process needs to run, so no developer variable leaks into the check."""
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return {**keep, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **extra}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def prod_settings(monkeypatch) -> dict:
    """The production module's security settings, imported in-process with a valid env."""
    for key, value in PROD_ENV.items():
        monkeypatch.setenv(key, value)
    sys.modules.pop("config.settings.prod", None)
    prod = importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.prod", None)
    return {name: getattr(prod, name) for name in SECURITY_SETTINGS}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Settings ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("missing", "present"),
    [
        ("DJANGO_SECRET_KEY", {"DJANGO_ALLOWED_HOSTS": "phananh.example.vn"}),
        ("DJANGO_ALLOWED_HOSTS", {"DJANGO_SECRET_KEY": SECRET}),
        *[
            (name, {k: v for k, v in PROD_ENV.items() if k != name})
            for name in ("HT_FIELD_KEYS", "HT_PHONE_HASH_KEY")
        ],
    ],
)
def test_prod_settings_refuse_to_load_without_required_variable(missing, present):
    result = run(
        ["-c", "from django.conf import settings; settings.SECRET_KEY"], clean_env(**present)
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_prod_settings_refuse_the_development_key():
    env = clean_env(DJANGO_SECRET_KEY="dev-only-insecure-key-change-me", DJANGO_ALLOWED_HOSTS="x")
    result = run(["-c", "from django.conf import settings; settings.SECRET_KEY"], env)
    assert result.returncode != 0 and "too weak" in result.stderr


def test_check_deploy_has_no_warning_we_could_fix():
    result = run(["manage.py", "check", "--deploy"], clean_env(**PROD_ENV))
    assert result.returncode == 0, result.stderr
    found = set(re.findall(r"\((\w+\.[WE]\d+)\)", result.stdout + result.stderr))
    # W021 (HSTS preload) is a policy decision for the city, documented in docs/deploy.md.
    assert found <= {"security.W021"}, result.stdout + result.stderr


def test_collectstatic_with_manifest_and_vendored_source_maps(tmp_path):
    """Hashed names and rewritten module imports; the vendored .map files resolve."""
    env = clean_env(**PROD_ENV, HT_STATIC_ROOT=str(tmp_path))
    result = run(["manage.py", "collectstatic", "--noinput"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    main = tmp_path / manifest["web_map/js/main.js"]
    api_hashed = Path(manifest["web_map/js/api.js"]).name
    assert f'"./{api_hashed}"' in main.read_text()
    assert "web_map/vendor/leaflet/leaflet.js.map" in manifest
    assert (tmp_path / (manifest["web_map/vendor/leaflet/leaflet.js"] + ".gz")).exists()


# --- Headers ----------------------------------------------------------------------------------
def test_security_headers_and_cookies_behind_the_proxy(db, prod_settings):
    with override_settings(**prod_settings, ALLOWED_HOSTS=["phananh.example.vn"]):
        client = Client(HTTP_HOST="phananh.example.vn")
        # The proxy terminated TLS and says so.
        response = client.get("/", HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        csp = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
        assert csp["frame-ancestors"] == "'none'" and csp["connect-src"] == "'self'"
        assert "https://tile.openstreetmap.org" in csp["img-src"].split()
        cookie = response.cookies["csrftoken"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"

        # Plain HTTP is sent to HTTPS, except the proxy's health probe.
        assert client.get("/xep-hang/").status_code == 301
        assert client.get("/healthz").status_code == 200


def test_tile_sources_follow_the_tile_url():
    from config.settings.serving import tile_sources

    assert tile_sources("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert tile_sources("https://{s}.tile.example.vn:8443/{z}/{x}/{y}.png") == [
        "https://*.tile.example.vn:8443"
    ]
    assert tile_sources("/basemap/{z}/{x}/{y}.png") == []


# --- Request ids, logs ------------------------------------------------------------------------
def test_request_id_is_echoed_or_generated(db):
    client = Client()
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c")["X-Request-ID"] == (
        "nginx-4f2a9c"
    )
    for hostile in ("a b", "x" * 65, '{"json":1}', "id\r\nSet-Cookie: x"):
        generated = client.get("/healthz", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)
    first, second = (client.get("/healthz")["X-Request-ID"] for _ in range(2))
    assert first != second


def test_log_lines_mask_phones_and_emails():
    text = "duplicate key (contact_phone)=(0912 345 678), +84912345678, an@example.vn, ward 06712"
    assert scrub(text) == "duplicate key (contact_phone)=([phone]), [phone], [email], ward 06712"


# --- /healthz and outages, with real failures -----------------------------------------------
def test_healthz_runs_a_postgis_query(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert re.match(r"\d+\.\d+", body["postgis"])
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_the_database_is_unreachable(monkeypatch):
    conn = connections["default"]
    conn.close()
    monkeypatch.setitem(conn.settings_dict, "PORT", str(closed_port()))
    try:
        response = Client().get("/healthz")
    finally:
        conn.close()
        monkeypatch.undo()
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "reason": "database query failed (OperationalError)",
    }
    assert Client().get("/healthz").status_code == 200  # back as soon as the database is


def terminate_backend(pid: int) -> None:
    """Kills a session from another connection, as a PostgreSQL restart would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

            def gone() -> bool:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                return cursor.fetchone() is None

            wait_for(gone, timeout=10, what=f"backend {pid} to end")
    finally:
        other.close()


def wsgi_get(path: str, **headers: str):
    """A request through Django's real WSGI handler, which (unlike the test Client) runs
    close_old_connections on request start and finish, as gunicorn's workers do."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **headers,
    }
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: None)
    response.close()  # sends request_finished
    return response


def open_connection(monkeypatch, *, health_checks: bool) -> int:
    """A fresh persistent connection with the given health-check setting; its backend pid."""
    conn = connections["default"]
    conn.close()
    monkeypatch.setitem(conn.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(conn.settings_dict, "CONN_HEALTH_CHECKS", health_checks)
    conn.ensure_connection()
    with conn.cursor() as cursor:  # the driver-neutral way (psycopg 3 or psycopg2)
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_killed_connection_gives_retryable_503_then_reconnects(monkeypatch, caplog):
    url = "/api/v1/reports/?page_size=1"

    # Without health checks the request meets the dead connection: a clean 503, not a 500.
    terminate_backend(open_connection(monkeypatch, health_checks=False))
    with caplog.at_level(logging.WARNING, logger="gis_core.serving"):
        response = wsgi_get(url, HTTP_X_REQUEST_ID="kill-test-1")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "detail": "Hệ thống tạm thời gián đoạn (cơ sở dữ liệu). Hãy thử lại sau ít giây.",
        "code": "unavailable",
        "retryable": True,
    }
    assert response["Retry-After"] == "5"
    assert response["X-Request-ID"] == "kill-test-1"
    # The log line is JSON, carries the request id, and names no SQL or parameters.
    [record] = [r for r in caplog.records if r.name == "gis_core.serving"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "kill-test-1" and line["level"] == "WARNING"
    assert line["message"] == (
        f"database unavailable: OperationalError on GET {url.split('?')[0]}; answered 503"
    )

    # The broken connection was dropped at the end of that request: the next one reconnects.
    assert wsgi_get(url).status_code == 200

    # With CONN_HEALTH_CHECKS (production) the dead connection is replaced before use.
    terminate_backend(open_connection(monkeypatch, health_checks=True))
    assert wsgi_get(url).status_code == 200
    connections["default"].close()


@pytest.mark.django_db(transaction=True)
def test_pages_get_a_plain_503_page(monkeypatch):
    terminate_backend(open_connection(monkeypatch, health_checks=False))
    response = Client().get("/phan-anh/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "thử lại" in response.content.decode()
    connections["default"].close()


def test_full_storage_is_a_retryable_503():
    """ENOSPC for real (writing to /dev/full), and the quota's StorageFull."""
    try:
        with open("/dev/full", "wb", buffering=0) as full:
            full.write(b"photo")
    except OSError as exc:
        enospc = exc
    assert enospc.errno == errno.ENOSPC
    middleware = ServiceUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/reports/")
    for exc in (enospc, StorageFull("quota reached"), RuntimeError("wrapped")):
        if isinstance(exc, RuntimeError):
            exc.__cause__ = enospc
        response = middleware.process_exception(request, exc)
        assert response.status_code == 503 and response["Retry-After"]
        assert json.loads(response.content)["retryable"] is True
    assert middleware.process_exception(request, OSError(errno.EACCES, "denied")) is None
