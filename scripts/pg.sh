#!/usr/bin/env bash
# The project's own PostGIS cluster: data in var/pgdata (git-ignored), its own port and socket,
# and optionally a streaming read replica of it (docs/deploy.md, "A read replica").
#   scripts/pg.sh start|stop|status|reset|url|psql
#   scripts/pg.sh replica start|stop|status|reset|url|psql
# HT_PG_PORT and HT_PG_DATA choose another cluster (the replica tests run their own), and
# HT_PG_REPLICA_PORT (default: the port + 1) and HT_PG_REPLICA_DATA its replica.
# Works as a normal user and as root (initdb refuses root, so root runs the server as the
# 'postgres' system account, which owns only var/pgdata and var/pgrun).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Below the kernel's ephemeral range (32768+), so no outgoing connection can hold the port.
PGPORT="${HT_PG_PORT:-25432}"
DATA="${HT_PG_DATA:-$ROOT/var/pgdata}"
RUN="$ROOT/var/pgrun"
if [ "$PGPORT" = 25432 ]; then LOG="$ROOT/var/log/postgresql.log"; else LOG="$ROOT/var/log/postgresql-$PGPORT.log"; fi
REPLICA_PORT="${HT_PG_REPLICA_PORT:-$((PGPORT + 1))}"
REPLICA_DATA="${HT_PG_REPLICA_DATA:-${DATA%/}-replica}"
REPLICA_LOG="$ROOT/var/log/postgresql-replica-$REPLICA_PORT.log"
DB="${HT_PG_DB:-hientruong}"
ROLE="${HT_PG_ROLE:-hientruong}"

bindir() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
  if [ -z "$v" ] || [ ! -x "/usr/lib/postgresql/$v/bin/initdb" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql: run scripts/install_system.sh" >&2
    exit 1
  fi
  if [ ! -f "/usr/share/postgresql/$v/extension/postgis.control" ]; then
    echo "PostGIS for PostgreSQL $v is not installed: run scripts/install_system.sh" >&2
    exit 1
  fi
  echo "/usr/lib/postgresql/$v/bin"
}

as_owner() {
  # Run a server-side command as the cluster owner.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { [ -f "$DATA/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
replica_running() {
  [ -f "$REPLICA_DATA/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1
}

psql_super() {
  local super="$USER_NAME"
  psql -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PGPORT" -U "$super" "$@"
}

USER_NAME="$(id -un)"
[ "$(id -u)" -eq 0 ] && USER_NAME=postgres

init() {
  local bin; bin=$(bindir)
  mkdir -p "$ROOT/var/log" "$RUN"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "system user 'postgres' missing: run scripts/install_system.sh" >&2; exit 1; }
    if ! runuser -u postgres -- test -x "$ROOT/var"; then
      echo "The postgres account cannot enter $ROOT (a parent folder is not world-executable)." >&2
      echo "Move the checkout (e.g. under /srv or /opt) or set DATABASE_URL to another PostGIS." >&2
      exit 1
    fi
    touch "$LOG"; chown postgres "$LOG" "$RUN"
  fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    echo "==> initdb $DATA"
    mkdir -p "$DATA"; [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
    chmod 700 "$DATA"
    as_owner "$bin/initdb" -D "$DATA" -U "$USER_NAME" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$DATA/postgresql.conf" <<CONF
# hientruong: local development/test cluster
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
checkpoint_timeout = 15min
fsync = on
synchronous_commit = on
CONF
  fi
}

start() {
  init
  local bin; bin=$(bindir)
  if ! running; then
    echo "==> starting PostGIS on 127.0.0.1:$PGPORT"
    if ! as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-p $PGPORT -k $RUN" start >/dev/null; then
      echo "PostgreSQL did not start; the end of $LOG says why:" >&2
      tail -n 5 "$LOG" >&2
      echo "(another server on port $PGPORT? set HT_PG_PORT to use another port)" >&2
      exit 1
    fi
  fi
  if ! psql_super -d postgres -tAc "select 1 from pg_roles where rolname='$ROLE'" | grep -q 1; then
    psql_super -d postgres -c "create role $ROLE login superuser"
  fi
  if ! psql_super -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    psql_super -d postgres -c "create database $DB owner $ROLE"
  fi
  psql_super -d "$DB" -c "set client_min_messages = warning; create extension if not exists postgis"
}

stop() {
  if running; then as_owner "$(bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; echo "==> stopped"; fi
}

replica_start() {
  start >/dev/null
  local bin; bin=$(bindir)
  if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
    echo "==> base backup of 127.0.0.1:$PGPORT into $REPLICA_DATA"
    mkdir -p "$REPLICA_DATA"; [ "$(id -u)" -eq 0 ] && chown postgres "$REPLICA_DATA"
    chmod 700 "$REPLICA_DATA"
    # -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby.
    as_owner "$bin/pg_basebackup" -h "$RUN" -p "$PGPORT" -U "$USER_NAME" -D "$REPLICA_DATA" \
      -R -X stream -c fast
    cat >> "$REPLICA_DATA/postgresql.conf" <<CONF
# hientruong: read replica of 127.0.0.1:$PGPORT
# Long public reads (exports) are not cancelled by the primary's vacuum.
hot_standby_feedback = on
CONF
  fi
  if ! replica_running; then
    echo "==> starting the read replica on 127.0.0.1:$REPLICA_PORT"
    [ "$(id -u)" -eq 0 ] && { touch "$REPLICA_LOG"; chown postgres "$REPLICA_LOG"; }
    if ! as_owner "$bin/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_LOG" -w -t 60 \
        -o "-p $REPLICA_PORT -k $RUN" start >/dev/null; then
      echo "The replica did not start; the end of $REPLICA_LOG says why:" >&2
      tail -n 5 "$REPLICA_LOG" >&2
      exit 1
    fi
  fi
}

replica_stop() {
  if replica_running; then
    as_owner "$(bindir)/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null
    echo "==> stopped the read replica"
  fi
}

replica() {
  case "${1:-}" in
    start) replica_start ;;
    stop) replica_stop ;;
    status)
      if replica_running; then
        echo "running on 127.0.0.1:$REPLICA_PORT ($REPLICA_DATA), replica of $PGPORT"
      else
        echo "stopped"; exit 3
      fi ;;
    reset) replica_stop; rm -rf "$REPLICA_DATA"; replica_start ;;
    url) echo "postgis://$ROLE@127.0.0.1:$REPLICA_PORT/$DB" ;;
    psql) shift; psql -X -h 127.0.0.1 -p "$REPLICA_PORT" -U "$ROLE" "$DB" "$@" ;;
    *) echo "usage: $0 replica start|stop|status|reset|url|psql" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  replica) shift; replica "$@" ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on 127.0.0.1:$PGPORT ($DATA)"; else echo "stopped"; exit 3; fi ;;
  reset) stop; rm -rf "$DATA"; start ;;
  url) echo "postgis://$ROLE@127.0.0.1:$PGPORT/$DB" ;;
  psql) shift; psql -X -h 127.0.0.1 -p "$PGPORT" -U "$ROLE" "$DB" "$@" ;;
  *) echo "usage: $0 start|stop|status|reset|url|psql|replica ..." >&2; exit 2 ;;
esac
