"""Eight administrators uphold the same dispute at once, each with a different figure, on a
real committed database of each kind: one decision wins, one difference is credited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.db import database, transaction
from tcloud.errors import Conflict
from tcloud.points import ledger
from tcloud.points.settlement_models import OrderCredit
from tcloud.sla import disputes
from tcloud.sla.incident_models import CompensationDispute, CompensationStatement
from tcloud.sla.month_end import run_month_end
from tests.conftest import DATABASES
from tests.factories import Factories
from tests.points.test_races import run_threads
from tests.sla.test_month_end import figures, fixed
from tests.sla.test_month_end_race import NOW, THREADS, _subscription, race_app  # noqa: F401


def _disputed(app) -> tuple[int, list[int]]:
    with app.app_context():
        db = database(app).session(write=True)
        with transaction(db):
            run_month_end(db, year=2026, month=10, now=NOW,
                          availability_for=fixed(figures(down=400)))
        statement = db.execute(select(CompensationStatement)).scalar_one()
        buyer = db.execute(select(User).where(
            User.organisation_id == statement.buyer_organisation_id)).scalars().first()
        with transaction(db):
            dispute = disputes.open_dispute(db, buyer=buyer, statement_id=statement.id,
                                            reason="停機更久", now=NOW + timedelta(days=1))
        factories = Factories(db)
        admins = [factories.staff("admin").id for _ in range(THREADS)]
        db.commit()
        dispute_id = dispute.id
        db.close()
        return dispute_id, admins


@pytest.mark.parametrize("race_app", DATABASES, indirect=True)
def test_eight_admins_upholding_at_once_credit_once(race_app):  # noqa: F811
    _order_id, wallet, _before = _subscription(race_app)
    dispute_id, admins = _disputed(race_app)
    with Session(database(race_app).engine) as db:
        after_month_end = ledger.refresh_balance(db, ledger.account_by_code(db, wallet))

    def decide(i):
        with race_app.app_context():
            session = database(race_app).session(write=True)
            try:
                with transaction(session):
                    admin = session.get(User, admins[i])
                    return disputes.decide_dispute(
                        session, admin=admin, dispute_id=dispute_id, uphold=True,
                        note=f"更正 {i}", corrected_points=200 + 10 * i).corrected_points
            finally:
                session.close()

    outcomes = run_threads(decide, THREADS)
    winners = [o for o in outcomes if isinstance(o, int)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if not isinstance(o, int)), outcomes
    with Session(database(race_app).engine) as db:
        credits = db.execute(select(OrderCredit.points).where(
            OrderCredit.key == f"sla-dispute:{dispute_id}")).scalars().all()
        assert credits == [winners[0] - 100]
        assert db.execute(select(func.count()).select_from(OrderCredit)).scalar_one() == 2
        assert db.get(CompensationDispute, dispute_id).corrected_points == winners[0]
        balance = ledger.refresh_balance(db, ledger.account_by_code(db, wallet))
        assert balance == after_month_end + winners[0] - 100
