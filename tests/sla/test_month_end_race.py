"""Month end run by eight schedulers at once, on a real committed database of each kind:
one breach, one statement, one ledger credit, the buyer's wallet up by exactly the credit."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud import create_app, migrate
from tcloud.db import database, transaction
from tcloud.points import applications, ledger, programmes
from tcloud.points.order_models import ACTIVE
from tcloud.points.settlement_models import OrderCredit
from tcloud.sla.incident_models import Breach, CompensationStatement
from tcloud.sla.month_end import run_month_end
from tcloud.uploads import services as uploads
from tests.conftest import DATABASES
from tests.factories import Factories
from tests.points.conftest import PDF, programme_values
from tests.points.order_factory import build_order
from tests.points.test_races import UPLOADS, run_threads
from tests.sla.order_factory import snapshot_of
from tests.sla.test_month_end import figures, fixed

THREADS = 8
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def race_app(empty_database_url, tmp_path, request):
    url = empty_database_url(request.param, "tcloud_sla_race")
    migrate.upgrade(url)
    app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": url,
                      "TCLOUD_INSTANCE_DIR": str(tmp_path), "SERVER_NAME": None})
    yield app
    database(app).engine.dispose()


def _subscription(app):
    with app.app_context():
        db = database(app).session(write=True)
        factories = Factories(db)
        version = factories.listing(factories.approved_vendor())
        admin = factories.staff("admin")
        values = programme_values(total_budget=300_000,
                                  opens_on=date.today() - timedelta(days=400),
                                  points_expire_on=date.today() + timedelta(days=800))
        programme = programmes.create_programme(db, admin=admin, reason="race", values=values)
        buyer = factories.business()
        proof = uploads.store_upload(
            db, stream=io.BytesIO(PDF), original_name="p.pdf",
            owner_organisation_id=buyer.organisation_id, uploaded_by_id=buyer.id,
            purpose="registration_proof", allowed_kinds=("pdf",), folder=UPLOADS, field="proof")
        applications.apply(db, user=buyer, programme_id=programme.id,
                           answers=applications.Answers("company", 3, "陳先生"),
                           proof_upload_id=proof.id)
        order = build_order(db, buyer=buyer, version=version, programme=programme,
                            points=12_000)
        order.sla_snapshot = snapshot_of(version)
        order.status, order.starts_on = ACTIVE, date(2026, 9, 1)
        order.ends_on, order.activated_at = date(2027, 8, 31), NOW - timedelta(days=70)
        db.commit()
        wallet = ledger.wallet_code(programme.id, buyer.organisation_id)
        before = ledger.refresh_balance(db, ledger.account_by_code(db, wallet))
        db.close()
        return order.id, wallet, before


@pytest.mark.parametrize("race_app", DATABASES, indirect=True)
def test_month_end_run_by_eight_schedulers_at_once_credits_once(race_app):
    order_id, wallet, before = _subscription(race_app)
    october = fixed(figures(down=400))

    def run(_i):
        with race_app.app_context():
            session = database(race_app).session(write=True)
            try:
                with transaction(session):
                    return run_month_end(session, year=2026, month=10, now=NOW,
                                         availability_for=october).statements
            finally:
                session.close()

    outcomes = run_threads(run, THREADS)
    assert sorted(outcomes) == [0] * (THREADS - 1) + [1], outcomes
    engine = database(race_app).engine
    with Session(engine) as db:
        def count(model):
            return db.execute(select(func.count()).select_from(model)).scalar_one()

        assert (count(Breach), count(CompensationStatement), count(OrderCredit)) == (1, 1, 1)
        assert db.execute(select(OrderCredit.points)).scalar_one() == 100
        assert ledger.refresh_balance(db, ledger.account_by_code(db, wallet)) == before + 100
        assert db.execute(select(CompensationStatement.order_id)).scalar_one() == order_id
