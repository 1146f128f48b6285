"""The automatic matcher: rank catalogue solutions for one business's needs, with reasons.

A consultant who matches well is a matchmaker: "a product for a 1,000-person factory does not
fit a small shop". The matcher does the first pass of that work so the consultant reviews
rather than searches. Design choices, each so that the result can be trusted and explained:

- Deterministic: the same needs and catalogue give the same list; ties go to the lower solution
  id. No randomness, no learned model; every number comes from `MatcherWeights`.
- One place for every weight and threshold (`MatcherWeights` in weights.py), the factor
  weights summing to 100, so a score reads as "out of 100" and tuning is one edit measured by
  evaluation.py.
- Hard filters only where a recommendation would be plainly wrong, not merely worse: a tool
  that solves none of the stated problems; support hours that miss a stated need entirely (a
  salon needing weekend support never goes to a weekdays-only vendor — a penalty could be
  outweighed by price or ratings, and a salon left alone on its busiest day is the failure the
  SLA term exists to prevent); a company size three times outside the listed range; a price
  beyond points plus the stated budget. Excluded candidates come back with their reasons so
  the consultant can see, and override, what was left out. Partial fits (Saturday but not
  Sunday, size just outside the range) stay in with a proportional score.
- Every factor returns a fit in 0–1 and a reason (factor, points added, message key, values);
  explain.py turns reasons into plain words, so wording changes never touch the ranking.

No database or Flask import: the advisor's services build `NeedsProfile` and `Candidate` rows
from the needs form and the catalogue (needs.py), then call `rank()`; weights.py holds the
numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import log

from tcloud.advisor.needs import Candidate, NeedsProfile, support_coverage
from tcloud.advisor.weights import FACTORS, WEIGHTS, MatcherWeights


@dataclass(frozen=True)
class Reason:
    """One factor's verdict: `points` is what it added to the score (weight × fit)."""

    factor: str
    key: str
    values: dict = field(default_factory=dict)
    fit: float = 0.0
    points: float = 0.0

    @property
    def tone(self) -> str:
        """For the page: "good", "fair" or "poor", so the template picks an icon, not a rule."""
        return "good" if self.fit >= 0.8 else "fair" if self.fit >= 0.5 else "poor"


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float  # 0–100
    reasons: tuple[Reason, ...]  # one per factor, in FACTORS order
    covers: tuple[str, ...]  # the business's problems it solves, top priority first

    @property
    def solution_id(self) -> int:
        return self.candidate.solution_id


@dataclass(frozen=True)
class Exclusion:
    candidate: Candidate
    reasons: tuple[Reason, ...]  # only the factors that excluded it


@dataclass(frozen=True)
class Ranking:
    profile: NeedsProfile
    matches: tuple[Match, ...]  # best first
    excluded: tuple[Exclusion, ...]  # by solution id

    def top(self, count: int) -> tuple[Match, ...]:
        return self.matches[:count]


@dataclass(frozen=True)
class _Verdict:
    fit: float
    key: str
    values: dict
    excludes: bool = False


# --- The factors: each returns a fit in 0–1, the message key and its values ------------------

def _problems(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    covered = covered_problems(profile, cand)
    if not covered:
        return _Verdict(0.0, "problems_none", {}, excludes=True)
    total = sum(profile.problem_weight(code, w) for code in profile.problems)
    fit = sum(profile.problem_weight(code, w) for code in covered) / total
    missing = [code for code in profile.problems if code not in covered]
    if profile.top_problem in covered:
        return _Verdict(fit, "problems_with_top", {"top": profile.top_problem,
                                                   "others": list(covered[1:]),
                                                   "missing": missing})
    return _Verdict(fit, "problems_without_top", {"covered": list(covered),
                                                  "top": profile.top_problem,
                                                  "missing": missing})


def _industry(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    if profile.industry in cand.industries:
        return _Verdict(1.0, "industry_listed", {"industry": profile.industry})
    return _Verdict(w.industry_not_listed_fit, "industry_not_listed",
                    {"industry": profile.industry})


def _size(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    values = {"employees": profile.employees, "min": cand.min_employees,
              "max": cand.max_employees}
    if profile.employees < cand.min_employees:
        ratio, key = cand.min_employees / profile.employees, "size_below_range"
    elif profile.employees > cand.max_employees:
        ratio, key = profile.employees / cand.max_employees, "size_above_range"
    else:
        return _Verdict(1.0, "size_in_range", values)
    fit = max(0.0, 1 - log(ratio) / log(w.size_exclude_ratio))
    return _Verdict(fit, key, values, excludes=ratio >= w.size_exclude_ratio)


def _price(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    price, affordable = cand.yearly_price, profile.affordable
    if price > affordable:
        return _Verdict(0.0, "price_over_budget", {"price": price, "affordable": affordable,
                                                   "over": price - affordable}, excludes=True)
    out_of_pocket = max(0, price - profile.points_available)
    fit = 1 - w.price_share_penalty * (price / affordable if affordable else 0.0)
    if out_of_pocket:
        fit -= w.out_of_pocket_penalty * out_of_pocket / profile.budget_ntd
        return _Verdict(fit, "price_within_budget", {"price": price,
                                                     "out_of_pocket": out_of_pocket,
                                                     "budget": profile.budget_ntd})
    return _Verdict(fit, "price_within_points", {"price": price,
                                                 "points": profile.points_available})


def _support(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    needs = profile.support_needs()
    if not needs:
        return _Verdict(1.0, "support_no_needs", {})
    coverage = {need: support_coverage(cand, need, w) for need in needs}
    missing = [need for need in needs if coverage[need] == 0]
    if missing:
        return _Verdict(0.0, "support_missing", {"unmet": missing}, excludes=True)
    partial = [need for need in needs if coverage[need] < 1]
    fit = sum(coverage.values()) / len(needs)
    if partial:
        return _Verdict(fit, "support_partial", {"needs": list(needs), "partial": partial})
    return _Verdict(fit, "support_meets", {"needs": list(needs)})


def _sla(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    if cand.sla_score is None:
        return _Verdict(w.unmeasured_sla_fit, "sla_unmeasured",
                        {"availability": cand.availability_percent})
    return _Verdict(cand.sla_score / 100, "sla_measured", {"score": round(cand.sla_score)})


def _rating(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    adjusted = bayesian_rating(cand.rating_average, cand.rating_count, w)
    fit = (adjusted - 1) / 4
    if not cand.rating_count or cand.rating_average is None:
        return _Verdict(fit, "rating_none", {})
    return _Verdict(fit, "rating", {"average": round(cand.rating_average, 1),
                                    "count": cand.rating_count})


def _renewal(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    if cand.renewal_rate_percent is None:
        return _Verdict(w.renewal_prior_percent / 100, "renewal_unknown", {})
    return _Verdict(cand.renewal_rate_percent / 100, "renewal",
                    {"percent": round(cand.renewal_rate_percent)})


def _stage(profile: NeedsProfile, cand: Candidate, w: MatcherWeights) -> _Verdict:
    breadth = len(set(cand.problems))
    preferred = w.stage_preferred_breadth[profile.stage - 1]
    values = {"stage": profile.stage, "breadth": breadth, "preferred": preferred}
    if preferred is None or breadth <= preferred:
        return _Verdict(1.0, "stage_simple" if breadth <= 2 else "stage_broad_fits", values)
    return _Verdict(max(0.0, 1 - (breadth - preferred) / preferred), "stage_too_broad", values)


_FACTOR_FUNCTIONS = {"problems": _problems, "industry": _industry, "size": _size,
                     "price": _price, "support": _support, "sla": _sla, "rating": _rating,
                     "renewal": _renewal, "stage": _stage}


# --- Helpers the factors share (public: the bundle and the tests use them) --------------------

def covered_problems(profile: NeedsProfile, cand: Candidate) -> tuple[str, ...]:
    """The business's problems this candidate solves, top priority first, then form order."""
    ordered = (profile.top_problem,) + tuple(c for c in profile.problems
                                             if c != profile.top_problem)
    return tuple(code for code in ordered if code in cand.problems)


def bayesian_rating(average: float | None, count: int, w: MatcherWeights = WEIGHTS) -> float:
    if not count or average is None:
        return w.rating_prior_mean
    return ((w.rating_prior_mean * w.rating_prior_count + average * count)
            / (w.rating_prior_count + count))

# --- Ranking ---------------------------------------------------------------------------------

def assess(profile: NeedsProfile, cand: Candidate,
           weights: MatcherWeights = WEIGHTS) -> Match | Exclusion:
    """Every factor for one candidate: a Match with all reasons, or an Exclusion with its own."""
    verdicts = {factor: _FACTOR_FUNCTIONS[factor](profile, cand, weights) for factor in FACTORS}
    reasons = tuple(
        Reason(factor, v.key, v.values, round(v.fit, 4),
               round(weights.factor_weight(factor) * v.fit, 2))
        for factor, v in verdicts.items())
    blocking = tuple(r for r in reasons if verdicts[r.factor].excludes)
    if blocking:
        return Exclusion(cand, blocking)
    # The score is the sum of the points shown, so the reasons always add up on the page.
    score = round(sum(r.points for r in reasons), 2)
    return Match(cand, score, reasons, covered_problems(profile, cand))


def rank(profile: NeedsProfile, candidates: Iterable[Candidate],
         weights: MatcherWeights = WEIGHTS) -> Ranking:
    """All candidates assessed; matches best first (ties: lower solution id first)."""
    matches, excluded, seen = [], [], set()
    for cand in candidates:
        if cand.solution_id in seen:
            raise ValueError(f"solution {cand.solution_id} is listed twice")
        seen.add(cand.solution_id)
        result = assess(profile, cand, weights)
        (matches if isinstance(result, Match) else excluded).append(result)
    matches.sort(key=lambda m: (-m.score, m.solution_id))
    excluded.sort(key=lambda e: e.candidate.solution_id)
    return Ranking(profile, tuple(matches), tuple(excluded))
