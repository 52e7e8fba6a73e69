"""Issue 15: every report-heavy figure of `make bench` at 1M and at 10M reports, side by side.

Runs the benchmark scripts twice, first on the 1M set (`<demo db>_bench`, two years of Móng
Cái) and then on the scale set (`<demo db>_bench10m`, BENCH_REPORTS=10000000: ten years over
Móng Cái and the synthetic national partition, scale_data.py), each script recording its
headline figures through bench_db.figure(). Prints each figure at both scales with the ratio,
against the target of 1.5x. The first 10M run loads the set with import_reports (tens of
minutes, ~14 GB); later runs reuse it. Not in `make bench` (an hour or more):

    .venv/bin/python benchmarks/bench_scale.py [--scales 1000000,10000000] [--only bench_heat]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
TARGET = 1.5
# In this order: bench_bulk_import empties the 1M set (the next script reloads it).
SCRIPTS = [
    "bench_bulk_import",
    "bench_lifecycle",
    "bench_compaction",
    "bench_heat",
    "bench_tiles",
    "bench_hotspots",
    "bench_lookup",
    "bench_submit",
    "bench_planner",
    "bench_citizen_map",
]
# Figures where more is better (rates): their ratio is inverted so > 1 always means slower.
HIGHER_IS_BETTER = ("rows/s", "req/s")


def run_scale(reports: int, scripts: list[str]) -> dict[str, dict]:
    """Runs `scripts` with BENCH_REPORTS=reports; returns name → figure."""
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False) as tmp:
        path = Path(tmp.name)
    env = {**os.environ, "BENCH_REPORTS": str(reports), "BENCH_FIGURES": str(path)}
    env.pop("BENCH_DATABASE_URL", None)  # bench_db picks the database of the scale
    for script in scripts:
        if script == "bench_bulk_import" and reports != 1_000_000:
            continue  # at 10M the load itself is the import figure (scale_data.py)
        print(f"=== {script} at {reports:,} reports", flush=True)
        start = time.perf_counter()
        subprocess.run([PY, str(HERE / f"{script}.py")], cwd=HERE.parent, env=env, check=True)
        print(f"    ({time.perf_counter() - start:.0f} s)", flush=True)
    figures = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        figures[row["name"]] = row
    path.unlink()
    if reports != 1_000_000:
        sys.path.insert(0, str(HERE))
        from scale_data import load_figures_path

        saved = load_figures_path(reports)
        if saved.exists():
            for row in json.loads(saved.read_text(encoding="utf-8")):
                figures.setdefault(row["name"], row)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1000000,10000000")
    parser.add_argument("--only", default="", help="comma-separated script names")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    scripts = [s for s in SCRIPTS if not args.only or s in args.only.split(",")]
    results = {scale: run_scale(scale, scripts) for scale in scales}
    small, big = scales[0], scales[-1]
    names = list(dict.fromkeys(n for scale in scales for n in results[scale]))
    label = [f"{s // 1_000_000}M" for s in (small, big)]
    print()
    print("=" * 100)
    print(f"{'figure':<48} {label[0]:>12} {label[1]:>12} {'ratio':>7}  within {TARGET}x")
    for name in names:
        a, b = results[small].get(name), results[big].get(name)
        if not a or not b:
            shown = [f"{r['value']:.2f}" if r else "-" for r in (a, b)]
            print(f"{name:<48} {shown[0]:>12} {shown[1]:>12}")
            continue
        unit = a["unit"]
        if unit in HIGHER_IS_BETTER:
            ratio = a["value"] / b["value"] if b["value"] else float("inf")
        else:
            ratio = b["value"] / a["value"] if a["value"] else float("inf")
        verdict = "PASS" if ratio <= TARGET else "MISS"
        print(
            f"{name:<48} {a['value']:>9.2f} {unit:<2} {b['value']:>9.2f} {unit:<2} "
            f"{ratio:>6.2f}x  {verdict}"
        )
    print("(ratio: how many times slower at the larger scale; rates inverted)")
    print("=" * 100)


if __name__ == "__main__":
    main()
