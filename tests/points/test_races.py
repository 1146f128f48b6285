"""Races on a real, committed database of each kind: every outcome is exact.

Each test gets its own migrated database (the shared test database rolls back, so it cannot
show what concurrent commits do) and runs 16 threads released together by a barrier.
"""

import io
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud import migrate
from tcloud.accounts import services as accounts
from tcloud.db import WRITE_OPTION, make_engine, transaction
from tcloud.points import applications, ledger, programmes
from tcloud.points import models as m
from tcloud.points.applications import ApplicationRefused
from tcloud.points.ledger import InsufficientPoints
from tcloud.uploads import services as uploads
from tests.conftest import DATABASES
from tests.factories import next_valid_tax_id
from tests.points.conftest import PDF, hold_from, programme_values

THREADS = 16
UPLOADS = Path(tempfile.gettempdir()) / "tcloud-race-uploads"


@contextmanager
def committed_database(empty_database_url, kind):
    url = empty_database_url(kind, "tcloud_points_race")
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def write_session(engine) -> Session:
    return Session(engine, expire_on_commit=False, execution_options={WRITE_OPTION: True})


def run_threads(work, count=THREADS):
    """Run work(i) in `count` threads released at once; return each result or exception."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i):
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except Exception as err:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def setup(engine, *, budget, businesses, **overrides):
    """An admin, a programme and `businesses` business accounts, each with a proof upload."""
    with write_session(engine) as db, transaction(db):
        admin = accounts.create_staff_user(db, actor=None, email="admin@race.example",
                                           password="a long race password", role="admin",
                                           display_name="Race admin", reason="race test")
        programme = programmes.create_programme(
            db, admin=admin, values=programme_values(total_budget=budget, **overrides))
        people = []
        for i in range(businesses):
            user = accounts.register_business(
                db, email=f"shop{i}@race.example", password="a long race password",
                company_name=f"店 {i}", tax_id=next_valid_tax_id(), entity_type="company",
                employee_count=3, industry="retail", city="taipei")
            proof = uploads.store_upload(
                db, stream=io.BytesIO(PDF), original_name="p.pdf",
                owner_organisation_id=user.organisation_id, uploaded_by_id=user.id,
                purpose="registration_proof", allowed_kinds=("pdf",),
                folder=UPLOADS, field="proof")
            people.append((user, proof.id))
    return programme, people


def apply(engine, programme, user, proof_id):
    with write_session(engine) as db, transaction(db):
        return applications.apply(db, user=user, programme_id=programme.id,
                                  answers=applications.Answers("company", 3, "陳先生"),
                                  proof_upload_id=proof_id).status


def count(engine, model, *where):
    with Session(engine) as db:
        return db.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def budget_left(engine, programme):
    with Session(engine) as db:
        return programmes.budget_left(db, programme.id)


@pytest.mark.parametrize("kind", DATABASES)
def test_sixteen_threads_spending_one_wallet(empty_database_url, kind):
    with committed_database(empty_database_url, kind) as engine:
        programme, [(user, proof)] = setup(engine, budget=300_000, businesses=1)
        assert apply(engine, programme, user, proof) == "granted"
        with Session(engine) as db:
            wallet_id = ledger.account_by_code(
                db, ledger.wallet_code(programme.id, user.organisation_id)).id

        def spend(i):
            with write_session(engine) as db, transaction(db):
                wallet = db.get(m.LedgerAccount, wallet_id)
                return hold_from(db, wallet, order_ref=f"order-{i}",
                                      points=5_000, key=f"hold:order-{i}", description="race")

        outcomes = run_threads(spend)
        refused = [o for o in outcomes if isinstance(o, InsufficientPoints)]
        paid = [o for o in outcomes if isinstance(o, ledger.Posted)]
        assert (len(paid), len(refused)) == (6, 10), outcomes
        with Session(engine) as db:
            assert db.get(m.LedgerAccount, wallet_id).balance == 0
            held = db.execute(select(func.sum(m.LedgerAccount.balance))
                              .where(m.LedgerAccount.kind == m.ESCROW)).scalar_one()
            assert held == 30_000
            assert [r.balance_after for r in ledger.statement(db, wallet_id)] == [
                30_000, 25_000, 20_000, 15_000, 10_000, 5_000, 0]


@pytest.mark.parametrize("kind", DATABASES)
def test_sixteen_applications_from_one_tax_id_at_once(empty_database_url, kind):
    with committed_database(empty_database_url, kind) as engine:
        programme, [(user, proof)] = setup(engine, budget=3_000_000, businesses=1)
        outcomes = run_threads(lambda _i: apply(engine, programme, user, proof))
        assert outcomes.count("granted") == 1, outcomes
        assert sum(isinstance(o, ApplicationRefused) for o in outcomes) == 15, outcomes
        assert count(engine, m.Grant) == 1
        assert count(engine, m.GrantApplication) == 1
        assert budget_left(engine, programme) == 3_000_000 - 30_000


@pytest.mark.parametrize("kind", DATABASES)
@pytest.mark.parametrize("when_short", ["refuse", "waitlist"])
def test_sixteen_grants_racing_for_the_last_budget(empty_database_url, kind, when_short):
    with committed_database(empty_database_url, kind) as engine:
        programme, people = setup(engine, budget=90_000, businesses=THREADS + 2,
                                  when_budget_short=when_short)
        for user, proof in people[:2]:
            assert apply(engine, programme, user, proof) == "granted"
        racers = people[2:]
        outcomes = run_threads(lambda i: apply(engine, programme, *racers[i]))
        assert outcomes.count("granted") == 1, outcomes
        if when_short == "refuse":
            assert sum(isinstance(o, ApplicationRefused) for o in outcomes) == 15, outcomes
        else:
            assert outcomes.count("waitlisted") == 15, outcomes
        assert count(engine, m.Grant) == 3
        assert budget_left(engine, programme) == 0


@pytest.mark.parametrize("kind", DATABASES)
def test_the_same_key_sixteen_times_at_once_moves_points_once(empty_database_url, kind):
    with committed_database(empty_database_url, kind) as engine:
        programme, [(user, proof)] = setup(engine, budget=300_000, businesses=1)
        apply(engine, programme, user, proof)
        with Session(engine) as db:
            wallet_id = ledger.account_by_code(
                db, ledger.wallet_code(programme.id, user.organisation_id)).id

        def retry(_i):
            with write_session(engine) as db, transaction(db):
                wallet = db.get(m.LedgerAccount, wallet_id)
                return hold_from(db, wallet, order_ref="order-retried",
                                      points=1_000, key="hold:order-retried",
                                      description="retried checkout")

        outcomes = run_threads(retry)
        assert all(isinstance(o, ledger.Posted) for o in outcomes), outcomes
        assert sum(not o.replayed for o in outcomes) == 1
        assert len({o.transaction_id for o in outcomes}) == 1
        with Session(engine) as db:
            assert db.get(m.LedgerAccount, wallet_id).balance == 29_000
