"""One movement's fast path (ledger.post_movement → ledger_statements): the same rules as ever.

PostgreSQL posts through the function ledger_post_movement (migration 0015), SQLite through
prebuilt statements; every test here runs on both and expects the same results.
"""

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from tcloud.db import transaction
from tcloud.points import ledger, movements
from tcloud.points import models as m
from tcloud.points.ledger import AccountByCode, ExistingAccount, InsufficientPoints, Movement
from tests.conftest import DATABASES
from tests.points.conftest import hold_from
from tests.points.test_races import (
    apply,
    committed_database,
    run_threads,
    setup,
    write_session,
)


def wallet_with(db, programme, org_id, points=30_000):
    wallet = movements.wallet(db, programme.id, org_id)
    movements.grant(db, programme_id=programme.id, organisation_id=org_id,
                    tax_id=f"T{org_id}", points=points, description="test")
    return wallet


def counts(db):
    return (db.execute(select(func.count()).select_from(m.LedgerTransaction)).scalar_one(),
            db.execute(select(func.count()).select_from(m.LedgerEntry)).scalar_one())


@pytest.fixture
def wallet(db, factories, make_programme):
    programme = make_programme()
    return wallet_with(db, programme, factories.business().organisation_id)


def test_a_hold_opens_the_orders_escrow_from_the_wallet_and_reuses_it(db, wallet):
    first = hold_from(db, wallet, order_ref="TC-1", points=2_000, key="h1",
                           description="first")
    hold_from(db, wallet, order_ref="TC-1", points=500, key="h2",
                   description="second, same order")
    escrow = ledger.account_by_code(db, ledger.escrow_code("TC-1"))
    assert (escrow.kind, escrow.programme_id, escrow.organisation_id, escrow.reference) == (
        m.ESCROW, wallet.programme_id, wallet.organisation_id, "TC-1")
    assert escrow.balance == 2_500 and wallet.balance == 27_500
    rows = ledger.statement(db, escrow.id)
    assert [(r.amount, r.balance_after) for r in rows] == [(2_000, 2_000), (500, 2_500)]
    # Entries keep the movement's order: the wallet line first, then the escrow line.
    entries = ledger.transaction_entries(db, first.transaction_id)
    assert [(e.account_id, e.amount, e.balance_after) for e in entries] == [
        (wallet.id, -2_000, 28_000), (escrow.id, 2_000, 2_000)]


def test_a_refused_hold_writes_nothing_reports_the_balance_and_keeps_the_transaction(db, wallet):
    before = counts(db)
    with pytest.raises(InsufficientPoints) as refused:
        hold_from(db, wallet, order_ref="TC-2", points=30_001, key="big",
                       description="too much")
    assert (refused.value.account_kind, refused.value.balance, refused.value.needed) == (
        m.WALLET, 30_000, 30_001)
    assert counts(db) == before
    assert ledger.existing_keys(db, ["big"]) == {}
    assert ledger.refresh_balance(db, wallet) == 30_000
    # The transaction is still usable (on PostgreSQL the function reports, it does not raise).
    posted = hold_from(db, wallet, order_ref="TC-2", points=30_000,
                            key="all", description="all of it")
    assert not posted.replayed and wallet.balance == 0


def test_a_replay_is_never_refused_even_when_the_points_are_gone(db, wallet):
    first = hold_from(db, wallet, order_ref="TC-3", points=30_000,
                           key="hold:TC-3", description="everything")
    before = counts(db)
    again = hold_from(db, wallet, order_ref="TC-3", points=30_000,
                           key="hold:TC-3", description="the same request again")
    assert again == ledger.Posted(first.transaction_id, True)
    assert counts(db) == before
    assert ledger.refresh_balance(db, wallet) == 0


def test_the_budget_reports_itself_when_it_runs_short(db, factories, make_programme):
    programme = make_programme(total_budget=30_000)
    shop = factories.business()
    wallet_with(db, programme, shop.organisation_id)
    budget = ledger.account_by_code(db, ledger.budget_code(programme.id))
    with pytest.raises(InsufficientPoints) as refused:
        movements.grant(db, programme_id=programme.id, organisation_id=shop.organisation_id,
                        tax_id="T-other", points=1, description="one too many")
    assert (refused.value.account_kind, refused.value.balance) == (m.BUDGET, 0)
    assert ledger.refresh_balance(db, budget) == 0


def test_unknown_accounts_and_two_accounts_by_code_are_programming_errors(db, wallet):
    with pytest.raises(LookupError, match="999999"):
        ledger.post_movement(db, key="x1", kind=movements.HOLD, description="",
                             entries=[(wallet, -1), (999_999, 1)])
    by_code = [AccountByCode(code=f"escrow:two-{i}", kind=m.ESCROW) for i in range(2)]
    with pytest.raises(ValueError, match="at most one"):
        ledger.post_movement(db, key="x2", kind=movements.HOLD, description="",
                             entries=[(wallet, -2), (by_code[0], 1), (by_code[1], 1)])
    itself = AccountByCode(code=wallet.code, kind=m.WALLET)  # the same account twice
    with pytest.raises(ValueError, match="twice"):
        ledger.post_movement(db, key="x3", kind=movements.HOLD, description="",
                             entries=[(wallet, -1), (itself, 1)])
    assert ledger.refresh_balance(db, wallet) == 30_000
    assert ledger.existing_keys(db, ["x1", "x2", "x3"]) == {}


def test_a_wallet_named_by_code_must_exist_and_nothing_is_opened_without_it(db, wallet):
    with pytest.raises(LookupError, match="wallet:999999:999999"):
        movements.hold(db, programme_id=999_999, organisation_id=999_999, order_ref="TC-none",
                       points=1, key="none-1", description="")
    missing = ExistingAccount(ledger.wallet_code(999_999, 999_999))
    escrow = movements.order_escrow_account(wallet.programme_id, wallet.organisation_id,
                                            "TC-none")
    with pytest.raises(LookupError, match="wallet:999999:999999"):  # the escrow named first
        ledger.post_movement(db, key="none-2", kind=movements.HOLD, description="",
                             entries=[(escrow, 1), (missing, -1)])
    with pytest.raises(LookupError, match="wallet:999999:999999"):
        ledger.post_movements(db, [Movement(key="none-3", kind=movements.HOLD, description="",
                                            entries=[(missing, -1), (wallet, 1)])])
    same_wallet_twice = [(wallet, -1), (ExistingAccount(wallet.code), 1)]
    with pytest.raises(ValueError, match="twice"):
        ledger.post_movement(db, key="none-4", kind=movements.HOLD, description="",
                             entries=same_wallet_twice)
    assert ledger.account_by_code(db, escrow.code) is None
    assert ledger.existing_keys(db, ["none-1", "none-2", "none-3", "none-4"]) == {}
    assert ledger.refresh_balance(db, wallet) == 30_000


def test_a_hold_names_the_wallet_by_programme_and_business(db, wallet):
    posted = movements.hold(db, programme_id=wallet.programme_id,
                            organisation_id=wallet.organisation_id, order_ref="TC-named",
                            points=1_234, key="named", description="by code")
    escrow = ledger.account_by_code(db, ledger.escrow_code("TC-named"))
    entries = ledger.transaction_entries(db, posted.transaction_id)
    assert [(e.account_id, e.amount, e.balance_after) for e in entries] == [
        (wallet.id, -1_234, 28_766), (escrow.id, 1_234, 1_234)]
    assert wallet.balance == 28_766  # the loaded object is kept up to date


def test_the_batch_path_opens_accounts_by_code_too(db, wallet):
    escrow = movements.order_escrow_account(wallet.programme_id, wallet.organisation_id,
                                            "TC-batch")
    posted = ledger.post_movements(db, [Movement(key="b1", kind=movements.HOLD, description="",
                                                 entries=[(wallet, -100), (escrow, 100)])])
    assert not posted[0].replayed
    assert ledger.account_by_code(db, escrow.code).balance == 100
    assert wallet.balance == 29_900


# --- on committed databases -----------------------------------------------------------------

def granted_wallet(engine):
    programme, [(user, proof)] = setup(engine, budget=300_000, businesses=1)
    assert apply(engine, programme, user, proof) == "granted"
    with Session(engine) as db:
        return ledger.account_by_code(db, ledger.wallet_code(programme.id,
                                                             user.organisation_id)).id


def hold(engine, wallet_id, ref, points):
    with write_session(engine) as db, transaction(db):
        wallet = db.get(m.LedgerAccount, wallet_id)
        return hold_from(db, wallet, order_ref=ref, points=points,
                              key=f"hold:{ref}", description="race")


@pytest.mark.parametrize("kind", DATABASES)
def test_mixed_holds_racing_on_one_wallet_never_overspend(empty_database_url, kind):
    sizes = (7_000, 3_000, 1_000, 9_000)
    with committed_database(empty_database_url, kind) as engine:
        wallet_id = granted_wallet(engine)

        def spend(i):
            return [_outcome(lambda n=n: hold(engine, wallet_id, f"mix-{i}-{n}",
                                              sizes[(i + n) % len(sizes)]))
                    for n in range(3)]

        outcomes = [o for per_thread in run_threads(spend) for o in per_thread]
        assert all(isinstance(o, ledger.Posted | InsufficientPoints) for o in outcomes), outcomes
        with Session(engine) as db:
            balance = db.get(m.LedgerAccount, wallet_id).balance
            statement = ledger.statement(db, wallet_id)
            escrowed = db.execute(select(func.sum(m.LedgerAccount.balance))
                                  .where(m.LedgerAccount.kind == m.ESCROW)).scalar_one()
        paid = -sum(row.amount for row in statement if row.amount < 0)
        assert balance >= 0 and balance == 30_000 - paid == 30_000 - escrowed
        assert sum(isinstance(o, ledger.Posted) for o in outcomes) == len(statement) - 1
        running = 0
        for row in statement:  # every running balance is exact and never below zero
            running += row.amount
            assert row.balance_after == running >= 0
        # Whatever was refused was refused for real: nothing left could have paid it.
        smallest_refused = min((o.needed for o in outcomes if isinstance(o, InsufficientPoints)),
                               default=None)
        assert smallest_refused is None or smallest_refused > balance


def _outcome(call):
    try:
        return call()
    except InsufficientPoints as err:
        return err


def test_a_refused_hold_lets_go_of_the_wallet_at_once_but_not_of_the_callers_lock(
        empty_database_url):
    with committed_database(empty_database_url, "postgresql") as engine:
        wallet_id = granted_wallet(engine)
        refused_and_waiting, done = threading.Event(), threading.Event()

        def refuse_then_wait(lock_first):
            with write_session(engine) as db, transaction(db):
                if lock_first:  # as checkout does: the caller's own lock on the wallet
                    ledger.lock_accounts(db, [wallet_id])
                wallet = db.get(m.LedgerAccount, wallet_id)
                with pytest.raises(InsufficientPoints):
                    hold_from(db, wallet, order_ref=f"big-{lock_first}",
                                   points=99_999, key=f"hold:big-{lock_first}",
                                   description="too much")
                refused_and_waiting.set()
                done.wait(timeout=30)  # the transaction stays open meanwhile

        def other_buyer(ref):
            with write_session(engine) as db, transaction(db):
                db.execute(text("SET LOCAL lock_timeout = '2s'"))
                wallet = db.get(m.LedgerAccount, wallet_id)
                return hold_from(db, wallet, order_ref=ref, points=1_000,
                                      key=f"hold:{ref}", description="meanwhile")

        for lock_first, expect_wait in ((False, False), (True, True)):
            refused_and_waiting.clear()
            done.clear()
            holder = threading.Thread(target=refuse_then_wait, args=(lock_first,))
            holder.start()
            assert refused_and_waiting.wait(timeout=30)
            try:
                outcome = _blocked_or(other_buyer, f"other-{lock_first}")
            finally:
                done.set()
                holder.join(timeout=30)
            assert (outcome == "lock timeout") is expect_wait, outcome
        with Session(engine) as db:
            assert db.get(m.LedgerAccount, wallet_id).balance == 29_000


def _blocked_or(call, *args):
    try:
        return call(*args)
    except OperationalError as err:
        if "lock timeout" in str(err.orig):
            return "lock timeout"
        raise


def test_spends_on_a_small_new_ledger_never_scan_the_accounts_table(empty_database_url):
    """plpgsql caches a generic plan per connection after five calls; made while the ledger
    is tiny, it used to scan every account on each spend (found by bench/points)."""
    with committed_database(empty_database_url, "postgresql") as engine:
        wallet_id = granted_wallet(engine)
        with Session(engine) as db:
            wallet = db.get(m.LedgerAccount, wallet_id)

        def sequential_scans(conn) -> int:
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
            conn.commit()
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            return conn.execute(text("SELECT seq_scan FROM pg_stat_user_tables "
                                     "WHERE relname = 'ledger_accounts'")).scalar_one()

        with engine.connect() as conn:  # one connection, as a pooled one serves many spends
            before = sequential_scans(conn)
            for n in range(12):
                with Session(bind=conn, join_transaction_mode="create_savepoint") as db:
                    hold_from(db, wallet, order_ref=f"scan-{n}", points=10,
                              key=f"hold:scan-{n}", description="")
                conn.commit()
            assert sequential_scans(conn) == before
