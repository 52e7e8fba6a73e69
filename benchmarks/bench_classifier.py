"""The category classifier on the seed set (issue 14, part 1): how often its first and its
first three suggestions hold the right category, and how long a suggestion takes.

    .venv/bin/python benchmarks/bench_classifier.py

Data: data/category_seed.csv, 15 descriptions per category held out (shuffled with a fixed
seed), the rest to train. Baselines, same run, same split: the same logistic regression on
whole-word TF-IDF (no character n-grams, no folding), and always answering the commonest
category. Timings: `suggest` on held-out texts in this process, p50/p95 over 2,000 calls
(the endpoint adds HTTP). Printed, never asserted. The city's own reports on a time split
come with the training command (the rest of part 1).
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gis_core.category_classifier import evaluate, suggest, train  # noqa: E402

HELD_OUT = 15


def split() -> tuple[list[dict], list[dict]]:
    rows = list(csv.DictReader((ROOT / "data" / "category_seed.csv").open(encoding="utf-8")))
    random.Random(14).shuffle(rows)
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["category"], []).append(row)
    training = [r for g in groups.values() for r in g[HELD_OUT:]]
    held_out = [r for g in groups.values() for r in g[:HELD_OUT]]
    return training, held_out


def main() -> None:
    training, held_out = split()
    texts, labels = [r["text"] for r in training], [r["category"] for r in training]
    test_texts, test_labels = [r["text"] for r in held_out], [r["category"] for r in held_out]
    started = time.perf_counter()
    model = train(texts, labels)
    trained_s = time.perf_counter() - started
    words = Pipeline(
        [("tfidf", TfidfVectorizer()), ("logreg", LogisticRegression(C=20.0, max_iter=2000))]
    ).fit(texts, labels)
    ours, baseline = (
        evaluate(model, test_texts, test_labels),
        evaluate(words, test_texts, test_labels),
    )
    commonest = Counter(labels).most_common(1)[0][0]
    guess = float(np.mean([label == commonest for label in test_labels]))
    print(
        f"seed set: {len(training)} to train, {len(held_out)} held out "
        f"({HELD_OUT} per category); trained in {trained_s:.1f} s"
    )
    print(
        f"char n-grams + folding: top-1 {ours.top1:.3f}, top-3 {ours.top3:.3f} | baseline "
        f"whole words: top-1 {baseline.top1:.3f}, top-3 {baseline.top3:.3f} | commonest "
        f"category: {guess:.3f}"
    )
    for style in ("diacritics", "no_diacritics", "informal"):
        rows = [r for r in held_out if r["style"] == style]
        ours_s = evaluate(model, [r["text"] for r in rows], [r["category"] for r in rows])
        base_s = evaluate(words, [r["text"] for r in rows], [r["category"] for r in rows])
        print(
            f"  {style:<14} n={ours_s.n:>3}: top-1 {ours_s.top1:.3f} (whole words "
            f"{base_s.top1:.3f}), top-3 {ours_s.top3:.3f} ({base_s.top3:.3f})"
        )
    print("per category (top-1 precision / recall):")
    for code, row in sorted(ours.per_category.items()):
        print(f"  {code:<28} {row['precision']:.2f} / {row['recall']:.2f}  (n={row['support']})")
    times = []
    for i in range(2000):
        text = test_texts[i % len(test_texts)]
        t0 = time.perf_counter()
        suggest(model, text)
        times.append((time.perf_counter() - t0) * 1000)
    p95 = float(np.percentile(times, 95))
    print(
        f"suggest in process: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms "
        f"| target < 20 ms p95 (with HTTP): {'PASS' if p95 < 20 else 'MISS'}"
    )


if __name__ == "__main__":
    main()
