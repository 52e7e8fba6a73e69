"""Public reads from a read replica, when one is configured (DATABASE_REPLICA_URL).

Most of the load is anonymous phones reading the map: tiles, heat, counts, lists, exports and
Open311. Those reads may go to a streaming replica; everything else stays on the primary:

- only GET and HEAD requests to views marked with ``@replica_reads``, and only without a
  session cookie (staff and signed-in citizens read what they just did, on the primary);
- never for a client that wrote in the last REPLICA_READ_YOUR_WRITES_S seconds: a successful
  POST, PUT, PATCH or DELETE sets a short cookie (``ht_rw``) that sends its reads to the
  primary, so a citizen sees the report just sent;
- never inside a transaction on the primary (a service reading what it is about to write);
- never when the replica is behind by more than REPLICA_MAX_LAG_S seconds, or down: then the
  primary answers, and the replica is used again once it has caught up.

The lag is measured without privileges and without trusting the replica's own clock: once a
second per process the primary's WAL position is sampled and kept beside its time, and the
replica has everything the primary had at the newest sampled time whose position it has
replayed. An idle primary is not lag; a paused or cut-off replica is. Raw SQL on a public read
path takes its connection from ``read_connection()``; ORM reads follow ``ReplicaRouter``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("gis_core.serving")

PRIMARY = "default"
REPLICA = "replica"
READ_YOUR_WRITES_COOKIE = "ht_rw"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# How often each process measures the replica (seconds), and how long a failed replica is
# left alone before it is tried again.
CHECK_SECONDS = 1.0
RETRY_SECONDS = 5.0
# Primary WAL positions kept for the lag estimate: a minute at one sample a second.
SAMPLES_KEPT = 120

_reads_from_replica: ContextVar[bool] = ContextVar("ht_reads_from_replica", default=False)

F = TypeVar("F")


def replica_reads(view: F) -> F:
    """Marks a view (function or class) whose GET answers may come from the read replica:
    public data, for anyone, where a few seconds' delay is harmless."""
    view.replica_reads = True  # type: ignore[attr-defined]
    return view


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database this read goes to: the replica only inside a replica-safe request, outside
    any transaction on the primary, while the replica is up and fresh."""
    if not _reads_from_replica.get():
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA if replica_monitor().usable() else PRIMARY


def read_connection() -> Any:
    """The connection for raw SQL on a public read path (see read_alias)."""
    return connections[read_alias()]


class ReplicaRouter:
    """Django's router: reads follow read_alias(), writes and migrations the primary only."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


# --- The replica's state ------------------------------------------------------------------


def _lsn(text: str | None) -> int | None:
    """A pg_lsn ('16/B374D848') as a number, so positions compare."""
    if not text:
        return None
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass
class ReplicaState:
    usable: bool
    lag_s: float | None
    reason: str


class ReplicaMonitor:
    """Per process: is the replica up and within REPLICA_MAX_LAG_S? Measured at most once a
    CHECK_SECONDS; a failure keeps it off for RETRY_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: deque[tuple[float, int]] = deque(maxlen=SAMPLES_KEPT)
        self._checked_at = float("-inf")
        self._down_until = float("-inf")
        self._state = ReplicaState(False, None, "not measured")
        self._logged_usable: bool | None = None

    def usable(self) -> bool:
        now = time.monotonic()
        if now < self._down_until:
            return False
        if now - self._checked_at >= CHECK_SECONDS:
            with self._lock:
                if now - self._checked_at >= CHECK_SECONDS:
                    self._state = self._measure(now)
                    self._checked_at = now
                    self._log_change()
        return self._state.usable

    def state(self) -> ReplicaState:
        self.usable()
        return self._state

    def mark_down(self, error: BaseException) -> None:
        """A query on the replica failed: off for RETRY_SECONDS, its connection dropped."""
        self._down_until = time.monotonic() + RETRY_SECONDS
        self._state = ReplicaState(False, None, f"query failed ({type(error).__name__})")
        self._checked_at = float("-inf")
        _close_quietly(REPLICA)
        self._log_change()

    def _measure(self, now: float) -> ReplicaState:
        try:
            with connections[PRIMARY].cursor() as cursor:
                # Raw: WAL positions have no ORM expression.
                cursor.execute("SELECT pg_current_wal_lsn()::text")
                primary_lsn = _lsn(cursor.fetchone()[0])
        except DatabaseError:
            return ReplicaState(False, None, "primary unavailable")
        if primary_lsn is not None:
            self._samples.append((now, primary_lsn))
        try:
            with connections[REPLICA].cursor() as cursor:
                # Raw: recovery state and the replayed WAL position (no ORM expression).
                cursor.execute("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text")
                in_recovery, replayed_text = cursor.fetchone()
        except DatabaseError as error:
            self._down_until = now + RETRY_SECONDS
            _close_quietly(REPLICA)
            return ReplicaState(False, None, f"unreachable ({type(error).__name__})")
        if not in_recovery:
            # Promoted (or pointed at a primary by mistake): it may have its own writes now.
            return ReplicaState(False, None, "not a standby")
        replayed = _lsn(replayed_text)
        lag = self._lag(now, replayed)
        limit = float(getattr(settings, "REPLICA_MAX_LAG_S", 5.0))
        if lag is None:
            return ReplicaState(False, None, "lag not known yet")
        if lag > limit:
            return ReplicaState(False, lag, f"behind by {lag:.1f} s")
        return ReplicaState(True, lag, "streaming")

    def _lag(self, now: float, replayed: int | None) -> float | None:
        """Seconds since the primary was at a position the replica has not replayed: 0 when
        it has replayed the newest sample, else the age of the newest sample it has reached
        (None when it has reached none of those kept)."""
        if replayed is None or not self._samples:
            return None
        _, newest_lsn = self._samples[-1]
        if replayed >= newest_lsn:
            return 0.0
        reached = [t for t, lsn in self._samples if lsn <= replayed]
        if not reached:
            return None
        # The replica holds everything up to max(reached); what came after is at most
        # (now - that time) old.
        return now - max(reached)

    def _log_change(self) -> None:
        if self._state.usable != self._logged_usable:
            self._logged_usable = self._state.usable
            if self._state.usable:
                logger.info("read replica in use (%s)", self._state.reason)
            else:
                logger.warning(
                    "read replica not used: %s; reading from the primary", self._state.reason
                )


def _close_quietly(alias: str) -> None:
    try:
        connections[alias].close()
    except DatabaseError:
        pass


_monitor = ReplicaMonitor()


def replica_monitor() -> ReplicaMonitor:
    return _monitor


# --- The middleware --------------------------------------------------------------------------


def _view_reads_from_replica(view_func: Callable) -> bool:
    if getattr(view_func, "replica_reads", False):
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return bool(getattr(view_class, "replica_reads", False))


def read_your_writes_seconds() -> int:
    return int(getattr(settings, "REPLICA_READ_YOUR_WRITES_S", 12))


def _wrote_recently(request: HttpRequest) -> bool:
    value = request.COOKIES.get(READ_YOUR_WRITES_COOKIE, "")
    return value.isdigit() and int(value) > time.time()


class ReplicaReadsMiddleware:
    """Chooses the database for the request's reads (see the module doc) and keeps a writer's
    reads on the primary for a while. Last in MIDDLEWARE, so its process_exception runs
    before the outage 503: a replica that fails mid-request is dropped and the safe request
    is answered again from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = replica_configured()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        _reads_from_replica.set(False)
        try:
            response = self.get_response(request)
        except BaseException:
            _reads_from_replica.set(False)
            raise
        if response.streaming:
            # A streamed export reads as it is sent: the choice holds until it is closed.
            response._resource_closers.append(_stop_replica_reads)  # type: ignore[attr-defined]
        else:
            _stop_replica_reads()
        if request.method not in SAFE_METHODS and response.status_code < 400:
            seconds = read_your_writes_seconds()
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if not self.enabled:
            return
        eligible = (
            request.method in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not _wrote_recently(request)
            and _view_reads_from_replica(view_func)
        )
        _reads_from_replica.set(eligible)
        request._ht_view = (view_func, view_args, view_kwargs)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not (self.enabled and _reads_from_replica.get()):
            return None
        if not isinstance(exception, DatabaseError) or not _replica_failed():
            return None
        replica_monitor().mark_down(exception)
        _reads_from_replica.set(False)
        view_func, view_args, view_kwargs = request._ht_view  # type: ignore[attr-defined]
        return view_func(request, *view_args, **view_kwargs)


def _stop_replica_reads() -> None:
    _reads_from_replica.set(False)


def _replica_failed() -> bool:
    """Whether the replica is what broke: it is asked again at once, on a fresh connection
    (a failure of the primary, or of the query itself, leaves a working replica)."""
    _close_quietly(REPLICA)
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False
