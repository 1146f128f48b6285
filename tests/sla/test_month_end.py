"""Month-end compensation: tiers from each contract snapshot, credited once through the ledger,
statements for both sides, and the buyer's 30-day dispute window.

Availability comes from an injected function returning measured.MonthFigures, so each test
states the month it means; the real roll-up path is tested in test_measured.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from tcloud.errors import Conflict
from tcloud.points import ledger
from tcloud.points.compensation_credits import credits_for_order
from tcloud.sla import disputes
from tcloud.sla.incident_models import Breach, CompensationStatement
from tcloud.sla.measured import MonthFigures
from tcloud.sla.month_end import run_month_end
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.sla.order_factory import sla_world_fixture  # noqa: F401

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
MINUTES = 31 * 24 * 60  # October


def figures(down: int, unknown: int = 0, maintenance: int = 0) -> MonthFigures:
    up = MINUTES - down - unknown - maintenance
    measured = up + down
    return MonthFigures(up, down, maintenance, unknown, 100 * up / measured if measured else None,
                        unknown * 100 > MINUTES)


def fixed(month_figures: MonthFigures):
    return lambda _session, _solution_id, _year, _month: month_figures


def wallet_balance(db, order) -> int:
    account = ledger.account_by_code(db, ledger.wallet_code(order.programme_id,
                                                            order.organisation_id))
    return ledger.refresh_balance(db, account)


@pytest.fixture
def subscription(sla_world):
    # Active since early September; 12,000 points for 12 months: 1,000 a month.
    return sla_world.subscription(starts_on=datetime(2026, 9, 1).date())


def test_shortfall_is_credited_once_with_a_statement_each(db, sla_world, subscription):
    before = wallet_balance(db, subscription)
    # 99.07%: below 99.5 (10%) but not below 99.0 (25%).
    october = fixed(figures(down=400))
    first = run_month_end(db, year=2026, month=10, now=NOW, availability_for=october)
    db.commit()
    second = run_month_end(db, year=2026, month=10, now=NOW, availability_for=october)
    db.commit()
    assert (first.statements, first.points, first.breaches) == (1, 100, 1)
    assert (second.statements, second.points, second.breaches) == (0, 0, 0)
    assert wallet_balance(db, subscription) == before + 100
    assert [c.points for c in credits_for_order(db, subscription.id)] == [100]
    statement = db.exec(select(CompensationStatement)).one()
    assert statement.credit_key == f"sla-credit:{subscription.id}:2026-10"
    assert (statement.credit_percent, statement.fee_points, statement.credited) == (10, 1000, True)
    breach = db.exec(select(Breach)).one()
    assert breach.key == f"sla/{subscription.solution_id}/availability/2026-10/solution"
    assert statement.breach_id == breach.id


def test_tiers_and_cap_come_from_the_snapshot_not_the_listing(db, sla_world):
    order = sla_world.subscription(
        starts_on=datetime(2026, 9, 1).date(),
        compensation_tiers=[{"below_percent": 99.5, "credit_percent": 30},
                            {"below_percent": 95.0, "credit_percent": 100}],
        compensation_cap_percent=40)
    summary = run_month_end(db, year=2026, month=10, now=NOW,
                            availability_for=fixed(figures(down=5000)))  # 88.8%
    assert summary.points == 400  # 100% tier capped at 40% of 1,000
    assert db.exec(select(CompensationStatement)).one().order_id == order.id


def test_met_target_and_platform_gaps_cost_nothing(db, subscription):
    # 2% unknown (lacking evidence) and a few down minutes: counted as if unknown were up.
    summary = run_month_end(db, year=2026, month=10, now=NOW,
                            availability_for=fixed(figures(down=30, unknown=900)))
    assert (summary.statements, summary.breaches, summary.points) == (0, 0, 0)


def test_partial_month_is_prorated(db, sla_world):
    sla_world.subscription(starts_on=datetime(2026, 10, 17).date())  # 15 of 31 days
    summary = run_month_end(db, year=2026, month=10, now=NOW,
                            availability_for=fixed(figures(down=400)))
    assert summary.points == 1000 * 15 // 31 * 10 // 100


def test_month_not_over_is_refused(db, subscription):
    with pytest.raises(ValueError):
        run_month_end(db, year=2026, month=11, now=NOW, availability_for=fixed(figures(0)))


def test_buyer_may_dispute_within_thirty_days(db, sla_world, factories, subscription):
    run_month_end(db, year=2026, month=10, now=NOW, availability_for=fixed(figures(down=400)))
    db.commit()
    statement = db.exec(select(CompensationStatement)).one()
    buyer = _user_of(db, subscription.organisation_id)
    with pytest.raises(Conflict):
        disputes.open_dispute(db, buyer=buyer, statement_id=statement.id, reason="太少",
                              now=NOW + timedelta(days=30, minutes=1))
    with pytest.raises(Conflict) as empty:
        disputes.open_dispute(db, buyer=buyer, statement_id=statement.id, reason="  ",
                              now=NOW + timedelta(days=1))
    assert empty.value.field == "reason"
    dispute = disputes.open_dispute(db, buyer=buyer, statement_id=statement.id,
                                    reason="當月停機更久", now=NOW + timedelta(days=29))
    db.commit()
    with pytest.raises(Conflict):
        disputes.open_dispute(db, buyer=buyer, statement_id=statement.id, reason="again",
                              now=NOW + timedelta(days=29))
    assert [d.id for d, _ in disputes.open_disputes(db)] == [dispute.id]
    admin_user = factories.staff("admin")
    disputes.decide_dispute(db, admin=admin_user, dispute_id=dispute.id, uphold=False,
                            note="量測資料完整")
    db.commit()
    assert dispute.status == "rejected"
    assert disputes.open_disputes(db) == []
    other = sla_world.buyer()
    with pytest.raises(Exception, match="does not exist"):
        disputes.statement_for(db, other, statement.id)


def _user_of(db, organisation_id):
    from tcloud.accounts.models import User

    return db.exec(select(User).where(User.organisation_id == organisation_id)).first()
