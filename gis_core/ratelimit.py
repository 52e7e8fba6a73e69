"""Rate limits on report submission, shared by every worker process.

The counters are GCRA buckets in an UNLOGGED table (gis_core migration 0015): one call of the
SQL function ht_rate_limit_hit() checks and charges every bucket of a request in a single
round trip, atomically, so two workers cannot both take the last slot. Per-process memory
would let each gunicorn worker grant the whole limit again.

A submission is charged before it is stored, and refunded when it turned out to be a retry of
a stored report (same idempotency key) or failed on the server side, because the client will
send it again and it is not a new report. A request refused for bad input stays charged: photo
decoding is the expensive part of a submission and an abuser should not get it for free.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.field_crypto import phone_hash
from common.phones import normalize_phone
from gis_core.accounts import RateLimited, account_phone_hash

# About one charge in a thousand also deletes expired buckets, so the table stays small
# without a scheduled job.
PURGE_PROBABILITY = 0.001


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the X-Forwarded-For entry
    that proxy appended (counting TRUSTED_PROXY_COUNT from the right; the left part of the
    header is whatever the client sent and cannot be trusted)."""
    meta = getattr(request, "META", {})
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if forwarded:
            return forwarded[-min(settings.TRUSTED_PROXY_COUNT, len(forwarded))]
    return meta.get("REMOTE_ADDR")


def bucket_key(kind: str, value: str) -> str:
    # Keyed hash: the table never holds a phone number or an address (personal data), and the
    # key has a fixed length whatever the client sends.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def charge_buckets(buckets: list[tuple[str, int, int]]) -> float:
    """Charges every (key, count, seconds) bucket or none, in one round trip: 0 when all
    accepted, else the seconds until all would. Shared by every limit in the project."""
    if not buckets:
        return 0.0
    keys = [b[0] for b in buckets]
    emission = [b[2] / b[1] for b in buckets]
    window = [float(b[2]) for b in buckets]
    with connection.cursor() as cursor:
        # Raw: one plan-cached function call; see migration 0015 for the algorithm.
        cursor.execute("SELECT ht_rate_limit_hit(%s, %s, %s)", [keys, emission, window])
        wait = float(cursor.fetchone()[0])
    if wait <= 0 and random.random() < PURGE_PROBABILITY:  # noqa: S311 - sampling, not a secret
        purge_expired_buckets()
    return wait


def buckets_wait(buckets: list[tuple[str, int, int]]) -> float:
    """Seconds until every bucket would accept one more charge, without charging any (a
    read-only look: a locked-out sign-in is refused by this alone)."""
    if not buckets:
        return 0.0
    with connection.cursor() as cursor:
        # Raw: GCRA's test (tat + emission <= now + window) for all keys in one query.
        cursor.execute(
            """
            SELECT coalesce(max(extract(epoch FROM b.tat + make_interval(secs => u.e)
                                 - make_interval(secs => u.w) - clock_timestamp())), 0)
            FROM unnest(%s::text[], %s::float8[], %s::float8[]) AS u(k, e, w)
            JOIN gis_core_ratelimitbucket b ON b.key = u.k
            """,
            [
                [b[0] for b in buckets],
                [b[2] / b[1] for b in buckets],
                [float(b[2]) for b in buckets],
            ],
        )
        return max(0.0, float(cursor.fetchone()[0]))


def forget_buckets(keys: list[str]) -> None:
    """Deletes buckets (a successful sign-in clears its failures)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gis_core_ratelimitbucket WHERE key = ANY(%s)", [keys])


def _period(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("mỗi %(n)s giờ", "mỗi %(n)s giờ", hours) % {"n": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("mỗi %(n)s phút", "mỗi %(n)s phút", minutes) % {"n": minutes}
    return ngettext("mỗi %(n)s giây", "mỗi %(n)s giây", seconds) % {"n": seconds}


def _wait_message(minutes: int) -> str:
    return ngettext(
        "Hãy thử lại sau %(minutes)s phút.", "Hãy thử lại sau %(minutes)s phút.", minutes
    ) % {"minutes": minutes}


def _limit_message(what: str, count: int, seconds: int, minutes: int) -> str:
    """The refusal naming the one limit that refused, so the citizen knows what it is about."""
    if what == "phone":
        limit = ngettext(
            "Số điện thoại này đã gửi quá nhiều phản ánh: tối đa %(count)s phản ánh %(period)s.",
            "Số điện thoại này đã gửi quá nhiều phản ánh: tối đa %(count)s phản ánh %(period)s.",
            count,
        )
    else:
        limit = ngettext(
            "Địa chỉ mạng này đã gửi quá nhiều phản ánh: tối đa %(count)s phản ánh %(period)s.",
            "Địa chỉ mạng này đã gửi quá nhiều phản ánh: tối đa %(count)s phản ánh %(period)s.",
            count,
        )
    return f"{limit % {'count': count, 'period': _period(seconds)}} {_wait_message(minutes)}"


@dataclass
class SubmissionLimiter:
    """The buckets one submission is charged to; `acquire` then `refund` if it was a retry."""

    buckets: list[tuple[str, str, int, int]] = field(default_factory=list)  # key, what, n, s
    charged: bool = False

    @classmethod
    def for_request(cls, request, *, contact_phone: str = "") -> SubmissionLimiter:
        """Buckets for the client address and the phone (the contact phone, or a signed-in
        citizen's own number). No database access here."""
        limiter = cls()
        per_ip, per_phone = settings.SUBMIT_LIMIT_PER_IP, settings.SUBMIT_LIMIT_PER_PHONE
        if per_ip is not None:
            ip = client_ip(request)
            if ip:
                limiter.buckets.append((bucket_key("submit-ip", ip), "address", *per_ip))
        if per_phone is not None:
            # By the phone's keyed hash, which is also a citizen's username (gis_core.accounts).
            phone = normalize_phone(contact_phone)
            key = phone_hash(phone) if phone else ""
            user = getattr(request, "user", None)
            if not key and user is not None and user.is_authenticated:
                key = account_phone_hash(user)
            if key:
                limiter.buckets.append((bucket_key("submit-phone", key), "phone", *per_phone))
        return limiter

    def acquire(self) -> None:
        """Charges every bucket or none; raises RateLimited (with Retry-After seconds)."""
        if not self.buckets:
            return
        wait = charge_buckets([(b[0], b[2], b[3]) for b in self.buckets])
        if wait <= 0:
            self.charged = True
            return
        retry_after = max(1, math.ceil(wait))
        minutes = max(1, math.ceil(retry_after / 60))
        if len(self.buckets) == 1:
            _key, what, count, seconds = self.buckets[0]
            raise RateLimited(_limit_message(what, count, seconds, minutes), retry_after)
        raise RateLimited(
            _("Địa chỉ mạng hoặc số điện thoại này đã gửi quá nhiều phản ánh.")
            + " "
            + _wait_message(minutes),
            retry_after,
        )

    def precheck(self) -> None:
        """Raises RateLimited, as `acquire` would, when a bucket is already full, and charges
        nothing: a multipart submission is refused before its files are read. One read-only
        query; only when it sees a full bucket does `acquire` decide (and word) the refusal."""
        if not self.buckets:
            return
        keys = [b[0] for b in self.buckets]
        emission = [b[3] / b[2] for b in self.buckets]
        window = [float(b[3]) for b in self.buckets]
        with connection.cursor() as cursor:
            # Raw: the refusal condition of ht_rate_limit_hit (migration 0015), without writing.
            cursor.execute(
                """
                SELECT coalesce(max(extract(epoch FROM b.tat + make_interval(secs => u.e)
                                            - make_interval(secs => u.w) - clock_timestamp())), 0)
                FROM gis_core_ratelimitbucket b
                JOIN unnest(%s::text[], %s::float8[], %s::float8[]) AS u(k, e, w) ON b.key = u.k
                """,
                [keys, emission, window],
            )
            wait = cursor.fetchone()[0]
        if wait > 0:
            self.acquire()  # raises with the usual message
            self.refund()  # a slot freed meanwhile: the submission is charged later, once

    def refund(self) -> None:
        """Gives back what `acquire` charged (a retry of a stored report, a server error)."""
        if not self.charged:
            return
        keys = [b[0] for b in self.buckets]
        emission = [b[3] / b[2] for b in self.buckets]
        with connection.cursor() as cursor:
            # Raw: one UPDATE for every bucket of the request.
            cursor.execute(
                """
                UPDATE gis_core_ratelimitbucket b
                SET tat = b.tat - make_interval(secs => u.e)
                FROM unnest(%s::text[], %s::float8[]) AS u(k, e)
                WHERE b.key = u.k
                """,
                [keys, emission],
            )
        self.charged = False


def purge_expired_buckets() -> int:
    """Deletes buckets whose time has passed (they allow a full burst anyway)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gis_core_ratelimitbucket WHERE tat < now()")
        return cursor.rowcount
