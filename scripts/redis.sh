#!/usr/bin/env bash
# The project's own Redis: the caches several app servers share (HT_CACHE=redis,
# docs/deploy.md "Several app servers"). Loopback only, no persistence (a cache refills
# itself), bounded memory with least-recently-used eviction, like the file cache's bound.
#   scripts/redis.sh start|stop|status|url|cli
# One instance per port (HT_REDIS_PORT, default 26379): data in var/redis/PORT, git-ignored.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Below the kernel's ephemeral range (32768+), so no outgoing connection can hold the port.
PORT="${HT_REDIS_PORT:-26379}"
DIR="$ROOT/var/redis/$PORT"
LOG="$ROOT/var/log/redis-$PORT.log"
MAXMEMORY="${HT_REDIS_MAXMEMORY:-512mb}"

need() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || {
    echo "redis-server not installed: run scripts/install_system.sh" >&2
    exit 1
  }
}

ping() { redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; }

start() {
  need
  if ping; then return 0; fi
  mkdir -p "$DIR" "$ROOT/var/log"
  echo "==> starting Redis on 127.0.0.1:$PORT"
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$LOG" \
    --save "" --appendonly no \
    --maxmemory "$MAXMEMORY" --maxmemory-policy allkeys-lru
  # Wait for the server to answer (at most 10 s), rather than guessing how long it takes.
  for _ in $(seq 100); do
    if ping; then return 0; fi
    sleep 0.1
  done
  echo "Redis did not answer on port $PORT; the end of $LOG says why:" >&2
  tail -n 5 "$LOG" >&2
  exit 1
}

stop() {
  if ping; then
    redis-cli -h 127.0.0.1 -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 100); do
      if ! ping; then echo "==> stopped Redis on $PORT"; return 0; fi
      sleep 0.1
    done
    echo "Redis on $PORT did not stop" >&2
    exit 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if ping; then echo "running on 127.0.0.1:$PORT ($DIR)"; else echo "stopped"; exit 3; fi ;;
  url) echo "redis://127.0.0.1:$PORT" ;;
  cli) shift; redis-cli -h 127.0.0.1 -p "$PORT" "$@" ;;
  *) echo "usage: $0 start|stop|status|url|cli" >&2; exit 2 ;;
esac
