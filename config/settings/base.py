"""Settings shared by every environment; what differs per deployment comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

from common.local_time import LOCAL_TIME_ZONE

from .caches import cache_mode, cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "common",
    "ward_boundaries",
    "gis_core",
    "layers",
    "web_map",
    "etl",
    "open311",
    # The task queue (video transcoding, SMS): its tables come from its migrations.
    "procrastinate.contrib.django",
]

# The language comes from the language cookie or Accept-Language (common.language), for
# pages and API messages alike; a request with neither skips negotiation.
MIDDLEWARE = [
    # First: every log record of the request carries its id (common.observability).
    "common.middleware.RequestIdMiddleware",
    "common.middleware.ServiceUnavailableMiddleware",
    "common.middleware.RefuseNulMiddleware",
    # Each endpoint's body limit, before CSRF, DRF or a view reads the body (common.body_limits).
    "common.body_limits.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # gzip for GET responses over 1 KB of a compressible type (common.compression); POST
    # passes untouched. In production whitenoise sits before it and serves static files
    # pre-compressed.
    "common.compression.GzipGetMiddleware",
    # Sends Content-Security-Policy only when CONTENT_SECURITY_POLICY is set (prod.py).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: which database the request reads (a no-op without DATABASE_REPLICA_URL).
    "common.db_routing.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# The embedded default is the project's own cluster started by scripts/pg.sh; DATABASE_URL
# points everything at any other PostGIS.
DEFAULT_DATABASE_URL = "postgis://hientruong@127.0.0.1:{port}/hientruong".format(
    port=os.environ.get("HT_PG_PORT", "25432")
)
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)

# Distance (metres) within which a point outside every ward still gets the nearest ward.
# The coastline is generalised: Mũi Sa Vĩ lies 32 m and Bãi Trà Cổ 156 m outside it.
WARD_NEAREST_TOLERANCE_M = float(os.environ.get("HT_WARD_TOLERANCE_M", "250"))
# Reports farther than this (km, geodesic) from every ward of every version are refused
# (ward_boundaries.distance_rule): the sea off the coast stays in, lon 180, lat 90 does not.
# 0 turns the rule off; with no wards loaded at all it does not apply.
REPORT_MAX_DISTANCE_FROM_WARD_KM = float(
    os.environ.get("HT_REPORT_MAX_DISTANCE_FROM_WARD_KM", "50")
)

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, engine="django.contrib.gis.db.backends.postgis", conn_max_age=60
    )
}
# The assignment trigger reads the tolerance from this session setting, so the database rule
# follows the Django setting on every connection without an extra round trip.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c hientruong.ward_tolerance_m={WARD_NEAREST_TOLERANCE_M:g}"
)
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("HT_TEST_DB", "test_hientruong")}

# A streaming read replica for the public reads (common.db_routing, docs/deploy.md "A read
# replica"): anonymous GETs of the map, lists, exports and Open311 read it while it is within
# REPLICA_MAX_LAG_S seconds of the primary; everything else, and every write, the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_S = float(os.environ.get("HT_REPLICA_MAX_LAG_S", "5"))
# After a write, the writer's reads stay on the primary this long (the ht_rw cookie).
REPLICA_READ_YOUR_WRITES_S = int(
    os.environ.get("HT_REPLICA_READ_YOUR_WRITES_S", str(int(max(10, 2 * REPLICA_MAX_LAG_S + 2))))
)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, engine="django.contrib.gis.db.backends.postgis", conn_max_age=60
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        # A replica that does not answer is skipped quickly: the primary can serve instead.
        "connect_timeout": 2,
    }
    # Tests never build a second test database: the replica alias mirrors the primary's.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["common.db_routing.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation -------------------------------------------------------------------
# Vietnamese is the source language of the interface: msgids are Vietnamese, locale/en
# translates them (issue 12 adds zh-hans).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English"), ("zh-hans", "中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = LOCAL_TIME_ZONE  # common.local_time: also the zone of every SQL local date
USE_I18N = True
# Short dates per language: Vietnamese "02/12/2026" (common/formats/vi), others Django's.
FORMAT_MODULE_PATH = ["common.formats"]
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
# str or Path: the test and prod settings set them from the environment as strings.
STATIC_ROOT: Path | str = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT: Path | str = Path(os.environ.get("HT_MEDIA_ROOT", VAR_DIR / "media"))

# Vector tiles are cached in files too; keys carry the tile
# generation (layers.tiles), so a write makes old entries unreachable and they age out.
# The default cache holds analysis results (hotspots) shared by every worker process.
# Local files for one app server, a shared Redis for several (HT_CACHE, see caches.py).
CACHE_MODE = cache_mode()
CACHES: dict[str, dict[str, Any]] = cache_settings(var_dir=VAR_DIR, mode=CACHE_MODE)

# --- Reports and photos ---------------------------------------------------------------------
REPORT_DESCRIPTION_MAX_CHARS = 4000
PHOTO_MAX_BYTES = int(os.environ.get("HT_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
PHOTO_MAX_COUNT = 5
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_EDGE = 2560
PHOTO_THUMB_EDGE = 320
DATA_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES * PHOTO_MAX_COUNT + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES

# --- Request bodies (common.body_limits) ----------------------------------------------------
# Refused with a 413 before they are read. Endpoints with their own limit (sign-in 16 KB, a JSON
# report 32 KB, a report with files as the photo and video limits allow) keep it; every other
# JSON, form or page body gets BODY_MAX_BYTES, and signed-in staff (the admin site and its file
# fields) STAFF_BODY_MAX_BYTES.
BODY_MAX_BYTES = int(os.environ.get("HT_BODY_MAX_BYTES", str(64 * 1024)))
STAFF_BODY_MAX_BYTES = int(os.environ.get("HT_STAFF_BODY_MAX_BYTES", str(16 * 1024 * 1024)))

# --- Map ------------------------------------------------------------------------------------
MAP_CENTER = (21.5246, 107.9660)  # Móng Cái city centre (lat, lon)
MAP_ZOOM = 12
# The public map draws single markers only where the view holds at most this many reports
# (counted from the pre-aggregated cells, /api/v1/reports/count/); a denser view shows the
# vector tiles (/tiles/reports/...). 300 markers are about 25 KB of compressed GeoJSON and
# stay fluid on a mid-range phone; thousands of DOM markers and their download do not.
MAP_REPORTS_MAX_IN_VIEW = int(os.environ.get("HT_MAP_REPORTS_MAX_IN_VIEW", "300"))
MAP_TILE_URL = os.environ.get("HT_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("HT_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
CITY_NAME = os.environ.get("HT_CITY_NAME", "Móng Cái")
# A place whose listed prices were last updated more days ago than this is flagged to the
# tourism office (layers.places.selectors.is_stale); the public page still shows the date.
TOURISM_PRICE_STALE_DAYS = int(os.environ.get("HT_TOURISM_PRICE_STALE_DAYS", "90"))
# A place with this many counted reports (not rejected) within 30 days is e-mailed to the
# tourism office, at most once per place per 30 days (layers.places.alerts).
TOURISM_PLACE_ALERT_REPORTS = int(os.environ.get("HT_TOURISM_PLACE_ALERT_REPORTS", "3"))
# The category classifier (gis_core.category_training, issue 14): trained nightly on at most
# this many of the newest confirmed reports plus the seed set; the newest HELD_OUT share of
# them is the time split it is judged on, or, below MIN_HELD_OUT reports, the seed's own
# held-out rows. Suggestions are offered from SUGGEST_MIN_CHARS letters of description.
CATEGORY_SEED_CSV = Path(
    os.environ.get("HT_CATEGORY_SEED_CSV", BASE_DIR / "data" / "category_seed.csv")
)
CATEGORY_MODEL_MAX_REPORTS = int(os.environ.get("HT_CATEGORY_MODEL_MAX_REPORTS", "50000"))
CATEGORY_MODEL_HELD_OUT = float(os.environ.get("HT_CATEGORY_MODEL_HELD_OUT", "0.2"))
CATEGORY_MODEL_MIN_HELD_OUT = int(os.environ.get("HT_CATEGORY_MODEL_MIN_HELD_OUT", "80"))
CATEGORY_SUGGEST_MIN_CHARS = int(os.environ.get("HT_CATEGORY_SUGGEST_MIN_CHARS", "8"))
# How often an app server looks for a newly trained model (one cheap query at most this often).
CATEGORY_MODEL_CHECK_SECONDS = float(os.environ.get("HT_CATEGORY_MODEL_CHECK_SECONDS", "60"))
# SMS keep their Vietnamese diacritics when the backend sends Unicode: "1"/"0" force it,
# "auto" asks the backend class (gis_core.sms.sms_supports_unicode).
SMS_UNICODE = os.environ.get("HT_SMS_UNICODE", "auto")
# Reports are referred to as PREFIX-YYMM-NNNN (gis_core.references), e.g. MC-2612-0042.
REFERENCE_PREFIX = os.environ.get("HT_REFERENCE_PREFIX", "MC").strip().upper() or "MC"
# Where citizens open the platform: links in SMS and e-mails (no request to build them from).
PUBLIC_BASE_URL = os.environ.get("HT_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "common.api.parsers.StrictJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    # Sessions: a citizen signed in with a phone code, or staff. CSRF is enforced for them.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "common.api.errors.json_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hiện Trường API",
    "DESCRIPTION": "Field reports (phản ánh hiện trường) assigned to wards, and ward boundaries.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# LOGGING (JSON or plain, with request ids) is in settings/serving.py.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]  # files are read by pyogrio (its own GDAL), not by Django

# --- League table ---------------------------------------------------------------------------
# Ranked units on time for less than this share (%) are marked below the threshold on the
# league page and in its JSON and CSV (gis_core.league).
LEAGUE_SLOW_ON_TIME_PCT = float(os.environ.get("HT_LEAGUE_SLOW_ON_TIME_PCT", "50"))

# --- Working time (deadlines) ---------------------------------------------------------------
# The Vietnamese public-service week: Monday to Friday, morning and afternoon sessions.
WORKING_DAYS = (0, 1, 2, 3, 4)
WORKING_HOURS = (("07:30", "11:30"), ("13:30", "17:30"))
# Public holidays (ISO dates), configurable with HT_PUBLIC_HOLIDAYS="2026-01-01,2026-02-16,...".
# The default is indicative (fixed-date holidays and Tết as announced for 2025-2026): check it
# against each year's government decision before relying on deadlines.
PUBLIC_HOLIDAYS = tuple(
    d
    for d in os.environ.get(
        "HT_PUBLIC_HOLIDAYS",
        "2025-01-01,2025-01-27,2025-01-28,2025-01-29,2025-01-30,2025-01-31,2025-04-07,"
        "2025-04-30,2025-05-01,2025-05-02,2025-09-01,2025-09-02,"
        "2026-01-01,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-04-27,"
        "2026-04-30,2026-05-01,2026-09-01,2026-09-02",
    ).split(",")
    if d
)
# send_reminders warns an agency this many hours before a report falls due.
REMINDER_BEFORE_HOURS = float(os.environ.get("HT_REMINDER_BEFORE_HOURS", "4"))

# --- E-mail (reminders and staff digests) -------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "HT_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("HT_FROM_EMAIL", "hientruong@localhost")

# --- Accounts -------------------------------------------------------------------------------
ALLOW_ANONYMOUS_REPORTS = env_bool("HT_ALLOW_ANONYMOUS_REPORTS", True)
SMS_BACKEND = os.environ.get("HT_SMS_BACKEND", "gis_core.sms.FileSmsBackend")
SMS_FILE_PATH = str(VAR_DIR / "sms")
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5  # wrong guesses before a code is void
LOGIN_CODE_RESEND_SECONDS = 60  # a new code for the same phone no sooner than this
LOGIN_CODES_PER_PHONE = (3, 15 * 60)  # at most 3 codes per phone per 15 minutes
LOGIN_CODES_PER_IP = (10, 60 * 60)  # at most 10 codes per address per hour
LOGIN_FAILURES_LOCKOUT = (10, 60 * 60)  # 10 wrong codes for a phone in an hour lock it

# --- Open311 GeoReport v2 -------------------------------------------------------------------
OPEN311_JURISDICTION_ID = os.environ.get("HT_OPEN311_JURISDICTION_ID", "mongcai.quangninh.gov.vn")

# Fragments by concern (each reads its own environment variables).
from .abuse import *  # noqa: E402, F403
from .encryption import *  # noqa: E402, F403
from .mail import *  # noqa: E402, F403
from .privacy import *  # noqa: E402, F403
from .serving import *  # noqa: E402, F403
from .video import *  # noqa: E402, F403
