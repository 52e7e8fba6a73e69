"""The replica's lag estimate and the marks that choose what may read it (the whole path,
with a real primary and replica, is tests/db/test_read_replica.py)."""

from __future__ import annotations

from common.db_routing import (
    PRIMARY,
    ReplicaMonitor,
    ReplicaRouter,
    _lsn,
    _view_reads_from_replica,
    read_alias,
    replica_reads,
)


def test_lsn_positions_compare_as_numbers():
    assert _lsn("0/4000000") == 0x4000000
    assert _lsn("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert _lsn("1/0") > _lsn("0/FFFFFFFF")
    assert _lsn(None) is None and _lsn("") is None


def test_lag_is_the_age_of_the_newest_primary_position_the_replica_has_replayed():
    monitor = ReplicaMonitor()
    assert monitor._lag(10.0, 100) is None  # nothing sampled yet: not known, not zero
    for t, lsn in [(1.0, 100), (2.0, 100), (3.0, 250), (4.0, 400)]:
        monitor._samples.append((t, lsn))
    assert monitor._lag(5.0, 400) == 0.0  # has the newest: caught up (an idle primary too)
    assert monitor._lag(5.0, 300) == 2.0  # has what the primary had at t=3, not at t=4
    assert monitor._lag(5.0, 100) == 3.0
    assert monitor._lag(5.0, 50) is None  # behind every sample kept: unknown, so not used
    assert monitor._lag(5.0, None) is None


def test_only_marked_views_read_from_the_replica():
    @replica_reads
    def public(request):
        return None

    def private(request):
        return None

    @replica_reads
    class PublicView:
        pass

    def as_view():
        return None

    as_view.view_class = PublicView  # type: ignore[attr-defined]
    assert _view_reads_from_replica(public)
    assert not _view_reads_from_replica(private)
    assert _view_reads_from_replica(as_view)


def test_without_a_replica_everything_reads_and_writes_the_primary():
    router = ReplicaRouter()
    assert read_alias() == PRIMARY
    assert router.db_for_read(object) == PRIMARY
    assert router.db_for_write(object) == PRIMARY
    assert router.allow_migrate("replica", "gis_core") is False
    assert router.allow_migrate(PRIMARY, "gis_core") is True
