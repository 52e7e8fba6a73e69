#!/usr/bin/env bash
# Runs every benchmark on the benchmark database (<demo db>_bench), one after another.
# Each prints its figure beside a baseline measured in the same run. Takes several minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
for bench in bench_assign bench_lookup bench_submit bench_bulk_import bench_lifecycle bench_heat bench_tiles bench_planner bench_citizen_map bench_tourist bench_hotspots bench_task_queue bench_priority bench_classifier bench_duplicates bench_blur bench_forecast bench_cost; do
  echo "=== $bench"
  $PY "benchmarks/$bench.py"
done
