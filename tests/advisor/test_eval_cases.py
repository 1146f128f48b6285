"""The evaluation set: big and varied enough, judged by its written rules, and a floor under
the matcher's quality on the demo catalogue (a regression guard for weights.py edits)."""

from tcloud.advisor.eval_cases import CASES, demo_plan_candidates, judge, relevance
from tcloud.advisor.evaluation import EvaluationCase, evaluate
from tcloud.advisor.matcher import rank
from tests.advisor.builders import make_candidate, make_profile, windows

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def test_at_least_forty_cases_across_industries_and_sizes():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert len({c.profile.industry for c in CASES}) >= 12
    sizes = [c.profile.employees for c in CASES]
    assert min(sizes) == 1 and max(sizes) >= 40 and sum(s <= 5 for s in sizes) >= 15


def test_the_judge_applies_the_written_rules():
    profile = make_profile(problems=("pos", "crm"), top_problem="pos", needs_weekends=True)
    good = make_candidate(problems=("pos",))
    assert judge(profile, good) == 3
    assert judge(profile, make_candidate(problems=("pos",), industries=("retail",))) == 2
    assert judge(profile, make_candidate(problems=("crm",))) == 1
    assert judge(profile, make_candidate(problems=("fleet",))) == 0
    assert judge(profile, make_candidate(min_employees=10, max_employees=50)) == 0
    assert judge(profile, make_candidate(yearly_price=30_001)) == 0
    saturday_only = make_candidate(support_windows=windows(WEEKDAYS + ("sat",)))
    assert judge(profile, saturday_only) == 0
    poorly_rated = make_candidate(rating_average=2.5, rating_count=12)
    assert judge(profile, poorly_rated) == 2


def test_matcher_quality_on_the_demo_catalogue_stays_above_a_floor():
    candidates = demo_plan_candidates()
    cases = [EvaluationCase(c.name, [m.solution_id for m in rank(c.profile, candidates).matches],
                            relevance(c.profile, candidates)) for c in CASES]
    summary = evaluate(cases)
    assert summary.precision >= 0.85, summary
    assert summary.ndcg >= 0.85, summary
