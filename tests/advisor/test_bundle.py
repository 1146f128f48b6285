"""The bundle: cover the top problems within points plus budget, explain items and gaps."""

import random
from dataclasses import replace
from itertools import combinations

import pytest

from tcloud.advisor.bundle import build_bundle
from tcloud.advisor.matcher import rank
from tcloud.advisor.weights import WEIGHTS
from tests.advisor.builders import make_candidate, make_profile

NOODLE_SHOP = {"problems": ("pos", "e_invoice", "loyalty"), "top_problem": "pos", "stage": 3}


def bundle_for(candidates, weights=WEIGHTS, **profile):
    ranking = rank(make_profile(**profile), candidates, weights)
    return build_bundle(ranking, weights)


def ids(bundle):
    return sorted(item.solution_id for item in bundle.items)


def test_covers_every_problem_with_the_fewest_tools_within_the_money():
    bundle = bundle_for([
        make_candidate(1, problems=("pos", "e_invoice"), yearly_price=15_000),
        make_candidate(2, problems=("loyalty",), yearly_price=8_000),
        make_candidate(3, problems=("pos",), yearly_price=5_000),
        make_candidate(4, problems=("e_invoice",), yearly_price=6_000),
        make_candidate(5, problems=("pos", "e_invoice", "loyalty"), yearly_price=45_000),
    ], **NOODLE_SHOP)
    assert ids(bundle) == [1, 2]  # 3+4+2 covers the same with one tool more
    assert bundle.total_price == 23_000
    assert (bundle.points_used, bundle.out_of_pocket) == (23_000, 0)
    assert set(bundle.covered) == {"pos", "e_invoice", "loyalty"}
    assert bundle.uncovered == ()


def test_the_top_priority_is_covered_before_two_lesser_problems():
    # 30,000 buys either the POS (top priority) or the e-invoice and loyalty pair, not both.
    bundle = bundle_for([
        make_candidate(1, problems=("pos",), yearly_price=20_000),
        make_candidate(2, problems=("e_invoice",), yearly_price=12_000),
        make_candidate(3, problems=("loyalty",), yearly_price=12_000),
    ], **NOODLE_SHOP)
    assert ids(bundle) == [1]
    assert [(gap.problem, gap.reason) for gap in bundle.uncovered] == [
        ("e_invoice", "over_budget"), ("loyalty", "over_budget")]
    assert bundle.uncovered[0].values == {"cheapest": 12_000, "left": 10_000}


def test_points_then_budget_pay_for_the_bundle():
    bundle = bundle_for([
        make_candidate(1, problems=("pos", "e_invoice"), yearly_price=26_000),
        make_candidate(2, problems=("loyalty",), yearly_price=10_000),
    ], budget_ntd=8_000, **NOODLE_SHOP)
    assert ids(bundle) == [1, 2]
    assert (bundle.total_price, bundle.points_used, bundle.out_of_pocket) == (36_000, 30_000,
                                                                              6_000)


def test_each_item_says_what_it_is_there_for():
    bundle = bundle_for([
        make_candidate(1, problems=("pos", "e_invoice"), yearly_price=9_000, sla_score=100),
        make_candidate(2, problems=("e_invoice", "loyalty"), yearly_price=9_000),
    ], **NOODLE_SHOP)
    first, second = bundle.items
    assert first.solution_id == 1  # the better-scored item comes first and is credited first
    assert (first.covers, first.also_covers) == (("pos", "e_invoice"), ())
    assert (second.covers, second.also_covers) == (("loyalty",), ("e_invoice",))
    assert first.yearly_price == 9_000


def test_a_problem_no_eligible_solution_solves_is_named():
    bundle = bundle_for([make_candidate(1, problems=("pos",))], **NOODLE_SHOP)
    assert [(gap.problem, gap.reason) for gap in bundle.uncovered] == [
        ("e_invoice", "no_match"), ("loyalty", "no_match")]


def test_a_first_stage_shop_starts_with_two_tools():
    shop = dict(NOODLE_SHOP, stage=1)
    candidates = [make_candidate(i, problems=(p,), yearly_price=5_000)
                  for i, p in enumerate(("pos", "e_invoice", "loyalty"), start=1)]
    bundle = bundle_for(candidates, **shop)
    assert ids(bundle) == [1, 2]  # the top priority, then the lower id of two equals
    assert [(g.problem, g.reason, g.values) for g in bundle.uncovered] == [
        ("loyalty", "item_limit", {"max_items": 2})]
    assert len(bundle_for(candidates, **NOODLE_SHOP).items) == 3


def test_no_matches_gives_an_empty_bundle():
    bundle = bundle_for([make_candidate(1, problems=("fleet",))], **NOODLE_SHOP)
    assert bundle.items == () and bundle.total_price == 0
    assert len(bundle.uncovered) == 3


def test_equal_bundles_go_to_the_lower_ids():
    twins = [make_candidate(i, problems=("pos", "e_invoice", "loyalty")) for i in (8, 2, 5)]
    assert ids(bundle_for(twins, **NOODLE_SHOP)) == [2]


def brute_force_key(ranking, max_items):
    """The bundle objective over every subset of every match: the reference to compare with."""
    profile = ranking.profile
    best = None
    for size in range(1, max_items + 1):
        for chosen in combinations(ranking.matches, size):
            if sum(m.candidate.yearly_price for m in chosen) > profile.affordable:
                continue
            covered = {c for m in chosen for c in m.covers}
            key = (sum(profile.problem_weight(c) for c in covered), -size,
                   round(sum(m.score for m in chosen), 6),
                   -sum(m.candidate.yearly_price for m in chosen))
            best = key if best is None or key > best else best
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_search_finds_the_same_best_bundle_as_brute_force(seed):
    generator = random.Random(seed)
    problems = ("pos", "e_invoice", "loyalty", "booking", "crm")
    candidates = [
        make_candidate(i, problems=tuple(generator.sample(problems, generator.randint(1, 3))),
                       yearly_price=generator.randrange(2_000, 30_000, 1_000),
                       rating_average=generator.choice([3.5, 4.2, 4.8]),
                       rating_count=generator.randint(0, 80))
        for i in range(1, 15)]
    profile = make_profile(problems=problems[:4], top_problem="booking", stage=3,
                           budget_ntd=generator.choice([0, 10_000]))
    wide = replace(WEIGHTS, bundle_pool_per_problem=50)  # the pool holds every match
    ranking = rank(profile, candidates, wide)
    bundle = build_bundle(ranking, wide)
    items = [item.match for item in bundle.items]
    covered = {c for m in items for c in m.covers}
    assert (sum(profile.problem_weight(c) for c in covered), -len(items),
            round(sum(m.score for m in items), 6), -bundle.total_price) == brute_force_key(
                ranking, WEIGHTS.bundle_max_items[2])
    assert bundle.total_price <= profile.affordable
    assert build_bundle(ranking, wide) == bundle  # deterministic
