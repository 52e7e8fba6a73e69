"""How alike two reports are: the combined duplicate score (issue 14, part 2).

Pure arithmetic over what `gis_core.selectors.possible_duplicates` already found within the
category's radius and window (the SQL decides near and recent; this ranks):

    closeness  c = 1 - distance / radius                     (1 on the spot, 0 at the radius)
    text       t = cosine of the two descriptions' TF-IDF vectors over the classifier's own
                   features (category_classifier.text_vectorizer: char n-grams 2-5, with and
                   without marks), so "cong bi tac" and "cống bị tắc" match
    photo      p = 1 - h / 24, at least 0, for the smallest Hamming distance h between any
                   photo of one and any photo of the other (64-bit pHash, gis_core.photo_hash)
    evidence   e = 1 - (1 - t)(1 - p)                        ("similar text OR similar photo":
                   either alone can make it high, both together make it higher)
    category   k = 1 for the same category, 0.6 for a similar one

    score      = k × (0.35 c + 0.65 e)                       (0 to 1)

What the figures mean, measured on the seed set and on re-encoded images
(benchmarks/bench_duplicates.py): two descriptions of unrelated problems have a cosine of
0.08-0.25 (median 0.12); two wordings of the same problem 0.35-0.7. Unrelated photos' hashes
differ in about half their 64 bits and rarely fewer than 24 (so p = 0); the same photo
re-encoded or resized in 0-4, lightly cropped up to about 10. Hence the labels:
"mô tả giống" from t ≥ 0.35, "ảnh giống" from h ≤ 10 (p ≥ 0.58), "gần" within half the radius.

Which candidates count: every one of the same category (as before: near and recent is
enough to ask), and one of a *similar* category only with a strong sign, t ≥ 0.45 or a
near-identical photo. A similar category is one whose city-wide routing rule sends it to
the same agency as this one's (the agency's staff see both; a citizen unsure between two
categories of one agency picks either), which an administrator can see and change.

A missing signal counts as no evidence (a citizen who has not yet typed a description, a
report without photos): the ranking then falls back to distance, as before.

The vectoriser is fitted on the query and the candidates together (at most 51 short texts,
about 13 ms): no stored model to keep in step with the classifier, and the IDF weighs down
the n-grams every nearby report shares ("rác", a street's name), which is what separates
them. Texts are cut at 1000 characters, bounding the work of an anonymous request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gis_core.category_classifier import text_vectorizer
from gis_core.photo_hash import hamming

WEIGHT_CLOSENESS = 0.35
WEIGHT_EVIDENCE = 0.65
SIMILAR_CATEGORY_WEIGHT = 0.6
TEXT_MATCH = 0.35  # "mô tả giống"
SIMILAR_CATEGORY_TEXT = 0.45  # a similar category's candidate needs this much text, or:
PHOTO_MATCH_BITS = 10  # "ảnh giống": at most this many of the 64 bits differ
PHOTO_ZERO_BITS = 24  # this many or more: no likeness at all
PHOTO_MATCH = 1.0 - PHOTO_MATCH_BITS / PHOTO_ZERO_BITS
NEAR = 0.5  # "gần": within half the radius
TEXT_MAX_CHARS = 1000


def closeness(distance_m: float, radius_m: float) -> float:
    """1 at the same spot, falling linearly to 0 at the category's radius."""
    if radius_m <= 0:
        return 0.0
    return min(1.0, max(0.0, 1.0 - distance_m / radius_m))


def text_similarities(query: str, texts: Sequence[str]) -> list[float]:
    """The cosine between `query` and each of `texts` (0 for a blank query or text)."""
    query = (query or "")[:TEXT_MAX_CHARS]
    if not query.strip() or not texts:
        return [0.0] * len(texts)
    try:
        matrix = text_vectorizer().fit_transform([query, *(t[:TEXT_MAX_CHARS] for t in texts)])
    except ValueError:  # nothing to count at all (no n-gram in any text)
        return [0.0] * len(texts)
    # TF-IDF rows are L2-normalised: the dot product is the cosine.
    cosines = (matrix[1:] @ matrix[0].T).toarray().ravel()
    return [float(min(1.0, max(0.0, c))) for c in cosines]


def photo_similarity(hashes: Iterable[int], others: Iterable[int]) -> float:
    """1 - h/24 for the closest pair of photos (h differing bits), 0 without photos."""
    mine, theirs = list(hashes), list(others)
    if not mine or not theirs:
        return 0.0
    bits = min(hamming(a, b) for a in mine for b in theirs)
    return max(0.0, 1.0 - bits / PHOTO_ZERO_BITS)


@dataclass(frozen=True)
class DuplicateScore:
    score: float
    closeness: float
    text_similarity: float
    photo_similarity: float
    same_category: bool

    @property
    def near(self) -> bool:
        return self.closeness >= NEAR

    @property
    def text_match(self) -> bool:
        return self.text_similarity >= TEXT_MATCH

    @property
    def photo_match(self) -> bool:
        return self.photo_similarity >= PHOTO_MATCH - 1e-9

    @property
    def qualifies(self) -> bool:
        """Same category, or a similar one with a strong sign (see the module's docstring)."""
        return self.same_category or (
            self.text_similarity >= SIMILAR_CATEGORY_TEXT or self.photo_match
        )


def combine(
    *, closeness: float, text_similarity: float, photo_similarity: float, same_category: bool
) -> DuplicateScore:
    evidence = 1.0 - (1.0 - text_similarity) * (1.0 - photo_similarity)
    weight = 1.0 if same_category else SIMILAR_CATEGORY_WEIGHT
    return DuplicateScore(
        score=weight * (WEIGHT_CLOSENESS * closeness + WEIGHT_EVIDENCE * evidence),
        closeness=closeness,
        text_similarity=text_similarity,
        photo_similarity=photo_similarity,
        same_category=same_category,
    )
