#!/usr/bin/env bash
# Runs COMMAND (the web server) with the task-queue worker beside it, and stops the worker
# when the server stops (Ctrl-C, SIGTERM, or the server exiting): `make demo`, `make serve`.
# Usage: scripts/worker.sh COMMAND [ARGS...]. A real deployment runs the worker as its own
# systemd unit instead (docs/task-queue.md).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

.venv/bin/python manage.py procrastinate worker &
WORKER=$!
"$@" &
SERVER=$!
echo "==> task worker (pid $WORKER) beside the server (pid $SERVER)"

stop() { kill -TERM "$SERVER" "$WORKER" 2>/dev/null || true; }
# Background jobs of a script ignore SIGINT, so Ctrl-C is passed on as SIGTERM.
trap stop INT TERM

wait "$SERVER"
status=$?
kill -TERM "$SERVER" "$WORKER" 2>/dev/null || true
wait "$WORKER" 2>/dev/null || true
exit "$status"
