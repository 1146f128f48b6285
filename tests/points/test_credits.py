"""SLA compensation credits: funded from the receivable or the clearing account, idempotent."""

from __future__ import annotations

import pytest

from tcloud.errors import NotFound, ValidationFailed
from tcloud.points import ledger, movements
from tcloud.points.compensation_credits import credit_compensation
from tcloud.points.settlement_models import FROM_CLEARING, FROM_RECEIVABLE
from tests.points.order_factory import world_fixture  # noqa: F401


def balance(db, code: str) -> int:
    account = ledger.account_by_code(db, code)
    return ledger.refresh_balance(db, account) if account else 0


def capture(db, order, points):
    movements.capture(db, order_ref=order.reference,
                      vendor_organisation_id=order.vendor_organisation_id, points=points,
                      key=f"capture:{order.reference}:test{points}", description="t")
    db.commit()


def test_credit_from_receivable_when_it_covers(db, world):
    order = world.order(points=12_000)
    capture(db, order, 1_000)
    wallet_code = ledger.wallet_code(order.programme_id, order.organisation_id)
    before = balance(db, wallet_code)
    credit = credit_compensation(db, order_id=order.id, period="2026-10", points=300,
                                 reason="availability 99.1%", key="sla:1:2026-10")
    db.commit()
    assert credit.funded_from == FROM_RECEIVABLE
    assert balance(db, wallet_code) == before + 300
    receivable = ledger.receivable_code(order.programme_id, order.vendor_organisation_id)
    assert balance(db, receivable) == 700
    assert balance(db, ledger.compensation_code(order.programme_id)) == 0


def test_credit_from_clearing_when_receivable_is_short(db, world):
    order = world.order(points=12_000)
    capture(db, order, 100)
    credit = credit_compensation(db, order_id=order.id, period="2026-10", points=300,
                                 reason="rpo missed", key="sla:2:2026-10")
    db.commit()
    assert credit.funded_from == FROM_CLEARING
    receivable = ledger.receivable_code(order.programme_id, order.vendor_organisation_id)
    assert balance(db, receivable) == 100  # untouched, never negative
    assert balance(db, ledger.compensation_code(order.programme_id)) == -300


def test_same_key_credits_once(db, world):
    order = world.order(points=12_000)
    wallet_code = ledger.wallet_code(order.programme_id, order.organisation_id)
    before = balance(db, wallet_code)
    first = credit_compensation(db, order_id=order.id, period="2026-10", points=250,
                                reason="x", key="sla:3:2026-10")
    second = credit_compensation(db, order_id=order.id, period="2026-10", points=250,
                                 reason="x", key="sla:3:2026-10")
    db.commit()
    assert first.id == second.id
    assert balance(db, wallet_code) == before + 250


def test_zero_or_negative_points_credit_nothing(db, world):
    order = world.order(points=12_000)
    assert credit_compensation(db, order_id=order.id, period="2026-10", points=0,
                               reason="x", key="sla:4") is None
    assert credit_compensation(db, order_id=order.id, period="2026-10", points=-5,
                               reason="x", key="sla:5") is None


@pytest.mark.parametrize("period", ["2026-13", "26-10", "", "2026/10"])
def test_bad_period_is_refused(db, world, period):
    order = world.order(points=12_000)
    with pytest.raises(ValidationFailed) as err:
        credit_compensation(db, order_id=order.id, period=period, points=10, reason="x",
                            key="sla:6")
    assert "period" in err.value.errors


def test_unknown_order_is_not_found(db, world):
    with pytest.raises(NotFound):
        credit_compensation(db, order_id=999_999, period="2026-10", points=10, reason="x",
                            key="sla:7")
