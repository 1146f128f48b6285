"""Reasons in plain words: every key the matcher and the bundle produce has a sentence."""

from datetime import time

import pytest

from tcloud.advisor.bundle import Uncovered
from tcloud.advisor.explain import FACTOR_LABELS, MESSAGES, money, reason_text, uncovered_text
from tcloud.advisor.matcher import assess
from tcloud.advisor.weights import FACTORS
from tests.advisor.builders import WEEKDAYS, make_candidate, make_profile, windows

SALON = make_profile(industry="beauty_hair", problems=("booking", "payroll", "crm"),
                     top_problem="booking", employees=4, budget_ntd=10_000,
                     needs_weekends=True, stage=1)


def texts(profile, **candidate):
    result = assess(profile, make_candidate(**candidate))
    return {r.factor: reason_text(r) for r in result.reasons}


def test_a_good_match_in_plain_words():
    said = texts(SALON, problems=("booking", "crm"), industries=("beauty_hair",),
                 yearly_price=36_000, sla_score=98.6, rating_average=4.66, rating_count=120,
                 renewal_rate_percent=72)
    assert said == {
        "problems": "Solves your top priority, Let customers book appointments, and also "
                    "Keep customer records and history.",
        "industry": "Made for businesses in Beauty and hairdressing.",
        "size": "Suits businesses with 1 to 30 staff; you have 4.",
        "price": "From NT$36,000 a year: NT$6,000 beyond your points, within your budget of "
                 "NT$10,000.",
        "support": "Support answers on weekends, as you need.",
        "sla": "Kept 99% of its service commitments in our checks.",
        "rating": "Rated 4.7 out of 5 by 120 buyers.",
        "renewal": "72% of buyers renewed after the first year.",
        "stage": "A simple tool that does one or two things: a good first step.",
    }


def test_a_weaker_match_in_plain_words():
    said = texts(SALON, problems=("payroll", "crm", "rostering"), industries=("retail",),
                 min_employees=5, support_windows=windows(WEEKDAYS + ("sat",)))
    assert said["problems"] == ("Solves Pay wages and handle labour insurance, Keep customer "
                                "records and history, but not your top priority, Let "
                                "customers book appointments.")
    assert said["industry"] == ("Not listed for Beauty and hairdressing; check it suits your "
                                "trade.")
    assert said["size"] == "Made for businesses with at least 5 staff; you have 4."
    assert said["price"] == "From NT$12,000 a year, all paid with your points (NT$30,000)."
    assert said["support"] == "Support covers only part of weekends."
    assert said["sla"] == "New: not measured yet; it promises 99.5% availability."
    assert said["rating"] == "No ratings yet."
    assert said["renewal"] == "No renewal figures yet."
    assert said["stage"] == ("Does 3 things; at your stage a simpler tool is easier to start "
                             "with.")


def test_exclusions_in_plain_words():
    office = windows(WEEKDAYS, time(9), time(18))
    result = assess(SALON, make_candidate(problems=("fleet",), yearly_price=52_000,
                                          support_windows=office, max_employees=1))
    assert [reason_text(r) for r in result.reasons] == [
        "Solves none of the problems you chose.",
        "Made for businesses with at most 1 staff; you have 4.",
        "From NT$52,000 a year: NT$12,000 more than your points and budget together "
        "(NT$40,000).",
        "No support on weekends, which you need.",
    ]


def test_a_later_stage_broad_tool_and_no_support_needs():
    profile = make_profile(stage=4)
    said = texts(profile, problems=("pos", "e_invoice", "inventory", "sales_reports"))
    assert said["stage"] == ("Does 4 things; your business is ready for a tool that connects "
                             "them.")
    assert said["support"] == "You asked for no support outside office hours."
    assert texts(profile)["problems"] == ("Solves your top priority: Ring up sales at the "
                                          "counter (POS).")


def test_bundle_gaps_in_plain_words():
    assert uncovered_text(Uncovered("payroll", "no_match", {})) == (
        "No listed solution that fits you solves Pay wages and handle labour insurance yet.")
    assert uncovered_text(Uncovered("crm", "over_budget", {"cheapest": 18_000, "left": 4_000})
                          ) == ("Keep customer records and history: the cheapest solution "
                                "costs NT$18,000, more than the NT$4,000 left.")
    assert uncovered_text(Uncovered("crm", "item_limit", {"max_items": 2})) == (
        "Keep customer records and history: start with the 2 tools above and add this one "
        "later.")


GAP_KEYS = {"no_match", "over_budget", "item_limit"}  # produced in test_bundle.py


def test_every_reason_key_has_a_message_and_every_message_is_used():
    assert set(FACTOR_LABELS) == set(FACTORS)
    saturday = windows(WEEKDAYS + ("sat",))
    scenarios = [
        (SALON, make_candidate(1, problems=("booking",), industries=("beauty_hair",),
                               sla_score=90, rating_average=4.5, rating_count=20,
                               renewal_rate_percent=70)),
        (SALON, make_candidate(2, problems=("payroll", "crm", "rostering"), min_employees=5,
                               industries=("retail",), support_windows=saturday)),
        (SALON, make_candidate(3, problems=("booking",), yearly_price=36_000)),
        (SALON, make_candidate(4, problems=("crm",), yearly_price=52_000, max_employees=1,
                               support_windows=windows(WEEKDAYS))),
        (SALON, make_candidate(5, problems=("fleet",))),
        (make_profile(stage=4), make_candidate(6, problems=("pos", "e_invoice", "inventory"))),
    ]
    keys = {"problems_with_top_and_others"}
    for profile, candidate in scenarios:
        for item in assess(profile, candidate).reasons:
            keys.add(item.key)
            assert reason_text(item)  # every value the message needs is there
    assert keys | GAP_KEYS == set(MESSAGES)


@pytest.mark.parametrize("amount,shown", [(0, "NT$0"), (18_000, "NT$18,000"),
                                          (1_500_000_000, "NT$1,500,000,000")])
def test_money(amount, shown):
    assert money(amount) == shown
