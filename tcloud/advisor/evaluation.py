"""Ranking quality measured, not asserted: precision@k and nDCG@k over an evaluation set.

The evaluation set pairs needs forms with the solutions a careful consultant would accept
(graded: 1 acceptable, 2 good, 3 what they would pick first); bench/advisor runs the matcher on
each form and prints the means of `precision_at_k(…, 5)` and `ndcg_at_k(…, 10)`. Any change to
weights.py should move these figures the right way.

Standard definitions, so the figures compare with published ones:
- precision@k = (relevant items among the first k) / k. Dividing by k even when fewer than k
  items are ranked is deliberate: a matcher that returns two items when five were asked for
  has not earned a perfect score.
- DCG@k = sum over ranks i = 1..k of gain(rel_i) / log2(i + 1), with linear gain rel (as in
  trec_eval and scikit-learn) or exponential gain 2^rel - 1 (Burges et al. 2005), which
  rewards putting the best item first more strongly; nDCG@k = DCG@k / IDCG@k, where IDCG
  ranks every judged item ideally, including relevant ones the ranking missed. With no relevant
  item, nDCG is 0 (scikit-learn's convention) rather than undefined.
Relevance is a mapping id → grade (graded) or a set of ids (binary: grade 1). Pure arithmetic.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from math import log2

Relevance = Mapping[Hashable, float] | Collection[Hashable]


def _grades(relevance: Relevance) -> Mapping[Hashable, float]:
    if isinstance(relevance, Mapping):
        if any(grade < 0 for grade in relevance.values()):
            raise ValueError("relevance grades must not be negative")
        return relevance
    return dict.fromkeys(relevance, 1.0)


def _check(ranked: Sequence[Hashable], k: int) -> None:
    if k < 1:
        raise ValueError("k must be at least 1")
    if len(set(ranked)) != len(ranked):
        raise ValueError("the ranking lists an item twice")


def precision_at_k(ranked: Sequence[Hashable], relevance: Relevance, k: int) -> float:
    """Share of the first k places held by relevant items (grade above 0)."""
    _check(ranked, k)
    grades = _grades(relevance)
    return sum(1 for item in ranked[:k] if grades.get(item, 0) > 0) / k


def _gain(grade: float, gain: str) -> float:
    if gain == "linear":
        return grade
    if gain == "exponential":
        return 2 ** grade - 1
    raise ValueError(f"unknown gain {gain!r}")


def dcg_at_k(grades_in_order: Sequence[float], k: int, gain: str = "linear") -> float:
    return sum(_gain(grade, gain) / log2(rank + 1)
               for rank, grade in enumerate(grades_in_order[:k], start=1))


def ndcg_at_k(ranked: Sequence[Hashable], relevance: Relevance, k: int,
              gain: str = "linear") -> float:
    """DCG of the ranking over DCG of the ideal ranking of all judged items, both cut at k."""
    _check(ranked, k)
    grades = _grades(relevance)
    ideal = dcg_at_k(sorted(grades.values(), reverse=True), k, gain)
    if ideal == 0:
        return 0.0
    return dcg_at_k([grades.get(item, 0) for item in ranked], k, gain) / ideal


@dataclass(frozen=True)
class EvaluationCase:
    """One needs form's result: the matcher's ranked ids and the consultant's judgements."""

    name: str
    ranked: Sequence[Hashable]
    relevance: Relevance


@dataclass(frozen=True)
class EvaluationSummary:
    cases: int
    precision: float
    ndcg: float
    precision_k: int
    ndcg_k: int
    worst: tuple[tuple[str, float], ...]  # the cases with the lowest nDCG, to look at first


def evaluate(cases: Sequence[EvaluationCase], *, precision_k: int = 5, ndcg_k: int = 10,
             gain: str = "linear", worst: int = 5) -> EvaluationSummary:
    """Mean precision@k and nDCG@k over the cases (each case weighs the same)."""
    if not cases:
        raise ValueError("no evaluation cases")
    precisions = [precision_at_k(c.ranked, c.relevance, precision_k) for c in cases]
    ndcgs = [(ndcg_at_k(c.ranked, c.relevance, ndcg_k, gain), c.name) for c in cases]
    lowest = tuple((name, value) for value, name in sorted(ndcgs)[:worst])
    return EvaluationSummary(len(cases), sum(precisions) / len(cases),
                             sum(value for value, _ in ndcgs) / len(cases),
                             precision_k, ndcg_k, lowest)
