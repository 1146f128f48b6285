"""A complete, valid needs form (API shape) with sensible answers; override what a test needs."""

from tcloud.advisor.readiness import QUESTIONS


def readiness_answers(position: int = 1) -> dict:
    """Every question answered with its option at `position` (clamped to the last)."""
    return {q.code: q.options[min(position, len(q.options) - 1)].code for q in QUESTIONS}


def needs_answers(**overrides) -> dict:
    answers = {
        "employees": 5, "industry": "food_beverage", "city": "tainan", "sells": "牛肉麵",
        "sales_channel": "shop", "current_tools": "收銀機", "problems": ["pos"],
        "top_problem": "pos", "goals": "結帳快一點", "budget_ntd": 0, "support_needs": [],
        "readiness": readiness_answers(1), "obstacles": ["cost"], "review": "consultant",
    }
    answers.update(overrides)
    return answers


def page_form(answers: dict) -> dict:
    """The same answers as the page posts them (lists stay lists; readiness flattened)."""
    data = {k: v for k, v in answers.items() if k != "readiness"}
    for code, option in answers.get("readiness", {}).items():
        data[f"readiness-{code}"] = option
    return data
