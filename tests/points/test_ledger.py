"""The ledger: balanced, idempotent, never below zero, append-only."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tcloud.points import ledger, movements
from tcloud.points import models as m
from tcloud.points.ledger import InsufficientPoints
from tcloud.points.ledger_rules import InvalidMovement, expiry_warning, merged_entries
from tests.points.conftest import hold_from


def test_entries_must_be_whole_points_summing_to_zero():
    assert merged_entries([("a", -5), ("b", 3), ("b", 2)]) == [("a", -5), ("b", 5)]
    for bad in ([("a", -5), ("b", 4)], [("a", 5.0), ("b", -5.0)], [("a", 0), ("b", 0)],
                [("a", 5), ("a", -5)], [("a", True), ("b", -1)]):
        with pytest.raises(InvalidMovement):
            merged_entries(bad)


def test_expiry_warnings_at_thirty_and_seven_days():
    from datetime import date

    expires = date(2027, 6, 30)
    assert expiry_warning(date(2027, 5, 30), expires) is None
    assert expiry_warning(date(2027, 5, 31), expires) == 30
    assert expiry_warning(date(2027, 6, 23), expires) == 7
    assert expiry_warning(date(2027, 6, 30), expires) == 7
    assert expiry_warning(date(2027, 7, 1), expires) == 0


def wallet_with(db, programme, org_id, points=30_000):
    wallet = movements.wallet(db, programme.id, org_id)
    movements.grant(db, programme_id=programme.id, organisation_id=org_id,
                    tax_id=f"T{org_id}", points=points, description="test")
    return wallet


def test_a_movement_moves_balances_and_keeps_running_balances(db, factories, make_programme):
    programme = make_programme()
    shop = factories.business()
    wallet = wallet_with(db, programme, shop.organisation_id)
    posted = hold_from(db, wallet, order_ref="order-1", points=12_000,
                            key="hold:order-1", description="order 1")
    assert not posted.replayed
    assert wallet.balance == 18_000
    escrow = ledger.account_by_code(db, ledger.escrow_code("order-1"))
    assert escrow.balance == 12_000
    rows = ledger.statement(db, wallet.id)
    assert [(r.kind, r.amount, r.balance_after) for r in rows] == [
        ("grant", 30_000, 30_000), ("hold", -12_000, 18_000)]
    assert sum(e.amount for e in ledger.transaction_entries(db, posted.transaction_id)) == 0


def test_replaying_a_key_changes_nothing(db, factories, make_programme):
    programme = make_programme()
    shop = factories.business()
    wallet = wallet_with(db, programme, shop.organisation_id)
    first = hold_from(db, wallet, order_ref="o-2", points=1_000,
                           key="hold:o-2", description="x")
    count = db.execute(select(func.count()).select_from(m.LedgerEntry)).scalar_one()
    again = hold_from(db, wallet, order_ref="o-2", points=1_000,
                           key="hold:o-2", description="x")
    assert again.replayed and again.transaction_id == first.transaction_id
    assert db.execute(select(func.count()).select_from(m.LedgerEntry)).scalar_one() == count
    assert ledger.refresh_balance(db, wallet) == 29_000


def test_no_account_goes_below_zero(db, factories, make_programme):
    programme = make_programme()
    shop = factories.business()
    wallet = wallet_with(db, programme, shop.organisation_id)
    with pytest.raises(InsufficientPoints):
        hold_from(db, wallet, order_ref="o-3", points=30_001,
                       key="hold:o-3", description="too much")
    assert ledger.refresh_balance(db, wallet) == 30_000
    assert ledger.existing_keys(db, ["hold:o-3"]) == {}
    with pytest.raises(DBAPIError):  # and the schema refuses it too
        with db.begin_nested():
            db.execute(text("UPDATE ledger_accounts SET balance = -1 WHERE id = :id"),
                       {"id": wallet.id})


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_entries SET amount = amount + 1",
    "DELETE FROM ledger_entries",
    "UPDATE ledger_transactions SET description = 'edited'",
    "DELETE FROM ledger_transactions",
])
def test_ledger_rows_are_append_only(db, make_programme, statement):
    make_programme()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text(statement))


def test_every_named_movement_balances(db, factories, make_programme):
    programme = make_programme()
    shop, vendor = factories.business(), factories.vendor()
    wallet = wallet_with(db, programme, shop.organisation_id)
    hold_from(db, wallet, order_ref="o-4", points=10_000, key="h4",
                   description="")
    movements.capture(db, order_ref="o-4", vendor_organisation_id=vendor.organisation_id,
                      points=4_000, key="c4", description="")
    movements.release(db, order_ref="o-4", points=6_000, key="r4", description="")
    movements.refund(db, order_ref="o-4", vendor_organisation_id=vendor.organisation_id,
                     points=1_000, key="f4", description="")
    movements.compensate(db, wallet_account=wallet, points=500, key="comp4", description="")
    assert ledger.refresh_balance(db, wallet) == 30_000 - 10_000 + 6_000 + 1_000 + 500
    total = db.execute(select(func.sum(m.LedgerAccount.balance))).scalar_one()
    assert total == 0  # points are never created or lost
    per_tx = db.execute(select(m.LedgerEntry.transaction_id, func.sum(m.LedgerEntry.amount))
                        .group_by(m.LedgerEntry.transaction_id)).all()
    assert all(total == 0 for _, total in per_tx)
