#!/usr/bin/env bash
# Runs COMMAND (the web server) with the task-queue worker beside it, and stops the worker
# when the server stops (Ctrl-C, SIGTERM, or the server exiting): `make demo`, `make serve`.
# Usage: scripts/worker.sh COMMAND [ARGS...]. A real deployment runs the worker as its own
# systemd unit instead (docs/task-queue.md).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Two workers, so a receipt SMS never waits behind a minute of ffmpeg: one for clips (one at
# a time: ffmpeg takes the cores), one for everything else (notifications, maintenance, and
# blurring photos before they are public: about a second each); the clip worker also
# takes the nightly training (analysis).
.venv/bin/python manage.py procrastinate worker --queues videos,analysis &
VIDEOS=$!
.venv/bin/python manage.py procrastinate worker --queues notifications,maintenance,photos,default &
OTHERS=$!
WORKER="$VIDEOS $OTHERS"
"$@" &
SERVER=$!
echo "==> task workers (pids $WORKER) beside the server (pid $SERVER)"

# shellcheck disable=SC2086  # $WORKER is a list of pids
stop() { kill -TERM "$SERVER" $WORKER 2>/dev/null || true; }
# Background jobs of a script ignore SIGINT, so Ctrl-C is passed on as SIGTERM.
trap stop INT TERM

wait "$SERVER"
status=$?
# shellcheck disable=SC2086
kill -TERM "$SERVER" $WORKER 2>/dev/null || true
# shellcheck disable=SC2086
wait $WORKER 2>/dev/null || true
exit "$status"
