"""Settings fragment (abuse): submission rate limits and the trusted reverse proxy.

Star-imported at the end of base.py; every value can be overridden from the environment.
"""

from __future__ import annotations

import os
import re

_UNITS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def parse_rate(text: str | None) -> tuple[int, int] | None:
    """'30/10min' -> (30, 600); '10/h' -> (10, 3600); '', '0' or 'off' -> None (no limit).

    A clear error at start-up beats a limit silently ignored because of a typo."""
    if text is None or text.strip().lower() in {"", "0", "off", "none", "false"}:
        return None
    match = _RATE.match(text.strip().lower())
    if not match or match.group(3) not in _UNITS or int(match.group(1)) < 1:
        raise ValueError(
            f"Rate limit {text!r} is not COUNT/PERIOD, e.g. 30/10min, 10/h, 100/d, or 'off'."
        )
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNITS[unit]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


# Reports a client address may submit: generous, because Vietnamese mobile carriers put many
# phones behind one carrier-grade NAT address. None (HT_SUBMIT_LIMIT_PER_IP=off) disables it.
SUBMIT_LIMIT_PER_IP = parse_rate(os.environ.get("HT_SUBMIT_LIMIT_PER_IP", "60/10min"))
# Reports with one contact phone (or from one signed-in citizen's phone).
SUBMIT_LIMIT_PER_PHONE = parse_rate(os.environ.get("HT_SUBMIT_LIMIT_PER_PHONE", "10/h"))

# Behind the documented reverse proxy REMOTE_ADDR is the proxy. Only when this is on is the
# client address read from X-Forwarded-For, and then the entry TRUSTED_PROXY_COUNT from the
# right (the one our own proxy appended): entries further left are whatever the client sent.
TRUST_X_FORWARDED_FOR = _env_bool("HT_TRUST_X_FORWARDED_FOR", False)
TRUSTED_PROXY_COUNT = int(os.environ.get("HT_TRUSTED_PROXY_COUNT", "1"))

# Most rows in one download from /api/v1/exports/ (gis_core.api.export_views): a file costs
# about 65 µs of CPU per row to build, so the public limit keeps a request well under a second.
EXPORT_MAX_ROWS_PUBLIC = int(os.environ.get("HT_EXPORT_MAX_ROWS_PUBLIC", "10000"))
EXPORT_MAX_ROWS_STAFF = int(os.environ.get("HT_EXPORT_MAX_ROWS_STAFF", "100000"))

# Most reports a league or ward-statistics period may hold for a caller who is not staff
# (gis_core.league.public_period_errors): about 1.5 µs of CPU per report, so well under a second.
LEAGUE_MAX_REPORTS_PUBLIC = int(os.environ.get("HT_LEAGUE_MAX_REPORTS_PUBLIC", "200000"))

# Heavy reads per client address (gis_core.read_limits): each costs up to about a second of
# the server's time. Generous, since a city NAT puts many people behind one address; the
# public map's pages (at most 500 reports) are not charged. Each can be 'off'.
READ_LIMIT_EXPORT = parse_rate(os.environ.get("HT_READ_LIMIT_EXPORT", "30/10min"))
# Report list pages above READ_LIMIT_LIST_PAGE_SIZE rows, and Open311 request lists.
READ_LIMIT_LIST = parse_rate(os.environ.get("HT_READ_LIMIT_LIST", "300/10min"))
READ_LIMIT_LIST_PAGE_SIZE = int(os.environ.get("HT_READ_LIMIT_LIST_PAGE_SIZE", "500"))
READ_LIMIT_HOTSPOTS = parse_rate(os.environ.get("HT_READ_LIMIT_HOTSPOTS", "60/10min"))
# A signed-in staff member, per account and kind, instead of the address limits above.
READ_LIMIT_STAFF = parse_rate(os.environ.get("HT_READ_LIMIT_STAFF", "1000/10min"))
# Report exports with the same parameters are answered from the cache this long (seconds).
EXPORT_CACHE_SECONDS = int(os.environ.get("HT_EXPORT_CACHE_SECONDS", "60"))

# Password sign-in (/admin/login/, which is also the staff sign-in): failed attempts per
# address and account name, per account name alone, and per address whatever the name.
# Past a limit the form refuses before any password is checked (gis_core.signin_throttle).
SIGNIN_LIMIT_PER_IP_USER = parse_rate(os.environ.get("HT_SIGNIN_LIMIT_PER_IP_USER", "5/15min"))
SIGNIN_LIMIT_PER_USER = parse_rate(os.environ.get("HT_SIGNIN_LIMIT_PER_USER", "20/h"))
SIGNIN_LIMIT_PER_IP = parse_rate(os.environ.get("HT_SIGNIN_LIMIT_PER_IP", "30/h"))
# League tables and ward statistics are kept this long in the shared cache (seconds);
# precompute_league (cron, every 10 minutes) keeps the pages' default periods there.
LEAGUE_CACHE_SECONDS = int(os.environ.get("HT_LEAGUE_CACHE_SECONDS", "900"))
