"""Ranked place search over the names in three languages and the kinds' names.

A visitor without a Vietnamese keyboard types "cho" for "chợ", and folding alone cannot tell
"chợ" from "chơi" (both become "cho..."): the old search answered "chợ" with "Trung tâm Vui
chơi" and nothing else. So matches are ranked in four tiers, best first (PLACES.md):

  4  the query as typed (lowercase, with its diacritics) is a whole word or phrase of a name,
     or the place's kind is named by it ("chợ" -> markets, "hotel" -> accommodation);
     Chinese names match as typed (no diacritics, no spaces between words);
  3  the folded query is a whole word of the folded name ("cho" -> "Chợ Trung tâm");
  2  the folded query starts a word of it ("cho" -> "Vui chơi", "kha" -> "Khách sạn");
  1  it occurs anywhere in it.

ORM annotations rather than raw SQL: the list's other filters (kind, bbox, prices, open now)
stay one composable queryset. Names are split into words when a place is saved
(layers.text.name_columns: `search_typed` holds the Vietnamese name as written and the
English one, `search_folded` the folded Vietnamese name and the English one, each as
" word word "), so the folding is the one Python rule and a query costs LIKE on stored
columns: splitting them in SQL per row per query (translate()) took 0.2 s over 20,000
places.
The kinds a query names are worked out here in Python from layers.place_kinds and passed as
a list of codes.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower

from layers.models import PlaceKind, PointOfInterest
from layers.place_kinds import place_kind_words
from layers.text import fold_name, words_text

QUERY_MAX_LENGTH = 100


def _is_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


def kind_tiers(q: str) -> dict[str, int]:
    """kind code -> the best tier at which the query names it (absent: it does not)."""
    typed = words_text(q).strip()
    folded = words_text(fold_name(q)).strip()
    tiers: dict[str, int] = {}
    for kind in PlaceKind.values:
        best = 0
        for word in place_kind_words(kind):
            spaced = words_text(word)
            spaced_folded = words_text(fold_name(word))
            if typed and (f" {typed} " in spaced or (_is_cjk(typed) and typed in word)):
                best = max(best, 4)
            elif folded and f" {folded} " in spaced_folded:
                best = max(best, 3)
            elif len(folded) >= 2 and f" {folded}" in spaced_folded:
                best = max(best, 2)
            elif len(folded) >= 3 and folded in spaced_folded:
                best = max(best, 1)
        if best:
            tiers[kind] = best
    return tiers


def rank_places(queryset: QuerySet[PointOfInterest], q: str) -> QuerySet[PointOfInterest]:
    """`queryset` narrowed to the places matching `q`, each annotated with `score` (1-4, see
    the module's docstring). `q` is cut to QUERY_MAX_LENGTH (the API refuses longer)."""
    q = q[:QUERY_MAX_LENGTH]
    typed = words_text(q).strip()
    folded = words_text(fold_name(q)).strip()
    plain = fold_name(q)  # with its punctuation, for the substring tier
    if not plain:
        return queryset
    by_tier: dict[int, list[str]] = {4: [], 3: [], 2: [], 1: []}
    for kind, tier in kind_tiers(q).items():
        by_tier[tier].append(kind)
    qs = queryset.alias(lower_en=Lower("name_en"))
    nothing = Q(pk__in=[])
    exact = Q(search_typed__contains=f" {typed} ") if typed else nothing
    if _is_cjk(q):
        exact |= Q(name_zh__contains="".join(q.split()))
    word = Q(search_folded__contains=f" {folded} ") if folded else nothing
    prefix = Q(search_folded__contains=f" {folded}") if folded else nothing
    anywhere = (
        Q(name_ascii__contains=plain)
        | Q(lower_en__contains=plain)
        | Q(lower_en__contains=" ".join(q.lower().split()))
        | Q(name_zh__contains=q.strip())
    )
    tiers = [(4, exact), (3, word), (2, prefix), (1, anywhere)]
    whens = []
    for tier, names in tiers:
        condition = names | Q(kind__in=by_tier[tier]) if by_tier[tier] else names
        whens.append(When(condition, then=Value(tier)))
    score = Case(*whens, default=Value(0), output_field=IntegerField())
    return qs.annotate(score=score).filter(score__gt=0)
