"""The matcher, factor by factor: problems, industry, size, price, support hours, SLA, ratings,
renewals, stage; then the ranking itself (reasons add up, exclusions, ties, determinism)."""

from dataclasses import fields, replace
from datetime import time
from math import log

import pytest

from tcloud.advisor.matcher import Exclusion, Match, assess, bayesian_rating, rank
from tcloud.advisor.needs import (
    SUPPORT_NEEDS,
    codes_from_bars,
    support_coverage,
    windows_from_json,
)
from tcloud.advisor.weights import FACTORS, WEIGHTS, MatcherWeights
from tcloud.catalog.sla_terms import SupportWindow
from tests.advisor.builders import WEEKDAYS, make_candidate, make_profile, windows


def reason(result, factor):
    return next(r for r in result.reasons if r.factor == factor)


def fit_of(factor, profile=None, **candidate):
    result = assess(profile or make_profile(), make_candidate(**candidate))
    assert isinstance(result, Match), result
    return reason(result, factor)


def exclusion_of(profile=None, **candidate):
    result = assess(profile or make_profile(), make_candidate(**candidate))
    assert isinstance(result, Exclusion), result
    return {r.key for r in result.reasons}


# --- Weights and inputs ----------------------------------------------------------------------

def test_factor_weights_live_in_one_place_and_sum_to_100():
    names = {f.name for f in fields(MatcherWeights)}
    assert set(FACTORS) <= names
    assert sum(WEIGHTS.factor_weight(f) for f in FACTORS) == pytest.approx(100)


@pytest.mark.parametrize("change", [
    {"employees": 0}, {"budget_ntd": -1}, {"points_available": -1}, {"industry": "mining"},
    {"problems": ()}, {"problems": ("pos", "telepathy")}, {"top_problem": "booking"},
    {"stage": 5},
])
def test_a_malformed_profile_is_refused(change):
    with pytest.raises(ValueError):
        make_profile(**change)


# --- Problems --------------------------------------------------------------------------------

SALON = {"industry": "beauty_hair", "problems": ("payroll", "booking", "crm"),
         "top_problem": "booking"}


@pytest.mark.parametrize("solves,fit,key", [
    (("booking",), 3 / 5, "problems_with_top"),  # the top priority weighs 3, the others 1
    (("booking", "crm", "pos"), 4 / 5, "problems_with_top"),
    (("payroll", "crm"), 2 / 5, "problems_without_top"),
    (("booking", "payroll", "crm"), 1.0, "problems_with_top"),
])
def test_problem_coverage_weights_the_top_priority(solves, fit, key):
    found = fit_of("problems", make_profile(**SALON), problems=solves, industries=("beauty_hair",))
    assert (found.fit, found.key) == (pytest.approx(fit), key)
    assert found.points == pytest.approx(WEIGHTS.problems * fit, abs=0.01)


def test_problem_values_name_what_is_covered_and_missing():
    found = fit_of("problems", make_profile(**SALON), problems=("crm", "booking"))
    assert found.values == {"top": "booking", "others": ["crm"], "missing": ["payroll"]}


def test_a_tool_for_none_of_the_problems_is_excluded():
    assert exclusion_of(problems=("fleet",)) == {"problems_none"}


# --- Industry and size -----------------------------------------------------------------------

def test_industry_listed_or_not():
    assert fit_of("industry").fit == 1.0
    other = fit_of("industry", industries=("manufacturing",))
    assert (other.fit, other.key) == (WEIGHTS.industry_not_listed_fit, "industry_not_listed")


@pytest.mark.parametrize("employees,minimum,maximum,fit,key", [
    (5, 1, 30, 1.0, "size_in_range"),
    (5, 5, 5, 1.0, "size_in_range"),
    (5, 10, 50, 1 - log(2) / log(3), "size_below_range"),
    (80, 1, 30, 1 - log(80 / 30) / log(3), "size_above_range"),
])
def test_size_fit_falls_off_outside_the_range(employees, minimum, maximum, fit, key):
    found = fit_of("size", make_profile(employees=employees), min_employees=minimum,
                   max_employees=maximum)
    assert (found.fit, found.key) == (pytest.approx(fit, abs=1e-4), key)


def test_a_factory_product_is_not_offered_to_a_small_shop():
    assert exclusion_of(make_profile(employees=3), min_employees=200,
                        max_employees=5000) == {"size_below_range"}
    assert exclusion_of(make_profile(employees=90), max_employees=30) == {"size_above_range"}


# --- Price -----------------------------------------------------------------------------------

def test_price_within_points():
    found = fit_of("price", yearly_price=12_000)
    assert found.key == "price_within_points"
    assert found.fit == pytest.approx(1 - 0.25 * 12_000 / 30_000)
    assert fit_of("price", yearly_price=0).fit == 1.0


def test_price_beyond_points_within_budget():
    found = fit_of("price", make_profile(budget_ntd=10_000), yearly_price=36_000)
    assert found.key == "price_within_budget"
    assert found.values == {"price": 36_000, "out_of_pocket": 6_000, "budget": 10_000}
    assert found.fit == pytest.approx(1 - 0.25 * 36_000 / 40_000 - 0.25 * 6_000 / 10_000)


def test_price_over_points_and_budget_is_excluded():
    assert exclusion_of(make_profile(budget_ntd=0), yearly_price=30_001) == {"price_over_budget"}
    result = assess(make_profile(points_available=0), make_candidate(yearly_price=0))
    assert reason(result, "price").fit == 1.0  # free tools still fit with no money at all


def test_cheaper_ranks_higher_all_else_equal():
    ranking = rank(make_profile(), [make_candidate(1, yearly_price=24_000),
                                    make_candidate(2, yearly_price=6_000)])
    assert [m.solution_id for m in ranking.matches] == [2, 1]


# --- Support hours ---------------------------------------------------------------------------

WEEKDAY_OFFICE = windows(WEEKDAYS, time(9), time(18))


def test_a_salon_needing_weekends_is_not_sent_to_a_weekdays_only_vendor():
    salon = make_profile(**SALON, needs_weekends=True)
    weekdays_only = make_candidate(1, problems=("booking",), support_windows=WEEKDAY_OFFICE,
                                   yearly_price=3_000, rating_average=5.0, rating_count=300,
                                   sla_score=100, renewal_rate_percent=95,
                                   industries=("beauty_hair",))
    every_day = make_candidate(2, problems=("booking",), yearly_price=20_000,
                               industries=("retail",))
    ranking = rank(salon, [weekdays_only, every_day])
    assert [m.solution_id for m in ranking.matches] == [2]
    assert [(e.candidate.solution_id, [r.key for r in e.reasons]) for e in ranking.excluded] == [
        (1, ["support_missing"])]
    assert ranking.excluded[0].reasons[0].values == {"unmet": ["weekends"]}


def test_partial_weekend_support_stays_in_with_a_lower_fit():
    saturday = WEEKDAY_OFFICE + windows(("sat",), time(10), time(16))
    found = fit_of("support", make_profile(needs_weekends=True), support_windows=saturday)
    assert (found.fit, found.key) == (0.5, "support_partial")
    assert found.values == {"needs": ["weekends"], "partial": ["weekends"]}


@pytest.mark.parametrize("day_windows,coverage", [
    (windows(WEEKDAYS, time(9), time(21)), 1.0),
    (windows(WEEKDAYS, time(9), time(18)), 0.0),
    (windows(WEEKDAYS, time(19), time(23)), 0.0),  # misses 18:00–19:00
    (windows(WEEKDAYS, time(9), time(12)) + windows(WEEKDAYS, time(12), time(21)), 1.0),
    (windows(WEEKDAYS, time(9), time(19)) + windows(WEEKDAYS, time(18), time(22)), 1.0),
    (windows(WEEKDAYS, time(9), time(18)) + windows(WEEKDAYS, time(18, 30), time(22)), 0.0),
    (windows(("mon", "wed", "fri"), time(9), time(21)), 3 / 5),
    (windows(("sat", "sun"), time(9), time(22)), 0.0),  # evenings are counted on weekdays
])
def test_evening_coverage(day_windows, coverage):
    assert support_coverage(make_candidate(support_windows=day_windows), "evenings") == coverage


def test_weekend_and_holiday_coverage():
    sunday = make_candidate(support_windows=windows(("sun",)), covers_national_holidays=False)
    assert support_coverage(sunday, "weekends") == 0.5
    assert support_coverage(sunday, "holidays") == 0.0
    assert support_coverage(make_candidate(), "holidays") == 1.0
    with pytest.raises(ValueError):
        support_coverage(sunday, "lunchtime")


def test_support_needs_combine_and_each_unmet_need_is_named():
    needs_all = make_profile(needs_evenings=True, needs_weekends=True, needs_holidays=True)
    assert needs_all.support_needs() == SUPPORT_NEEDS
    found = fit_of("support", needs_all, support_windows=windows(WEEKDAYS + ("sat",)))
    assert found.fit == pytest.approx((1 + 0.5 + 1) / 3, abs=1e-4)
    result = assess(needs_all, make_candidate(support_windows=WEEKDAY_OFFICE,
                                              covers_national_holidays=False))
    assert reason(result, "support").values == {"unmet": ["evenings", "weekends", "holidays"]}


def test_no_support_needs_is_a_full_fit():
    found = fit_of("support", support_windows=WEEKDAY_OFFICE)
    assert (found.fit, found.key) == (1.0, "support_no_needs")


# --- Quality: measured SLA, ratings, renewals ------------------------------------------------

def test_measured_sla_quality():
    assert fit_of("sla", sla_score=92).fit == pytest.approx(0.92)
    unmeasured = fit_of("sla")
    assert (unmeasured.fit, unmeasured.key) == (WEIGHTS.unmeasured_sla_fit, "sla_unmeasured")
    assert unmeasured.values == {"availability": 99.5}
    ranking = rank(make_profile(), [make_candidate(1, sla_score=60), make_candidate(2),
                                    make_candidate(3, sla_score=100)])
    assert [m.solution_id for m in ranking.matches] == [3, 2, 1]


def test_bayesian_rating_by_hand():
    assert bayesian_rating(5.0, 1) == pytest.approx((4.0 * 10 + 5.0) / 11)
    assert bayesian_rating(4.7, 200) == pytest.approx((4.0 * 10 + 4.7 * 200) / 210)
    assert bayesian_rating(None, 0) == 4.0
    assert fit_of("rating").key == "rating_none"


def test_one_five_star_review_does_not_beat_two_hundred_of_four_point_seven():
    ranking = rank(make_profile(), [make_candidate(1, rating_average=5.0, rating_count=1),
                                    make_candidate(2, rating_average=4.7, rating_count=200)])
    assert [m.solution_id for m in ranking.matches] == [2, 1]
    assert reason(ranking.matches[0], "rating").values == {"average": 4.7, "count": 200}


def test_renewal_rate_with_the_programme_rate_as_prior():
    assert fit_of("renewal", renewal_rate_percent=80).fit == pytest.approx(0.8)
    unknown = fit_of("renewal")
    assert (unknown.fit, unknown.key) == (0.6, "renewal_unknown")


# --- Stage -----------------------------------------------------------------------------------

SUITE = ("booking", "payroll", "rostering", "crm", "inventory")


def stage_race(stage):
    profile = make_profile(industry="beauty_hair", problems=("booking", "payroll"),
                           top_problem="booking", stage=stage)
    single = make_candidate(1, problems=("booking",), industries=("beauty_hair",))
    suite = make_candidate(2, problems=SUITE, industries=("beauty_hair",))
    return [m.solution_id for m in rank(profile, [single, suite]).matches]


def test_a_first_stage_shop_gets_the_single_purpose_tool_first():
    assert stage_race(1) == [1, 2]


def test_a_later_stage_shop_may_get_the_suite_first():
    assert stage_race(4) == [2, 1]
    assert stage_race(3) == [2, 1]


@pytest.mark.parametrize("stage,breadth,fit,key", [
    (1, 1, 1.0, "stage_simple"), (1, 2, 1.0, "stage_simple"), (1, 3, 0.5, "stage_too_broad"),
    (1, 4, 0.0, "stage_too_broad"), (2, 3, 1.0, "stage_broad_fits"),
    (2, 5, 1 - 2 / 3, "stage_too_broad"), (4, 8, 1.0, "stage_broad_fits"),
])
def test_stage_fit_by_breadth(stage, breadth, fit, key):
    problems = ("pos",) + SUITE[:breadth - 1] + ("fleet", "accounting")[:max(0, breadth - 6)]
    found = fit_of("stage", make_profile(stage=stage), problems=problems)
    assert (found.fit, found.key) == (pytest.approx(fit, abs=1e-4), key)


# --- The ranking -----------------------------------------------------------------------------

def test_every_match_explains_every_factor_and_the_points_add_up():
    ranking = rank(make_profile(budget_ntd=5_000, needs_weekends=True),
                   [make_candidate(i, yearly_price=4_000 * i, rating_average=4.5,
                                   rating_count=i * 7, sla_score=90 + i) for i in range(1, 7)])
    assert len(ranking.matches) == 6
    for match in ranking.matches:
        assert [r.factor for r in match.reasons] == list(FACTORS)
        assert match.score == pytest.approx(sum(r.points for r in match.reasons))
        for item in match.reasons:
            assert 0 <= item.fit <= 1
            assert item.points == pytest.approx(WEIGHTS.factor_weight(item.factor) * item.fit,
                                                abs=0.006)
            assert item.tone in ("good", "fair", "poor")
    assert 0 < ranking.matches[-1].score <= ranking.matches[0].score <= 100


def test_a_perfect_fit_scores_close_to_100():
    perfect = make_candidate(yearly_price=0, sla_score=100, rating_average=5.0,
                             rating_count=10_000, renewal_rate_percent=100)
    assert assess(make_profile(), perfect).score == pytest.approx(100, abs=0.1)


def test_ties_go_to_the_lower_solution_id_whatever_the_input_order():
    candidates = [make_candidate(i) for i in (7, 3, 5)]
    first = rank(make_profile(), candidates)
    again = rank(make_profile(), list(reversed(candidates)))
    assert [m.solution_id for m in first.matches] == [3, 5, 7]
    assert first == again


def test_exclusions_keep_only_their_blocking_reasons_by_id():
    ranking = rank(make_profile(needs_weekends=True), [
        make_candidate(9, support_windows=WEEKDAY_OFFICE, yearly_price=50_000),
        make_candidate(4, problems=("fleet",)),
        make_candidate(7, min_employees=50, max_employees=500),
        make_candidate(6),
    ])
    assert [m.solution_id for m in ranking.matches] == [6]
    assert [(e.candidate.solution_id, [r.key for r in e.reasons]) for e in ranking.excluded] == [
        (7, ["size_below_range"]), (9, ["price_over_budget", "support_missing"])]


def test_tools_for_other_problems_are_only_counted():
    ranking = rank(make_profile(), [make_candidate(i, problems=("fleet",)) for i in range(1, 4)]
                   + [make_candidate(4)])
    assert [m.solution_id for m in ranking.matches] == [4]
    assert (ranking.excluded, ranking.unrelated) == ((), 3)


def test_top_and_duplicates():
    ranking = rank(make_profile(), [make_candidate(i) for i in range(1, 9)])
    assert [m.solution_id for m in ranking.top(5)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="listed twice"):
        rank(make_profile(), [make_candidate(1), make_candidate(1)])


def test_weights_are_a_parameter():
    candidates = [make_candidate(1, yearly_price=1_000, industries=("retail",)),
                  make_candidate(2, yearly_price=29_000)]
    assert [m.solution_id for m in rank(make_profile(), candidates).matches] == [2, 1]
    cheap_first = replace(WEIGHTS, industry=0.0, price=60.0)
    assert [m.solution_id for m in rank(make_profile(), candidates,
                                        cheap_first).matches] == [1, 2]


# --- Reading the catalogue's storage forms ---------------------------------------------------

def test_codes_and_windows_from_the_catalogue():
    assert codes_from_bars("|retail|food_beverage|") == ("retail", "food_beverage")
    assert codes_from_bars("|") == ()
    assert windows_from_json([{"day": "sat", "opens": "10:00", "closes": "20:30"}]) == (
        SupportWindow("sat", time(10), time(20, 30)),)
