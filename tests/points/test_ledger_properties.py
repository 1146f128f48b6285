"""Property-based proof of the ledger: random sequences of every movement, checked each step.

A hypothesis state machine grants, holds, captures, releases, refunds, compensates, expires,
changes the budget and replays earlier keys in random order against the real database, and
after every step checks: each transaction sums to zero, no account that must not go negative
is negative, stored balances equal their entries and the model's expectation, the budget
never gives out more than was funded, and a replayed key changes nothing.
"""

import itertools

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from tcloud.accounts.models import Organisation
from tcloud.points import ledger, movements
from tcloud.points import models as m
from tcloud.points.ledger import InsufficientPoints
from tests.factories import next_valid_tax_id
from tests.points.conftest import hold_from, programme_values

POINTS = 100  # points per grant: small, so holds and captures run out often
BUSINESSES = 4
_runs = itertools.count()


def make_machine(db, admin):
    from tcloud.points import programmes

    organisations = []
    for i in range(BUSINESSES + 1):
        org = Organisation(kind="business" if i < BUSINESSES else "vendor",
                           name=f"property {i}", tax_id=next_valid_tax_id())
        db.add(org)
    db.flush()
    organisations = list(db.execute(select(Organisation).order_by(Organisation.id.desc())
                                    .limit(BUSINESSES + 1)).scalars())
    vendor, shops = organisations[0], organisations[1:]

    class LedgerMachine(RuleBasedStateMachine):
        @initialize(budget_grants=st.integers(0, BUSINESSES + 1))
        def set_up(self, budget_grants):
            self.run = next(_runs)
            self.programme = programmes.create_programme(
                db, admin=admin, reason="property test",
                values=programme_values(name=f"property run {self.run}", points_per_grant=POINTS,
                                        total_budget=budget_grants * POINTS))
            self.funded = budget_grants * POINTS
            self.expected: dict[str, int] = {
                ledger.budget_code(self.programme.id): self.funded,
                ledger.funding_code(self.programme.id): -self.funded}
            self.orders: list[str] = []
            self.posted: list = []  # (call again, balances it must leave unchanged)
            self.serial = itertools.count()

        # -- helpers ---------------------------------------------------------------------
        def _code_balance(self, code):
            return self.expected.get(code, 0)

        def _move(self, call, entries, key):
            """Post; expect refusal iff an entry would take a guarded account below zero."""
            short = any(self._code_balance(code) + amount < 0
                        and not code.startswith(("funding:", "compensation:"))
                        for code, amount in entries)
            try:
                posted = call()
            except InsufficientPoints:
                assert short, f"refused but affordable: {entries}"
                return
            assert not short, f"allowed an overdraft: {entries}"
            assert not posted.replayed, key
            for code, amount in entries:
                self.expected[code] = self._code_balance(code) + amount
            self.posted.append((call, key))

        def _wallet(self, shop):
            return ledger.wallet_code(self.programme.id, shop.id)

        # -- rules -----------------------------------------------------------------------
        @rule(shop=st.sampled_from(shops))
        def grant(self, shop):
            key = movements.grant_key(self.programme.id, shop.tax_id)
            if ledger.existing_keys(db, [key]):
                before = self._snapshot()
                again = movements.grant(db, programme_id=self.programme.id,
                                        organisation_id=shop.id, tax_id=shop.tax_id,
                                        points=POINTS, description="again")
                assert again.replayed and self._snapshot() == before
                return
            self._move(lambda: movements.grant(
                db, programme_id=self.programme.id, organisation_id=shop.id,
                tax_id=shop.tax_id, points=POINTS, description="grant"),
                [(ledger.budget_code(self.programme.id), -POINTS), (self._wallet(shop), POINTS)],
                key)

        @rule(shop=st.sampled_from(shops), points=st.integers(1, 150))
        def hold(self, shop, points):
            wallet = movements.wallet(db, self.programme.id, shop.id)
            order = f"p{self.programme.id}-o{next(self.serial)}"
            key = f"hold:{order}"
            self.orders.append(order)
            self._move(lambda: hold_from(db, wallet, order_ref=order,
                                              points=points, key=key, description="hold"),
                       [(self._wallet(shop), -points), (ledger.escrow_code(order), points)], key)

        def _order_wallet(self, order):
            escrow = ledger.account_by_code(db, ledger.escrow_code(order))
            return ledger.wallet_code(escrow.programme_id, escrow.organisation_id)

        @precondition(lambda self: self.orders)
        @rule(data=st.data(), points=st.integers(1, 150))
        def capture(self, data, points):
            order = data.draw(st.sampled_from(self.orders))
            key = f"capture:{order}:{next(self.serial)}"
            receivable = ledger.receivable_code(self.programme.id, vendor.id)
            self._move(lambda: movements.capture(db, order_ref=order,
                                                 vendor_organisation_id=vendor.id,
                                                 points=points, key=key, description="c"),
                       [(ledger.escrow_code(order), -points), (receivable, points)], key)

        @precondition(lambda self: self.orders)
        @rule(data=st.data(), points=st.integers(1, 150))
        def release(self, data, points):
            order = data.draw(st.sampled_from(self.orders))
            key = f"release:{order}:{next(self.serial)}"
            self._move(lambda: movements.release(db, order_ref=order, points=points, key=key,
                                                 description="r"),
                       [(ledger.escrow_code(order), -points),
                        (self._order_wallet(order), points)], key)

        @precondition(lambda self: self.orders)
        @rule(data=st.data(), points=st.integers(1, 150))
        def refund(self, data, points):
            order = data.draw(st.sampled_from(self.orders))
            key = f"refund:{order}:{next(self.serial)}"
            receivable = ledger.receivable_code(self.programme.id, vendor.id)
            self._move(lambda: movements.refund(db, order_ref=order,
                                                vendor_organisation_id=vendor.id,
                                                points=points, key=key, description="f"),
                       [(receivable, -points), (self._order_wallet(order), points)], key)

        @rule(shop=st.sampled_from(shops), points=st.integers(1, 50))
        def compensate(self, shop, points):
            wallet = movements.wallet(db, self.programme.id, shop.id)
            key = f"comp:{self.programme.id}:{next(self.serial)}"
            self._move(lambda: movements.compensate(db, wallet_account=wallet, points=points,
                                                    key=key, description="sla"),
                       [(ledger.compensation_code(self.programme.id), -points),
                        (self._wallet(shop), points)], key)

        @rule(delta=st.integers(-250, 250).filter(lambda d: d != 0))
        def change_budget(self, delta):
            key = f"budget:{self.programme.id}:{next(self.serial)}"
            budget = ledger.budget_code(self.programme.id)
            before = self._code_balance(budget)
            self._move(lambda: movements.change_budget(db, programme_id=self.programme.id,
                                                       delta=delta, key=key, description="b"),
                       [(ledger.funding_code(self.programme.id), -delta), (budget, delta)], key)
            if self._code_balance(budget) != before:
                self.funded += delta

        @rule()
        def expire(self):
            for shop in shops:
                wallet = movements.wallet(db, self.programme.id, shop.id)
                balance = self._code_balance(self._wallet(shop))
                posted = movements.expire_wallet(db, wallet_account=wallet, description="e")
                assert (posted is None) == (balance == 0)
                if posted is not None:
                    self.expected[self._wallet(shop)] = 0
                    code = ledger.expired_code(self.programme.id)
                    self.expected[code] = self._code_balance(code) + balance
                    # Running the job again moves nothing.
                    assert movements.expire_wallet(db, wallet_account=wallet,
                                                   description="e") is None

        @precondition(lambda self: self.posted)
        @rule(data=st.data())
        def replay(self, data):
            call, key = data.draw(st.sampled_from(self.posted))
            before = self._snapshot()
            again = call()
            assert again.replayed, key
            assert self._snapshot() == before

        # -- invariants ------------------------------------------------------------------
        def _snapshot(self):
            rows = db.execute(select(m.LedgerAccount.code, m.LedgerAccount.balance).where(
                m.LedgerAccount.programme_id == self.programme.id)).all()
            count = db.execute(select(func.count()).select_from(m.LedgerEntry)).scalar_one()
            return dict(rows), count

        @invariant()
        def ledger_is_sound(self):
            pid = self.programme.id
            accounts = db.execute(select(m.LedgerAccount).where(
                m.LedgerAccount.programme_id == pid)).scalars().all()
            actual = {a.code: ledger.refresh_balance(db, a) for a in accounts}
            assert {c: b for c, b in actual.items() if b} == \
                {c: b for c, b in self.expected.items() if b}
            for account in accounts:
                if account.kind not in m.MAY_GO_NEGATIVE:
                    assert actual[account.code] >= 0, account.code
                total = db.execute(select(func.coalesce(func.sum(m.LedgerEntry.amount), 0))
                                   .where(m.LedgerEntry.account_id == account.id)).scalar_one()
                assert total == actual[account.code], account.code
            assert sum(actual.values()) == 0  # points are never created or lost
            sums = db.execute(
                select(func.sum(m.LedgerEntry.amount))
                .join(m.LedgerTransaction, m.LedgerTransaction.id == m.LedgerEntry.transaction_id)
                .where(m.LedgerTransaction.programme_id == pid)
                .group_by(m.LedgerEntry.transaction_id)).scalars().all()
            assert all(s == 0 for s in sums)
            granted = db.execute(select(func.coalesce(func.sum(m.LedgerEntry.amount), 0))
                                 .join(m.LedgerTransaction,
                                       m.LedgerTransaction.id == m.LedgerEntry.transaction_id)
                                 .where(m.LedgerTransaction.programme_id == pid,
                                        m.LedgerTransaction.kind == movements.GRANT,
                                        m.LedgerEntry.amount > 0)).scalar_one()
            assert granted + actual.get(ledger.budget_code(pid), 0) == self.funded

    return LedgerMachine


def test_random_movements_keep_the_ledger_sound(db, admin):
    machine = make_machine(db, admin)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=40, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))
