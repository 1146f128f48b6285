"""The bundle: a few ranked solutions that together cover the business's problems within
its points plus budget, with what each item covers and what is left uncovered and why.

An exact search, not a greedy pick: greedy takes the best-scored tool first and can spend the
money a cheaper pair needed to cover the top priority. The search stays small and fast by
searching only a pool — per problem, the few best-scored and the few cheapest matches that
solve it — and by never adding a tool that solves nothing new. Within the pool the search is
exact; a catalogue with more solvers per problem than the pool holds could, in principle, hide
a better combination outside it (tests compare with a brute force over every subset).

The best bundle is, in order: the most problem weight covered (the top priority counts
`top_problem_multiplier` times), the fewest tools (one login and one bill fewer for a small
shop), the highest total score, the lowest price, and the lowest solution ids, so the answer
is deterministic.

The item limit grows with the readiness stage (`bundle_max_items`): a first-stage shop starts
with two tools and adds more later. Pure: it takes a Ranking from matcher.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from tcloud.advisor.matcher import Match, Ranking
from tcloud.advisor.weights import WEIGHTS, MatcherWeights


@dataclass(frozen=True)
class BundleItem:
    match: Match
    covers: tuple[str, ...]  # problems this item is in the bundle for
    also_covers: tuple[str, ...]  # the business's problems an earlier item already covers

    @property
    def solution_id(self) -> int:
        return self.match.solution_id

    @property
    def yearly_price(self) -> int:
        return self.match.candidate.yearly_price


@dataclass(frozen=True)
class Uncovered:
    """A problem the bundle leaves open: `reason` is a message key, `values` its values.

    no_match — no eligible solution solves it (see the ranking's exclusions for why);
    over_budget — the cheapest that solves it costs more than the money left;
    item_limit — it would fit, but the bundle already has as many tools as the stage suits.
    """

    problem: str
    reason: str
    values: dict


@dataclass(frozen=True)
class Bundle:
    items: tuple[BundleItem, ...]  # best-scored first
    total_price: int
    points_used: int
    out_of_pocket: int  # beyond the points, within the stated budget
    uncovered: tuple[Uncovered, ...]  # in the order of the business's problems, top first

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(code for item in self.items for code in item.covers)


def build_bundle(ranking: Ranking, weights: MatcherWeights = WEIGHTS) -> Bundle:
    profile = ranking.profile
    max_items = weights.bundle_max_items[profile.stage - 1]
    pool = _pool(ranking, weights)
    problem_weight = {code: profile.problem_weight(code, weights) for code in profile.problems}
    full_weight = sum(problem_weight.values())
    best_key: tuple | None = None
    best: tuple[Match, ...] = ()
    # Depth-first over pool subsets in solution-id order; each step must add new coverage and
    # stay within the money. Only a strictly better key replaces the best, so among equals the
    # first found (the lowest ids) stays. A node carries (next index, chosen, covered, covered
    # weight, score sum, price) so each step costs the same however deep it is.
    stack = [(0, (), frozenset(), 0.0, 0.0, 0)]
    while stack:
        start, chosen, covered, weight, score, price = stack.pop()
        if chosen:
            key = (weight, -len(chosen), round(score, 6), -price)
            if best_key is None or key > best_key:
                best_key, best = key, chosen
        if len(chosen) == max_items:
            continue
        # Once everything is covered with n tools, a bundle of more than n cannot win.
        if best_key is not None and best_key[0] == full_weight and len(chosen) >= len(best):
            continue
        # Pushed in reverse so that lower ids are explored (and found) first.
        for index in range(len(pool) - 1, start - 1, -1):
            match = pool[index]
            new = frozenset(match.covers) - covered
            total = price + match.candidate.yearly_price
            if new and total <= profile.affordable:
                stack.append((index + 1, chosen + (match,), covered | new,
                              weight + sum(problem_weight[c] for c in new),
                              score + match.score, total))
    return _explain(ranking, best, max_items)


def _pool(ranking: Ranking, weights: MatcherWeights) -> list[Match]:
    """Per problem, the best and the cheapest `bundle_pool_per_problem` matches solving it."""
    size = weights.bundle_pool_per_problem
    picked: dict[int, Match] = {}
    for code in ranking.profile.problems:
        solving = [m for m in ranking.matches if code in m.covers]  # already best first
        cheapest = sorted(solving, key=lambda m: (m.candidate.yearly_price, m.solution_id))
        for match in solving[:size] + cheapest[:size]:
            picked[match.solution_id] = match
    return sorted(picked.values(), key=lambda m: m.solution_id)


def _explain(ranking: Ranking, chosen: tuple[Match, ...], max_items: int) -> Bundle:
    profile = ranking.profile
    ordered = sorted(chosen, key=lambda m: (-m.score, m.solution_id))
    items, counted = [], set()
    for match in ordered:
        covers = tuple(c for c in match.covers if c not in counted)
        counted.update(covers)
        items.append(BundleItem(match, covers, tuple(c for c in match.covers if c not in covers)))
    total = sum(m.candidate.yearly_price for m in chosen)
    points_used = min(total, profile.points_available)
    left = profile.affordable - total
    uncovered = []
    for code in (profile.top_problem,) + tuple(c for c in profile.problems
                                               if c != profile.top_problem):
        if code in counted:
            continue
        prices = [m.candidate.yearly_price for m in ranking.matches if code in m.covers]
        if not prices:
            uncovered.append(Uncovered(code, "no_match", {}))
        elif min(prices) > left:
            uncovered.append(Uncovered(code, "over_budget", {"cheapest": min(prices),
                                                             "left": left}))
        else:
            uncovered.append(Uncovered(code, "item_limit", {"max_items": max_items}))
    return Bundle(tuple(items), total, points_used, total - points_used, tuple(uncovered))
