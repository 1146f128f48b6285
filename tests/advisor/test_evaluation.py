"""precision@k and nDCG@k against examples worked out by hand."""

from math import log2

import pytest

from tcloud.advisor.evaluation import (
    EvaluationCase,
    dcg_at_k,
    evaluate,
    ndcg_at_k,
    precision_at_k,
)

RANKED = ["a", "b", "c", "d", "e", "f"]


@pytest.mark.parametrize("relevant,k,expected", [
    ({"a", "c", "f"}, 5, 2 / 5),
    ({"a", "c", "f"}, 3, 2 / 3),
    ({"a", "c", "f"}, 1, 1.0),
    ({"f"}, 5, 0.0),  # relevant, but below the cut
    (set(), 5, 0.0),
])
def test_precision_at_k(relevant, k, expected):
    assert precision_at_k(RANKED, relevant, k) == pytest.approx(expected)


def test_precision_divides_by_k_even_when_fewer_are_ranked():
    assert precision_at_k(["a"], {"a"}, 5) == pytest.approx(0.2)


def test_precision_with_graded_relevance_counts_grades_above_zero():
    assert precision_at_k(RANKED, {"a": 3, "b": 0, "c": 1}, 3) == pytest.approx(2 / 3)


def test_binary_ndcg_by_hand():
    # DCG = 1/log2(2) + 0 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.6309
    assert ndcg_at_k(["a", "b", "c"], {"a", "c"}, 3) == pytest.approx(1.5 / (1 + 1 / log2(3)))
    assert ndcg_at_k(["a", "b", "c"], {"a", "c"}, 3) == pytest.approx(0.9197, abs=1e-4)


def test_graded_ndcg_the_textbook_example():
    # Relevance 3, 2, 3, 0, 1, 2 in ranked order (the example of the Wikipedia article):
    # DCG6 = 3 + 2/1.585 + 3/2 + 0 + 1/2.585 + 2/2.807 = 6.861; ideal 3, 3, 2, 2, 1, 0 → 7.141
    grades = dict(zip(RANKED, [3, 2, 3, 0, 1, 2], strict=True))
    assert dcg_at_k([3, 2, 3, 0, 1, 2], 6) == pytest.approx(6.861, abs=1e-3)
    assert dcg_at_k([3, 3, 2, 2, 1, 0], 6) == pytest.approx(7.141, abs=1e-3)
    assert ndcg_at_k(RANKED, grades, 6) == pytest.approx(0.961, abs=1e-3)


def test_exponential_gain_rewards_the_best_item_first_more():
    grades = {"a": 1, "b": 3}
    # linear: (1 + 3/log2 3) / (3 + 1/log2 3); exponential: (1 + 7/log2 3) / (7 + 1/log2 3)
    assert ndcg_at_k(["a", "b"], grades, 2) == pytest.approx(0.7967, abs=1e-4)
    assert ndcg_at_k(["a", "b"], grades, 2, gain="exponential") == pytest.approx(0.7098,
                                                                                 abs=1e-4)
    assert ndcg_at_k(["b", "a"], grades, 2, gain="exponential") == 1.0


def test_ideal_counts_relevant_items_the_ranking_missed():
    # DCG = 1; the ideal ranks x and the missed z: 1 + 1/log2(3)
    assert ndcg_at_k(["x", "y"], {"x", "z"}, 2) == pytest.approx(1 / (1 + 1 / log2(3)))
    assert ndcg_at_k(["x", "y"], {"z"}, 2) == 0.0


def test_ndcg_is_cut_at_k():
    assert ndcg_at_k(["x", "y", "a"], {"a"}, 2) == 0.0
    assert ndcg_at_k(["a", "x", "y"], {"a"}, 2) == 1.0


def test_nothing_relevant_gives_zero_not_an_error():
    assert ndcg_at_k(RANKED, set(), 10) == 0.0
    assert ndcg_at_k(RANKED, {"a": 0}, 10) == 0.0


@pytest.mark.parametrize("call", [
    lambda: precision_at_k(RANKED, {"a"}, 0),
    lambda: ndcg_at_k(["a", "a"], {"a"}, 2),
    lambda: ndcg_at_k(RANKED, {"a": -1}, 2),
    lambda: ndcg_at_k(RANKED, {"a": 1}, 2, gain="cubic"),
    lambda: evaluate([]),
])
def test_malformed_input_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_evaluate_averages_over_cases_and_names_the_worst():
    cases = [
        EvaluationCase("perfect", ["a", "b"], {"a": 2, "b": 1}),
        EvaluationCase("missed", ["x", "y"], {"a"}),
        EvaluationCase("half", ["x", "a"], {"a"}),
    ]
    summary = evaluate(cases, precision_k=2, ndcg_k=2, worst=2)
    assert summary.cases == 3
    assert summary.precision == pytest.approx((1 + 0 + 0.5) / 3)
    assert summary.ndcg == pytest.approx((1 + 0 + 1 / log2(3)) / 3)
    assert summary.worst == (("missed", 0.0), ("half", pytest.approx(1 / log2(3))))
    assert (summary.precision_k, summary.ndcg_k) == (2, 2)
