"""The readiness diagnosis: questions as data, 0–100 scaling, stages, obstacles, peers."""

import pytest

from tcloud.advisor.readiness import (
    DIMENSIONS,
    OBSTACLES,
    PATH,
    QUESTIONS,
    QUESTIONS_BY_CODE,
    STAGE_CUTOFFS,
    STAGES,
    ReadinessAnswersInvalid,
    answer_errors,
    compare_with_peers,
    diagnose,
    obstacle_errors,
    stage_for,
)
from tcloud.errors import ValidationFailed


def answers_at(position: str) -> dict[str, str]:
    """Every question answered with its first or last option."""
    pick = 0 if position == "lowest" else -1
    return {q.code: q.options[pick].code for q in QUESTIONS}


def test_twelve_questions_in_three_dimensions():
    assert len(QUESTIONS) == 12
    assert len(QUESTIONS_BY_CODE) == 12  # codes are unique
    assert set(DIMENSIONS) == {"strategy", "people", "technology"}
    for dimension in DIMENSIONS:
        assert sum(1 for q in QUESTIONS if q.dimension == dimension) == 4
    for question in QUESTIONS:
        assert len(question.options) >= 3
        assert len(set(question.option_codes())) == len(question.options)
        assert str(question.text) and all(str(o.label) for o in question.options)


def test_the_data_question_follows_the_survey_scale():
    options = QUESTIONS_BY_CODE["data_digitised"].option_codes()
    assert options == ("not_yet", "single_tools", "connected", "decisions", "outside_data")


@pytest.mark.parametrize("code,option,expected", [
    ("data_digitised", "not_yet", 0.0),
    ("data_digitised", "single_tools", 25.0),
    ("data_digitised", "connected", 50.0),
    ("data_digitised", "outside_data", 100.0),
    ("goals", "ideas", 100 / 3),
    ("goals", "written", 200 / 3),
    ("goals", "measured", 100.0),
])
def test_an_answer_is_scaled_by_its_position(code, option, expected):
    assert QUESTIONS_BY_CODE[code].scale(option) == pytest.approx(expected)


def test_lowest_and_highest_answers():
    low, high = diagnose(answers_at("lowest")), diagnose(answers_at("highest"))
    assert low.index == 0 and low.stage.number == 1
    assert high.index == 100 and high.stage.number == 4
    assert set(high.dimension_scores.values()) == {100.0}


def test_dimension_scores_and_index_by_hand():
    answers = answers_at("lowest")
    # strategy: 50, 100/3, 0, 100 → mean 45.833...
    answers.update(data_digitised="connected", goals="ideas", budget="none",
                   sales_channels="unified")
    # people: all highest → 100
    answers.update(staff_comfort="most", tool_owner="dedicated", training="planned",
                   owner_lead="leads")
    # technology: 0, 100/3, 200/3, 0 → mean 25
    answers.update(cloud_services="free_apps", integration="files")
    result = diagnose(answers)
    assert result.item_scores["data_digitised"] == 50
    assert result.dimension_scores["strategy"] == pytest.approx((50 + 100 / 3 + 0 + 100) / 4)
    assert result.dimension_scores["people"] == 100
    assert result.dimension_scores["technology"] == pytest.approx(25)
    assert result.index == pytest.approx((45.8333333 + 100 + 25) / 3)  # 56.94
    assert result.stage.code == "optimising"


@pytest.mark.parametrize("index,stage", [
    (0, 1), (16, 1), (26.99, 1), (27, 2), (39, 2), (47.99, 2), (48, 3), (57, 3), (66.99, 3),
    (67, 4), (77, 4), (100, 4),
])
def test_stage_cut_offs(index, stage):
    assert stage_for(index).number == stage


def test_stages_walk_the_path_in_order():
    assert STAGE_CUTOFFS == (27.0, 48.0, 67.0)
    assert [s.number for s in STAGES] == [1, 2, 3, 4]
    steps = list(PATH)
    assert steps == ["digitise", "optimise", "transform"]
    assert STAGES[0].reached is None and STAGES[-1].next_step is None
    for earlier, later in zip(STAGES, STAGES[1:], strict=False):
        assert later.reached == earlier.next_step  # each stage reaches the step the last aimed at
    for stage in STAGES:
        assert len(stage.first_steps) >= 2 and all(str(step) for step in stage.first_steps)


def test_unknown_question_and_option_are_named():
    answers = answers_at("lowest") | {"favourite_colour": "blue", "goals": "someday"}
    errors = answer_errors(answers)
    assert set(errors) == {"favourite_colour", "goals"}
    assert "favourite_colour" in str(errors["favourite_colour"])
    assert "goals for what digital tools should achieve" in str(errors["goals"])


def test_missing_answers_are_named_unless_it_is_a_draft():
    answers = answers_at("highest")
    del answers["training"]
    assert list(answer_errors(answers)) == ["training"]
    assert "How do staff learn" in str(answer_errors(answers)["training"])
    assert answer_errors(answers, complete=False) == {}


def test_diagnose_refuses_invalid_answers_with_a_validation_error():
    with pytest.raises(ReadinessAnswersInvalid) as caught:
        diagnose({"goals": "none"})
    assert isinstance(caught.value, ValidationFailed)
    assert len(caught.value.field_errors()) == 11  # every other question is missing


def test_obstacle_checklist():
    assert [o.code for o in OBSTACLES] == ["no_one_to_run", "data_scattered", "cost",
                                           "owner_unconvinced", "unclear_goal", "data_leak_fear"]
    assert all(str(o.label) and str(o.advice) for o in OBSTACLES)
    assert obstacle_errors(["cost", "data_leak_fear"]) == {}
    assert "lazy" in str(obstacle_errors(["cost", "lazy"])["obstacles"])


def test_peer_comparison_by_hand():
    peers = [10, 20, 30, 40, 50, 60, 70, 80]
    result = compare_with_peers(45, peers)
    assert result.enough_peers and result.peer_count == 8
    assert result.mean == 45
    assert result.percentile == pytest.approx(4 / 8 * 100)  # 4 peers lower


def test_peer_ties_count_half():
    assert compare_with_peers(50, [50] * 6).percentile == 50
    assert compare_with_peers(30, [10, 30, 30, 50, 70]).percentile == pytest.approx(
        (1 + 2 / 2) / 5 * 100)
    assert compare_with_peers(0, [10] * 5).percentile == 0
    assert compare_with_peers(99, [10] * 5).percentile == 100


def test_too_few_peers_gives_no_figures():
    result = compare_with_peers(40, [30, 50, 60, 70])
    assert result.peer_count == 4 and not result.enough_peers
    assert result.mean is None and result.percentile is None
    assert compare_with_peers(40, [30, 50], min_peers=2).enough_peers
