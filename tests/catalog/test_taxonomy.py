"""The categories and the problem taxonomy are consistent data with translated labels."""

from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS, PROBLEMS_BY_CODE


def test_six_categories_each_with_problems():
    assert len(CATEGORIES) == 6
    assert {p.category for p in PROBLEMS} == set(CATEGORIES)
    assert len(PROBLEMS_BY_CODE) == len(PROBLEMS)  # codes are unique


def test_labels_are_translated(app):
    with app.test_request_context("/"):
        assert str(CATEGORIES["online_store"]) == "網路開店"
        assert str(PROBLEMS_BY_CODE["rostering"].label) != "Plan staff shifts and rosters"
