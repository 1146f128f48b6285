"""Administrators' refunds: within captured points, never a negative receivable, once per token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tcloud.accounts.models import User
from tcloud.errors import Conflict, PermissionDenied, ValidationFailed
from tcloud.points import fulfilment, ledger, movements, refunds
from tcloud.points.applications import taipei_today
from tests.points.order_factory import world_fixture  # noqa: F401


def captured_order(db, world, *, points=12_000, months_days=35):
    order = world.order(points=points)
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    fulfilment.confirm_use(db, order_id=order.id, buyer=db.get(User, order.accepted_by_id),
                           today=taipei_today() + timedelta(days=months_days))
    db.commit()
    return order


def balance(db, code):
    return ledger.refresh_balance(db, ledger.account_by_code(db, code))


def test_refund_moves_receivable_to_wallet_and_notifies(db, world):
    order = captured_order(db, world)  # 2 months = 2,000 captured
    admin = world.factories.staff("admin")
    wallet = ledger.wallet_code(order.programme_id, order.organisation_id)
    before = balance(db, wallet)
    refunds.issue_refund(db, order_id=order.id, admin=admin, points="1500",
                         reason="服務中斷兩週", token="tok-aaaaaaaa")
    db.commit()
    assert balance(db, wallet) == before + 1_500
    assert balance(db, ledger.receivable_code(order.programme_id,
                                              order.vendor_organisation_id)) == 500
    assert refunds.refundable_points(db, order) == 500


def test_refund_limits_and_input(db, world):
    order = captured_order(db, world)
    admin = world.factories.staff("admin")
    with pytest.raises(ValidationFailed) as err:
        refunds.issue_refund(db, order_id=order.id, admin=admin, points="2001", reason="x")
    assert "2,000" in err.value.errors["points"]
    with pytest.raises(ValidationFailed) as err:
        refunds.issue_refund(db, order_id=order.id, admin=admin, points="abc", reason="")
    assert set(err.value.errors) == {"points", "reason"}
    with pytest.raises(PermissionDenied):
        refunds.issue_refund(db, order_id=order.id, admin=world.vendor, points=1, reason="x")


def test_same_token_refunds_once(db, world):
    order = captured_order(db, world)
    admin = world.factories.staff("admin")
    first = refunds.issue_refund(db, order_id=order.id, admin=admin, points=700, reason="x",
                                 token="same-token-1")
    second = refunds.issue_refund(db, order_id=order.id, admin=admin, points=700, reason="x",
                                  token="same-token-1")
    db.commit()
    assert first.id == second.id
    assert refunds.refunded_points(db, order.id) == 700


def test_refund_refused_when_receivable_was_paid_out(db, world):
    order = captured_order(db, world)
    admin = world.factories.staff("admin")
    movements.settle_vendor(db, vendor_organisation_id=order.vendor_organisation_id,
                            amounts={order.programme_id: (0, 1_800)}, key="payout:test",
                            description="t")
    db.commit()
    with pytest.raises(Conflict) as err:
        refunds.issue_refund(db, order_id=order.id, admin=admin, points=500, reason="x")
    assert "200" in str(err.value.message)
    db.rollback()
    receivable = ledger.receivable_code(order.programme_id, order.vendor_organisation_id)
    assert balance(db, receivable) == 200
    assert refunds.refunded_points(db, order.id) == 0
