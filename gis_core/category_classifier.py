"""Suggesting a report's category from its description (issue 14, part 1): the model itself.

Character n-grams (2 to 5, within words) of the description as typed and without its marks,
TF-IDF weighted, and a multinomial logistic regression, so "cong bi tac", "cống bị tắc" and
"cống bị tắc k ai xử lý" share most of their features and the scores are probabilities to
rank. Pure scikit-learn: no model is fetched at run time; it is trained on the city's own
confirmed reports plus data/category_seed.csv. What comes next (the nightly command that
trains on a time split and keeps a model only if not worse: gis_core.category_training; the
suggestions served: gis_core.category_suggestions) builds on `train`, `evaluate` and
`not_worse` here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from common.text import strip_marks

TEXT_MAX_CHARS = 4000  # a report's description at most (REPORT_DESCRIPTION_MAX_CHARS)


LONG_NUMBER = re.compile(r"\d{6,}")  # a phone or an account number: one token, never learnt


def features_text(text: str) -> str:
    """The description lowercased, then again without its marks: both spellings count. Long
    digit runs become one "0", so no phone number is kept among a stored model's features."""
    lowered = LONG_NUMBER.sub("0", " ".join((text or "")[:TEXT_MAX_CHARS].lower().split()))
    return f"{lowered} | {strip_marks(lowered)}"


def text_vectorizer(*, max_features: int | None = None) -> TfidfVectorizer:
    """The features every text comparison shares (the classifier, duplicates by meaning):
    character n-grams 2 to 5 within words of `features_text`, sublinear TF-IDF; at most
    `max_features` of the commonest n-grams when given."""
    return TfidfVectorizer(
        preprocessor=features_text,
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=1,
        max_features=max_features,
    )


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    seed: int = 0,
    max_features: int | None = None,
) -> Pipeline:
    """A fitted model over `texts` and their category codes."""
    model = Pipeline(
        [
            ("tfidf", text_vectorizer(max_features=max_features)),
            ("logreg", LogisticRegression(C=20.0, max_iter=2000, random_state=seed)),
        ]
    )
    model.fit(list(texts), list(labels))
    return model


def suggest(model: Pipeline, text: str, *, top: int = 3) -> list[tuple[str, float]]:
    """The `top` categories for `text`, best first, with their probabilities."""
    scores = model.predict_proba([text])[0]
    order = np.argsort(scores)[::-1][:top]
    classes = model.classes_
    return [(str(classes[i]), float(scores[i])) for i in order]


@dataclass(frozen=True)
class Metrics:
    """How a model did on held-out reports: top-1 and top-3 accuracy, and per category its
    precision and recall (of the top-1 answer) and how many reports it had."""

    n: int
    top1: float
    top3: float
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)


def evaluate(model: Pipeline, texts: Sequence[str], labels: Sequence[str]) -> Metrics:
    probabilities = model.predict_proba(list(texts))
    classes = np.asarray(model.classes_)
    ranked = classes[np.argsort(probabilities, axis=1)[:, ::-1]]
    truth = np.asarray(list(labels))
    top1 = ranked[:, 0] == truth
    top3 = (ranked[:, :3] == truth[:, None]).any(axis=1)
    per_category: dict[str, dict[str, float]] = {}
    for code in sorted(set(truth) | set(ranked[:, 0])):
        predicted = ranked[:, 0] == code
        actual = truth == code
        hits = int((predicted & actual).sum())
        per_category[str(code)] = {
            "precision": hits / int(predicted.sum()) if predicted.any() else 0.0,
            "recall": hits / int(actual.sum()) if actual.any() else 0.0,
            "support": int(actual.sum()),
        }
    n = len(truth)
    return Metrics(
        n=n,
        top1=float(top1.mean()) if n else 0.0,
        top3=float(top3.mean()) if n else 0.0,
        per_category=per_category,
    )


def not_worse(new: Metrics, current: Metrics | None, *, tolerance: float = 0.005) -> bool:
    """Whether a newly trained model may replace the current one: top-1 and top-3 on the same
    held-out reports no lower than the current model's, within `tolerance` (one report in 200)."""
    if current is None:
        return True
    return new.top1 >= current.top1 - tolerance and new.top3 >= current.top3 - tolerance
