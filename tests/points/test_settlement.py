"""Vendor statements: figures, carry-over, payout through the ledger, CSV for the office."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tcloud.accounts.models import Organisation, User
from tcloud.audit.models import AuditEvent
from tcloud.errors import Conflict, NotFound
from tcloud.points import fulfilment, ledger, refunds, settlement
from tcloud.points.applications import taipei_today
from tcloud.points.compensation_credits import credit_compensation
from tcloud.points.settlement_models import STATEMENT_PAID
from tests.points.order_factory import world_fixture  # noqa: F401


def running(db, world, points):
    """An order activated and confirmed today: month 1 (points / 12) captured today."""
    order = world.order(points=points)
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    fulfilment.confirm_use(db, order_id=order.id, buyer=db.get(User, order.accepted_by_id))
    db.commit()
    return order


def balance(db, code):
    account = ledger.account_by_code(db, code)
    return ledger.refresh_balance(db, account) if account else 0


def test_statement_figures_payout_and_csv(db, world):
    first, second = running(db, world, 12_000), running(db, world, 24_000)
    admin = world.factories.staff("admin")
    refunds.issue_refund(db, order_id=first.id, admin=admin, points=300, reason="=cmd|x")
    credit_compensation(db, order_id=second.id, period="2026-10", points=400, reason="SLA",
                        key="sla:s1")
    db.commit()
    period = settlement.period_of(taipei_today())
    created = settlement.generate(db, period)
    again = settlement.generate(db, period)
    db.commit()
    assert len(created) == 1 and again == []
    statement = created[0]
    assert (statement.captured_points, statement.refunded_points,
            statement.compensation_points) == (3_000, 300, 400)
    assert statement.net_ntd == statement.payable_ntd == 2_300
    kinds = [line["kind"] for line in settlement.lines(db, statement)]
    assert sorted(kinds) == ["captured", "captured", "compensation", "refunded"]

    settlement.mark_paid(db, statement_id=statement.id, admin=admin)
    db.commit()
    assert statement.status == STATEMENT_PAID
    vendor = world.vendor.organisation_id
    programme = world.programme.id
    assert balance(db, ledger.receivable_code(programme, vendor)) == 0
    assert balance(db, f"paid_out:{programme}:{vendor}") == 2_300
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "statement.paid")).first()
    with pytest.raises(Conflict):
        settlement.mark_paid(db, statement_id=statement.id, admin=admin)

    csv_text = settlement.export_csv(db, period)
    assert csv_text.startswith("\ufeffperiod,vendor")
    name = db.get(Organisation, vendor).name
    assert f"{period},{name}," in csv_text and ",2300,2300,paid," in csv_text


def test_csv_neutralises_formulas_in_names(db, world):
    running(db, world, 12_000)
    organisation = db.get(Organisation, world.vendor.organisation_id)
    organisation.name = "=HYPERLINK(\"x\")"
    db.add(organisation)
    db.commit()
    period = settlement.period_of(taipei_today())
    settlement.generate(db, period)
    db.commit()
    assert '"\'=HYPERLINK' in settlement.export_csv(db, period)


def test_clearing_advance_is_recovered_and_shortfall_carried(db, world):
    order = running(db, world, 12_000)  # 1,000 captured
    credit_compensation(db, order_id=order.id, period="2026-10", points=1_500, reason="SLA",
                        key="sla:s2")  # receivable short: the clearing account advances it
    db.commit()
    period = settlement.period_of(taipei_today())
    [statement] = settlement.generate(db, period)
    assert (statement.net_ntd, statement.payable_ntd) == (-500, 0)
    admin = world.factories.staff("admin")
    settlement.mark_paid(db, statement_id=statement.id, admin=admin)
    db.commit()
    programme, vendor = world.programme.id, world.vendor.organisation_id
    assert statement.recovered_points == 1_000
    assert balance(db, ledger.receivable_code(programme, vendor)) == 0
    assert balance(db, ledger.compensation_code(programme)) == -500

    # Next month: the shortfall is carried in; recovery of the rest comes first.
    from tcloud.points import releases

    db.get(type(order), order.id)
    releases.release_order(db, order.id, releases.add_months(order.starts_on, 1))
    db.commit()
    following = settlement.previous_period(settlement.period_of(
        releases.add_months(taipei_today(), 2)))
    [statement] = settlement.generate(db, following)
    assert (statement.captured_points, statement.carried_in_points) == (1_000, 500)
    assert statement.payable_ntd == 500
    settlement.mark_paid(db, statement_id=statement.id, admin=admin)
    db.commit()
    assert balance(db, ledger.compensation_code(programme)) == 0
    assert balance(db, ledger.receivable_code(programme, vendor)) == 0
    assert balance(db, f"paid_out:{programme}:{vendor}") == 500


def test_vendor_sees_only_its_own_statement(db, world):
    running(db, world, 12_000)
    [statement] = settlement.generate(db, settlement.period_of(taipei_today()))
    db.commit()
    assert settlement.get_statement(db, statement.id, user=world.vendor).id == statement.id
    with pytest.raises(NotFound):
        settlement.get_statement(db, statement.id, user=world.factories.approved_vendor())


def test_bad_period_is_refused(db):
    from tcloud.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        settlement.generate(db, "2026-13")


def test_ledger_balances_after_a_whole_life_cycle(db, world):
    """Grant, hold, capture, credit, refund, terminate, settle: the ledger still sums to zero
    and no wallet, escrow or receivable is below zero."""
    from sqlalchemy import func

    from tcloud.points import models as m

    kept = running(db, world, 12_000)
    ended = running(db, world, 24_000)
    admin = world.factories.staff("admin")
    refunds.issue_refund(db, order_id=kept.id, admin=admin, points=250, reason="r")
    credit_compensation(db, order_id=kept.id, period="2026-10", points=300, reason="SLA",
                        key="sla:life1")
    credit_compensation(db, order_id=ended.id, period="2026-10", points=9_000, reason="SLA",
                        key="sla:life2")  # more than the receivable: clearing advances it
    fulfilment.terminate(db, order_id=ended.id, actor=db.get(User, ended.accepted_by_id),
                         reason="stop", cause=fulfilment.ENDED_BY_BUYER)
    db.commit()
    [statement] = settlement.generate(db, settlement.period_of(taipei_today()))
    settlement.mark_paid(db, statement_id=statement.id, admin=admin)
    db.commit()
    programme = world.programme.id
    total = db.exec(select(func.sum(m.LedgerAccount.balance))
                    .where(m.LedgerAccount.programme_id == programme)).one()
    assert total == 0
    entries = db.exec(select(func.sum(m.LedgerEntry.amount))).one()
    assert entries == 0
    negative = db.exec(select(m.LedgerAccount.code).where(
        m.LedgerAccount.balance < 0,
        m.LedgerAccount.kind.in_((m.WALLET, m.ESCROW, m.RECEIVABLE, m.BUDGET)))).all()
    assert negative == []
    assert balance(db, ledger.escrow_code(ended.reference)) == 0
