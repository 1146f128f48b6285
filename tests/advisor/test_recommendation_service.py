"""The matcher through the service: each factor against real listings, one at a time.

Each test lists two solutions that differ in one thing and submits a form that cares about it,
then checks the stored order, exclusions and the reason wording.
"""

import pytest
from sqlmodel import select

from tcloud.advisor import forms, recommendations
from tcloud.advisor.explain import reason_text
from tcloud.advisor.matcher import Reason
from tcloud.advisor.models import RecommendationItem
from tcloud.catalog.models import SolutionVersion
from tests.advisor.forms_data import needs_answers, readiness_answers

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def _plan(price):
    return [{"name": "基本版", "billing_period": "year", "price_ntd": price,
             "list_price_ntd": price, "seats": 5, "included": "帳號"}]


def _windows(days, opens="09:00", closes="18:00"):
    return [{"day": d, "opens": opens, "closes": closes} for d in days]


@pytest.fixture
def listed(factories):
    vendor = factories.approved_vendor()

    def make(name, **overrides):
        return factories.listing(vendor, name=name, **overrides).solution_id

    return make


def _ranking(db, business, **answers):
    return recommendations.rank_form(db, needs_answers(**answers),
                                     organisation_id=business.organisation_id, stage=2)[1]


def _ids(ranking):
    return [m.solution_id for m in ranking.matches]


def test_size_a_tool_for_large_firms_is_left_out_for_a_small_shop(db, factories, listed):
    small = listed("小店 POS", min_employees=1, max_employees=10)
    large = listed("工廠 POS", min_employees=200, max_employees=1000)
    ranking = _ranking(db, factories.business(), employees=4)
    assert _ids(ranking) == [small]
    (excluded,) = ranking.excluded
    assert excluded.candidate.solution_id == large
    assert reason_text(excluded.reasons[0]) == (
        "Made for businesses with at least 200 staff; you have 4.")


def test_support_hours_weekend_need_excludes_a_weekdays_only_vendor(db, factories, listed):
    weekdays = listed("平日 POS", sla={"support_windows": _windows(WEEKDAYS)})
    weekend = listed("週末 POS", sla={"support_windows": _windows(
        WEEKDAYS + ("sat", "sun"))})
    ranking = _ranking(db, factories.business(), support_needs=["weekends"])
    assert _ids(ranking) == [weekend]
    assert ranking.excluded[0].candidate.solution_id == weekdays
    assert reason_text(ranking.excluded[0].reasons[0]) == "No support on weekends, which you need."


def test_support_hours_saturday_only_ranks_below_both_weekend_days(db, factories, listed):
    saturday = listed("週六 POS", sla={"support_windows": _windows(WEEKDAYS + ("sat",))})
    both = listed("週末 POS", sla={"support_windows": _windows(WEEKDAYS + ("sat", "sun"))})
    assert _ids(_ranking(db, factories.business(), support_needs=["weekends"])) == [both,
                                                                                   saturday]


def test_budget_a_price_beyond_points_and_budget_is_left_out(db, factories, listed):
    cheap = listed("平價 POS", plans=_plan(12_000))
    dear = listed("高價 POS", plans=_plan(45_000))
    business = factories.business()
    ranking = _ranking(db, business, budget_ntd=0)
    assert _ids(ranking) == [cheap]
    assert reason_text(ranking.excluded[0].reasons[0]) == (
        "From NT$45,000 a year: NT$15,000 more than your points and budget together "
        "(NT$30,000).")
    # With a budget of NT$20,000 beyond the points, it is back, below the cheaper one.
    assert _ids(_ranking(db, business, budget_ntd=20_000)) == [cheap, dear]


def test_industry_a_tool_made_for_the_trade_ranks_first(db, factories, listed):
    other = listed("零售 POS", industries=["retail"])
    food = listed("餐飲 POS", industries=["food_beverage"])
    ranking = _ranking(db, factories.business(), industry="food_beverage")
    assert _ids(ranking) == [food, other]


def test_problems_top_priority_outranks_a_lesser_problem(db, factories, listed):
    crm = listed("會員 CRM", category="customer_service", problems=["crm"])
    pos = listed("收銀 POS", problems=["pos"])
    ranking = _ranking(db, factories.business(), problems=["crm", "pos"], top_problem="pos")
    assert _ids(ranking) == [pos, crm]
    assert "Solves your top priority" in reason_text(Reason(*ranking.matches[0].reasons[0]))


def test_the_stored_recommendation_has_reasons_and_a_quote_plan(app, db, factories, listed):
    pos = listed("收銀 POS")
    business = factories.business()
    form, recommendation = forms.submit(db, user=business, answers=needs_answers(
        review="automatic", readiness=readiness_answers(2)))
    assert recommendation.state == "sent" and recommendation.automatic
    (item,) = db.exec(select(RecommendationItem)).all()
    assert item.solution_id == pos and item.in_bundle and item.plan_id is not None
    lines = recommendations.reason_lines(item)
    assert [line.factor for line in lines] == ["problems", "industry", "size", "price",
                                               "support", "sla", "rating", "renewal", "stage"]
    assert round(sum(line.points for line in lines), 2) == item.score
    with app.test_request_context():
        assert recommendations.quote_url(item) == (
            f"/solutions/{pos}/quote?plan={item.plan_id}")


def test_candidates_are_read_once_per_catalogue_revision(app, db, factories, listed):
    from tcloud.advisor import candidates

    listed("收銀 POS")
    app.config["TCLOUD_ADVISOR_CACHE"] = True
    try:
        with app.app_context():
            candidates.clear_cache()
            revision, first = candidates.cached_candidates(db)
            assert candidates.cached_candidates(db)[1] is first
            listed("第二套 POS")  # approving a listing bumps the revision
            later_revision, later = candidates.cached_candidates(db)
            assert later_revision > revision and len(later) == len(first) + 1
            candidates.clear_cache()
    finally:
        app.config.pop("TCLOUD_ADVISOR_CACHE")


def test_a_solution_the_business_already_bought_is_not_recommended_again(db, factories, listed):
    from tests.points.order_factory import build_order

    bought = listed("已買的 POS")
    other = listed("另一套 POS")
    business = factories.business()
    version = db.exec(select(SolutionVersion).where(SolutionVersion.solution_id == bought)).one()
    build_order(db, buyer=business, version=version, programme=None, points=0, card=12_000)
    assert _ids(_ranking(db, business)) == [other]
