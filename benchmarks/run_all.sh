#!/usr/bin/env bash
# Runs every benchmark on the benchmark database (<demo db>_bench; bench_national in its own
# <demo db>_bench_national), one after another. Each prints its figure beside a baseline
# measured in the same run. Takes several minutes. A benchmark that fails does not stop the
# others: the failed ones are listed at the end and the exit status is 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
failed=()
for bench in bench_assign bench_lookup bench_submit bench_bulk_import bench_lifecycle bench_compaction bench_heat bench_tiles bench_planner bench_citizen_map bench_tourist bench_hotspots bench_task_queue bench_priority bench_classifier bench_duplicates bench_blur bench_forecast bench_cost bench_national; do
  echo "=== $bench"
  if ! $PY "benchmarks/$bench.py"; then
    failed+=("$bench")
  fi
done
if ((${#failed[@]})); then
  echo "=== failed: ${failed[*]}" >&2
  exit 1
fi
