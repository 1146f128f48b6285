"""The automatic matcher: rank catalogue solutions for one business's needs, with reasons.

A consultant who matches well is a matchmaker: "a product for a 1,000-person factory does not
fit a small shop". The matcher does the first pass of that work so the consultant reviews
rather than searches. Design choices, each so that the result can be trusted and explained:

- Deterministic: the same needs and catalogue give the same list; ties go to the lower solution
  id. No randomness, no learned model; every number comes from `MatcherWeights`.
- One place for every weight and threshold (`MatcherWeights` in weights.py), the factor
  weights summing to 100, so a score reads as "out of 100" and tuning is one edit measured by
  evaluation.py.
- A tool that solves none of the stated problems is not a candidate at all (only counted).
- Hard filters only where a recommendation would be plainly wrong, not merely worse: support
  hours that miss a stated need entirely (a salon needing weekend support never goes to a
  weekdays-only vendor — a penalty could be outweighed by price or ratings, and a salon left
  alone on its busiest day is the failure the SLA term exists to prevent); a company size
  `size_exclude_ratio` (3) times outside the listed range; a price beyond points plus the
  stated budget. Excluded candidates come back with their reasons so the consultant can see,
  and override, what was left out. Partial fits (Saturday but not Sunday, size just outside
  the range) stay in with a proportional score.
- Every factor returns a fit in 0–1 and a reason (factor, points added, message key, values);
  explain.py turns reasons into plain words, so wording changes never touch the ranking.

No database or Flask import: the advisor's services build `NeedsProfile` and `Candidate` rows
from the needs form and the catalogue (needs.py), then call `rank()`; weights.py holds the
numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import log
from typing import NamedTuple

from tcloud.advisor.needs import Candidate, NeedsProfile, support_coverage
from tcloud.advisor.weights import FACTORS, WEIGHTS, MatcherWeights


class Reason(NamedTuple):
    """One factor's verdict: `points` is what it added to the score (weight × fit).

    A named tuple rather than a frozen dataclass: a ranking makes nine per candidate, and over
    the 800-solution catalogue a frozen dataclass's slower construction alone costs ~10 ms.
    """

    factor: str
    key: str
    values: dict
    fit: float
    points: float

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
    excluded: tuple[Exclusion, ...]  # solve a stated problem but were filtered out; by id
    unrelated: int = 0  # candidates that solve none of the stated problems (not listed)

    def top(self, count: int) -> tuple[Match, ...]:
        return self.matches[:count]


class _Verdict(NamedTuple):
    fit: float
    key: str
    values: dict
    excludes: bool = False


class _Context:
    """What every factor needs from the profile, worked out once per ranking, not per tool."""

    def __init__(self, profile: NeedsProfile, weights: MatcherWeights) -> None:
        self.profile, self.w = profile, weights
        self.ordered = (profile.top_problem,) + tuple(
            code for code in profile.problems if code != profile.top_problem)
        self.problem_set = frozenset(profile.problems)
        self.problem_weight = {code: profile.problem_weight(code, weights)
                               for code in profile.problems}
        self.total_weight = sum(self.problem_weight.values())
        self.needs = profile.support_needs()

    def covered(self, cand: Candidate) -> tuple[str, ...]:
        return tuple(code for code in self.ordered if code in cand.problems)


# --- The factors: each returns a fit in 0–1, the message key and its values ------------------

def _problems(ctx: _Context, cand: Candidate) -> _Verdict:
    covered = ctx.covered(cand)
    if not covered:
        return _Verdict(0.0, "problems_none", {}, excludes=True)
    fit = sum(ctx.problem_weight[code] for code in covered) / ctx.total_weight
    missing = [code for code in ctx.profile.problems if code not in covered]
    top = ctx.profile.top_problem
    if top in covered:
        return _Verdict(fit, "problems_with_top", {"top": top, "others": list(covered[1:]),
                                                   "missing": missing})
    return _Verdict(fit, "problems_without_top", {"covered": list(covered), "top": top,
                                                  "missing": missing})


def _industry(ctx: _Context, cand: Candidate) -> _Verdict:
    industry = ctx.profile.industry
    if industry in cand.industries:
        return _Verdict(1.0, "industry_listed", {"industry": industry})
    return _Verdict(ctx.w.industry_not_listed_fit, "industry_not_listed",
                    {"industry": industry})


def _size(ctx: _Context, cand: Candidate) -> _Verdict:
    employees = ctx.profile.employees
    values = {"employees": employees, "min": cand.min_employees, "max": cand.max_employees}
    if employees < cand.min_employees:
        ratio, key = cand.min_employees / employees, "size_below_range"
    elif employees > cand.max_employees:
        ratio, key = employees / cand.max_employees, "size_above_range"
    else:
        return _Verdict(1.0, "size_in_range", values)
    limit = ctx.w.size_exclude_ratio
    return _Verdict(max(0.0, 1 - log(ratio) / log(limit)), key, values, excludes=ratio >= limit)


def _price(ctx: _Context, cand: Candidate) -> _Verdict:
    profile, w = ctx.profile, ctx.w
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


def _support(ctx: _Context, cand: Candidate) -> _Verdict:
    needs = ctx.needs
    if not needs:
        return _Verdict(1.0, "support_no_needs", {})
    coverage = {need: support_coverage(cand, need, ctx.w) for need in needs}
    missing = [need for need in needs if coverage[need] == 0]
    if missing:
        return _Verdict(0.0, "support_missing", {"unmet": missing}, excludes=True)
    partial = [need for need in needs if coverage[need] < 1]
    fit = sum(coverage.values()) / len(needs)
    if partial:
        return _Verdict(fit, "support_partial", {"needs": list(needs), "partial": partial})
    return _Verdict(fit, "support_meets", {"needs": list(needs)})


def _sla(ctx: _Context, cand: Candidate) -> _Verdict:
    if cand.sla_score is None:
        return _Verdict(ctx.w.unmeasured_sla_fit, "sla_unmeasured",
                        {"availability": cand.availability_percent})
    return _Verdict(cand.sla_score / 100, "sla_measured", {"score": round(cand.sla_score)})


def _rating(ctx: _Context, cand: Candidate) -> _Verdict:
    fit = (bayesian_rating(cand.rating_average, cand.rating_count, ctx.w) - 1) / 4
    if not cand.rating_count or cand.rating_average is None:
        return _Verdict(fit, "rating_none", {})
    return _Verdict(fit, "rating", {"average": round(cand.rating_average, 1),
                                    "count": cand.rating_count})


def _renewal(ctx: _Context, cand: Candidate) -> _Verdict:
    if cand.renewal_rate_percent is None:
        return _Verdict(ctx.w.renewal_prior_percent / 100, "renewal_unknown", {})
    return _Verdict(cand.renewal_rate_percent / 100, "renewal",
                    {"percent": round(cand.renewal_rate_percent)})


def _stage(ctx: _Context, cand: Candidate) -> _Verdict:
    stage, breadth = ctx.profile.stage, len(set(cand.problems))
    preferred = ctx.w.stage_preferred_breadth[stage - 1]
    values = {"stage": stage, "breadth": breadth, "preferred": preferred}
    if preferred is None or breadth <= preferred:
        return _Verdict(1.0, "stage_simple" if breadth <= 2 else "stage_broad_fits", values)
    return _Verdict(max(0.0, 1 - (breadth - preferred) / preferred), "stage_too_broad", values)


_FACTOR_FUNCTIONS = tuple(zip(FACTORS, (_problems, _industry, _size, _price, _support, _sla,
                                        _rating, _renewal, _stage), strict=True))


def covered_problems(profile: NeedsProfile, cand: Candidate) -> tuple[str, ...]:
    """The business's problems this candidate solves, top priority first, then form order."""
    return _Context(profile, WEIGHTS).covered(cand)


def bayesian_rating(average: float | None, count: int, w: MatcherWeights = WEIGHTS) -> float:
    if not count or average is None:
        return w.rating_prior_mean
    return ((w.rating_prior_mean * w.rating_prior_count + average * count)
            / (w.rating_prior_count + count))


# --- Ranking ---------------------------------------------------------------------------------

def _assess(ctx: _Context, cand: Candidate) -> Match | Exclusion:
    reasons, blocking = [], []
    for factor, function in _FACTOR_FUNCTIONS:
        verdict = function(ctx, cand)
        weight = ctx.w.factor_weight(factor)
        reason = Reason(factor, verdict.key, verdict.values, round(verdict.fit, 4),
                        round(weight * verdict.fit, 2))
        reasons.append(reason)
        if verdict.excludes:
            blocking.append(reason)
    if blocking:
        return Exclusion(cand, tuple(blocking))
    # The score is the sum of the points shown, so the reasons always add up on the page.
    return Match(cand, round(sum(r.points for r in reasons), 2), tuple(reasons),
                 ctx.covered(cand))


def assess(profile: NeedsProfile, cand: Candidate,
           weights: MatcherWeights = WEIGHTS) -> Match | Exclusion:
    """Every factor for one candidate: a Match with all reasons, or an Exclusion with its own."""
    return _assess(_Context(profile, weights), cand)


def rank(profile: NeedsProfile, candidates: Iterable[Candidate],
         weights: MatcherWeights = WEIGHTS) -> Ranking:
    """Matches best first (ties: lower solution id first), exclusions with their reasons.

    Tools that solve none of the stated problems are only counted: listing hundreds of them
    as "excluded" would bury the few exclusions a consultant needs to see.
    """
    ctx = _Context(profile, weights)
    matches, excluded, seen, unrelated = [], [], set(), 0
    for cand in candidates:
        if cand.solution_id in seen:
            raise ValueError(f"solution {cand.solution_id} is listed twice")
        seen.add(cand.solution_id)
        if ctx.problem_set.isdisjoint(cand.problems):
            unrelated += 1
            continue
        result = _assess(ctx, cand)
        (matches if isinstance(result, Match) else excluded).append(result)
    matches.sort(key=lambda m: (-m.score, m.solution_id))
    excluded.sort(key=lambda e: e.candidate.solution_id)
    return Ranking(profile, tuple(matches), tuple(excluded), unrelated)
