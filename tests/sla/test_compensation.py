"""Month-end compensation: tiers and cap, integer points, evidence, and idempotent keys."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.catalog.sla_terms import CompensationTier
from tcloud.sla import compensation as comp
from tcloud.sla.availability import Availability
from tcloud.sla.minute_states import StateCounts

SNAPSHOT = {"compensation_tiers": [{"below_percent": 99.5, "credit_percent": 10},
                                   {"below_percent": 99.0, "credit_percent": 25},
                                   {"below_percent": 95.0, "credit_percent": 60}],
            "compensation_cap_percent": 50}
TERMS = comp.CompensationTerms.from_snapshot(SNAPSHOT)
MONTH = 43_200  # April


def month(down=0, unknown=0, maintenance=0, minutes=MONTH):
    return Availability(StateCounts(up=minutes - down - unknown - maintenance, down=down,
                                    maintenance=maintenance, unknown=unknown))


def test_snapshot_is_read_into_tiers_and_cap():
    assert TERMS.compensation_tiers[1] == CompensationTier(99.0, 25)
    assert TERMS.compensation_cap_percent == 50


@pytest.mark.parametrize(("down", "percent", "points"), [
    (0, 0, 0),
    (216, 0, 0),        # exactly 99.5%: not below the first tier
    (217, 10, 150),     # just below it
    (432, 10, 150),     # exactly 99.0%: still only the first tier
    (433, 25, 375),
    (4_000, 50, 750),   # the 60% tier is capped at 50%
])
def test_tiers_apply_exactly_at_their_boundaries(down, percent, points):
    decision = comp.month_credit(TERMS, month(down=down), 1500)
    assert (decision.credit_percent, decision.points) == (percent, points)
    assert decision.basis == comp.MEASURED


def test_points_round_down():
    assert comp.month_credit(TERMS, month(down=217), 999).points == 99


def test_unknown_minutes_leave_the_denominator():
    # 300 unknown (under 1%), 215 down of the 42,900 measured minutes: 99.4988% < 99.5%.
    decision = comp.month_credit(TERMS, month(down=215, unknown=300), 1500)
    assert decision.basis == comp.MEASURED and decision.credit_percent == 10


def test_lacking_evidence_pays_what_no_vendor_can_dispute():
    # 3,000 unknown minutes (7%): as if all had been up, 433 down is still below 99.0%.
    decision = comp.month_credit(TERMS, month(down=433, unknown=3_000), 1500)
    assert decision.basis == comp.VENDOR_FAVOURABLE
    assert decision.basis_percent == 100 * (MONTH - 433) / MONTH
    assert decision.credit_percent == 25
    # A shortfall that only the excluded-unknown figure shows is not paid.
    close = comp.month_credit(TERMS, month(down=200, unknown=3_000), 1500)
    assert close.credit_percent == 0


def test_nothing_measured_pays_nothing():
    decision = comp.month_credit(TERMS, month(maintenance=MONTH), 1500)
    assert decision == comp.CreditDecision(comp.NOTHING_MEASURED, None, 0, 0)


def test_month_fee_from_a_price():
    assert comp.month_fee_points(18_000, 12) == 1500
    assert comp.month_fee_points(18_000, 12, active_days=10, days_in_month=30) == 500
    assert comp.month_fee_points(1_000, 12, active_days=7, days_in_month=31) == 18  # 18.8
    with pytest.raises(ValueError):
        comp.month_fee_points(1_000, 12, active_days=32, days_in_month=31)
    with pytest.raises(ValueError):
        comp.month_fee_points(1_000, 0)


def test_breach_and_credit_keys():
    assert comp.breach_key(12, comp.RESPONSE, "2026-04", "incident-381") == (
        "sla/12/response/2026-04/incident-381")
    moment = datetime(2026, 4, 5, 11, 15, 42, tzinfo=ZoneInfo("Asia/Taipei"))
    assert comp.moment_period(moment) == "2026-04-05T03:15Z"
    assert comp.breach_key(3, comp.RPO, comp.moment_period(moment), comp.SOLUTION_SUBJECT)
    assert comp.credit_key(45, 2026, 4) == "sla-credit:45:2026-04"
    for bad in ((1, "uptime", "2026-04", "solution"), (1, comp.RPO, "2026/04", "solution"),
                (1, comp.RPO, "2026-04", ""), (1, comp.RPO, "x" * 120, "solution")):
        with pytest.raises(ValueError):
            comp.breach_key(*bad)


def subscriptions(fees=(1500, 999, 30_000)):
    return [comp.SubscriptionMonth(n + 1, TERMS, fee) for n, fee in enumerate(fees)]


def test_month_end_twice_creates_nothing_twice():
    first = comp.month_end_actions(solution_id=7, year=2026, month=4,
                                   availability=month(down=500), target_percent=99.5,
                                   subscriptions=subscriptions())
    breaches, credits = first
    assert [b.key for b in breaches] == ["sla/7/availability/2026-04/solution"]
    assert [(c.subscription_id, c.decision.points) for c in credits] == [
        (1, 375), (2, 249), (3, 7500)]
    done = {b.key for b in breaches} | {c.key for c in credits}
    assert comp.month_end_actions(solution_id=7, year=2026, month=4,
                                  availability=month(down=500), target_percent=99.5,
                                  subscriptions=subscriptions(), done_keys=done) == ([], [])
    # Restarted halfway: only the rest is left.
    partly = {breaches[0].key, credits[0].key}
    again = comp.month_end_actions(solution_id=7, year=2026, month=4,
                                   availability=month(down=500), target_percent=99.5,
                                   subscriptions=subscriptions(), done_keys=partly)
    assert again[0] == [] and [c.subscription_id for c in again[1]] == [2, 3]


def test_a_good_month_has_no_breach_and_no_credits():
    assert comp.month_end_actions(solution_id=7, year=2026, month=4, availability=month(down=10),
                                  target_percent=99.5, subscriptions=subscriptions()) == ([], [])


def test_dispute_window_is_thirty_days():
    credited = datetime(2026, 5, 1, 0, 5, tzinfo=UTC)
    assert comp.dispute_deadline(credited) == credited + timedelta(days=30)


@settings(deadline=None)
@given(st.integers(0, MONTH), st.integers(0, MONTH), st.integers(0, 10 ** 6),
       st.integers(1, 100))
def test_credit_is_whole_points_under_the_cap_and_grows_with_downtime(down, unknown, fee, cap):
    unknown = min(unknown, MONTH - down)
    terms = comp.CompensationTerms(TERMS.compensation_tiers, cap)
    decision = comp.month_credit(terms, month(down=down, unknown=unknown), fee)
    assert isinstance(decision.points, int)
    assert 0 <= decision.points <= fee * cap // 100
    if down < MONTH - unknown:
        worse = comp.month_credit(terms, month(down=down + 1, unknown=unknown), fee)
        assert worse.points >= decision.points
