"""Every weight and threshold of the matcher and the bundle builder, in one place.

Tuning the advisor is an edit here, measured by evaluation.py (precision@5, nDCG@10 on the
evaluation set); nothing else in tcloud/advisor holds a number that changes a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

FACTORS = ("problems", "industry", "size", "price", "support", "sla", "rating", "renewal",
           "stage")


@dataclass(frozen=True)
class MatcherWeights:
    """Every weight and threshold of the matcher and the bundle builder."""

    # Points each factor adds at a perfect fit; they sum to 100. Solving the stated problems
    # dominates; the matchmaker's fit (size, industry, price) comes next; quality signals
    # (SLA, ratings, renewals: 22 together) separate tools that fit equally well; stage (10)
    # is large enough that a first-stage shop's single-purpose tool beats a suite that covers
    # more of its problems, and vanishes at the later stages.
    problems: float = 28.0
    industry: float = 10.0
    size: float = 12.0
    price: float = 10.0
    support: float = 8.0
    sla: float = 8.0
    rating: float = 8.0
    renewal: float = 6.0
    stage: float = 10.0
    # The top priority counts as this many ordinary problems (in coverage and in bundles).
    top_problem_multiplier: float = 3.0
    industry_not_listed_fit: float = 0.25
    # Size: fit falls with log(distance) outside the listed range and is 0, excluded, at this
    # ratio (a 1-person shop is excluded from a tool for 3 or more people).
    size_exclude_ratio: float = 3.0
    # Price: a share of the affordable amount, and of the stated budget when points run out.
    price_share_penalty: float = 0.25
    out_of_pocket_penalty: float = 0.25
    # Evening support: covering this span on a weekday (Mon–Fri, Taiwan time).
    evening_span: tuple[time, time] = (time(18), time(21))
    # Neutral priors for what is not known yet: unmeasured SLA just under a clean record; no
    # renewal figure at the programme's present renewal rate (about 60%).
    unmeasured_sla_fit: float = 0.75
    renewal_prior_percent: float = 60.0
    # Ratings: Bayesian average toward this mean with this many phantom reviews, so one 5-star
    # review (4.09) does not beat 200 reviews of 4.7 (4.67).
    rating_prior_mean: float = 4.0
    rating_prior_count: int = 10
    # Stage: the most problems a tool may solve before it counts as "not simple" (None = any).
    stage_preferred_breadth: tuple[int | None, ...] = (2, 3, 5, None)
    # Bundle: the most tools to start with by stage; how many candidates per problem to search.
    bundle_max_items: tuple[int, ...] = (2, 3, 4, 4)
    bundle_pool_per_problem: int = 3

    def factor_weight(self, factor: str) -> float:
        return getattr(self, factor)


WEIGHTS = MatcherWeights()
