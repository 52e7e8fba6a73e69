"""Production: gunicorn behind a TLS-terminating reverse proxy (docs/deploy.md).

Secrets and host names come from the environment and are required: a missing one stops the
process at start-up with a message naming it, instead of serving with a development default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, MAP_TILE_URL, MIDDLEWARE, env_bool
from .encryption import DEV_FIELD_KEY, DEV_PHONE_HASH_KEY, parse_field_keys
from .serving import content_security_policy, logging_config

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - the known key, refused below


def required_env(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: config.settings.prod needs it ({hint}). "
            "See docs/deploy.md for every production variable."
        )
    return value


DEBUG = False

SECRET_KEY = required_env(
    "DJANGO_SECRET_KEY",
    "a random string of 50+ characters, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use 50+ random characters, "
        "not the development default."
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in required_env(
        "DJANGO_ALLOWED_HOSTS", "comma-separated host names, e.g. phananh.mongcai.gov.vn"
    ).split(",")
    if h.strip()
]

# --- Contact data encrypted at rest (common.field_crypto) -------------------------------------
# Losing these keys loses every stored contact: keep them backed up apart from the database.
FIELD_ENCRYPTION_KEYS = parse_field_keys(
    required_env(
        "HT_FIELD_KEYS",
        "comma-separated Fernet keys, newest first, e.g. python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())'",
    ),
    "HT_FIELD_KEYS",
)
if FIELD_ENCRYPTION_KEYS[0] == DEV_FIELD_KEY:
    raise ImproperlyConfigured(
        "HT_FIELD_KEYS starts with the development key: put a new random key first."
    )
PHONE_HASH_KEY = required_env(
    "HT_PHONE_HASH_KEY",
    "32+ random characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'",
)
if PHONE_HASH_KEY == DEV_PHONE_HASH_KEY or len(PHONE_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "HT_PHONE_HASH_KEY is too weak for production: use 32+ random characters, "
        "not the development default."
    )

# Needed only when a form is posted from another origin than the Host the proxy forwards.
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# --- HTTPS behind the proxy -----------------------------------------------------------------
# The proxy terminates TLS and sets X-Forwarded-Proto (overwriting any client value); gunicorn
# listens on loopback only, so no client can reach it with a forged header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("HT_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from the proxy host speak plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("HT_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HT_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole domain to HTTPS in browsers for months: the city decides.
SECURE_HSTS_PRELOAD = env_bool("HT_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Cross-origin requests (basemap tiles) get the origin only: the OpenStreetMap tile policy
# asks for a Referer, and no path or query string (report ids) leaves the site.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
# Pages hand the token to scripts through json_script, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = content_security_policy(
    MAP_TILE_URL, report_uri=os.environ.get("HT_CSP_REPORT_URI", "")
)

# --- Static files: whitenoise, hashed names cached for a year --------------------------------
_whitenoise = "whitenoise.middleware.WhiteNoiseMiddleware"
if _whitenoise not in MIDDLEWARE:
    MIDDLEWARE = list(MIDDLEWARE)
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, _whitenoise
    )
STORAGES = {
    **globals().get(
        "STORAGES", {"default": {"BACKEND": "common.atomic_storage.AtomicFileSystemStorage"}}
    ),
    "staticfiles": {"BACKEND": "common.static_storage.StaticStorage"},
}
STATIC_ROOT = os.environ.get("HT_STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405

# --- Database: survive restarts -------------------------------------------------------------
# A persistent connection killed by a PostgreSQL restart is noticed before the request uses it
# (CONN_HEALTH_CHECKS) and replaced; a connection attempt gives up quickly instead of hanging.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("HT_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", int(os.environ.get("HT_DB_CONNECT_TIMEOUT", "5"))
)
if "replica" in DATABASES:
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True

LOGGING = logging_config(os.environ.get("HT_LOG_FORMAT", "json"))
