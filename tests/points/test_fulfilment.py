"""Activation, confirming use, reporting it unused, and ending an order early."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.audit.models import AuditEvent
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications.models import Notification
from tcloud.points import fulfilment, ledger
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, TERMINATED
from tests.points.order_factory import world_fixture  # noqa: F401


def buyer_of(db, order) -> User:
    return db.get(User, order.accepted_by_id)


def wallet_balance(db, order) -> int:
    account = ledger.account_by_code(db, ledger.wallet_code(order.programme_id,
                                                            order.organisation_id))
    return ledger.refresh_balance(db, account)


def activate(db, world, order, **kwargs):
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor,
                        notes=kwargs.pop("notes", "登入網址 https://app.example.com"), **kwargs)
    db.commit()
    return order


def test_activation_starts_the_term_and_tells_the_buyer(db, world):
    order = activate(db, world, world.order(term_months=12))
    today = taipei_today()
    assert order.status == ACTIVE
    assert order.starts_on == today
    assert order.ends_on.year == today.year + 1
    assert order.use_confirm_due_on == today + timedelta(days=30)
    notes = db.exec(select(Notification).where(Notification.user_id == order.accepted_by_id,
                                               Notification.kind == "order.activated")).all()
    assert len(notes) == 1


def test_another_vendor_cannot_see_or_activate(db, world):
    order = world.order()
    other = world.factories.approved_vendor()
    with pytest.raises(NotFound):
        fulfilment.activate(db, order_id=order.id, vendor=other, notes="x")


def test_activation_needs_notes_and_a_sensible_start(db, world):
    order = world.order()
    with pytest.raises(ValidationFailed) as err:
        fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="  ",
                            starts_on=taipei_today() + timedelta(days=400))
    assert set(err.value.errors) == {"notes", "starts_on"}
    db.rollback()
    activate(db, world, order)
    with pytest.raises(Conflict):
        fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="again")


def test_report_unused_then_admin_terminates_returns_exactly_unreleased(db, world):
    order = activate(db, world, world.order(points=12_000))
    buyer = buyer_of(db, order)
    before = wallet_balance(db, order)
    fulfilment.report_unused(db, order_id=order.id, buyer=buyer, note="廠商一直沒有教我們用")
    db.commit()
    with pytest.raises(Conflict):
        fulfilment.confirm_use(db, order_id=order.id, buyer=buyer)
    db.rollback()
    admin = world.factories.staff("admin")
    fulfilment.terminate(db, order_id=order.id, actor=admin, reason="查證未使用",
                         cause=fulfilment.ENDED_UNUSED)
    db.commit()
    assert order.status == TERMINATED
    assert wallet_balance(db, order) == before + 12_000
    escrow = ledger.account_by_code(db, ledger.escrow_code(order.reference))
    assert ledger.refresh_balance(db, escrow) == 0
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "order.terminated",
                                            AuditEvent.subject_id == order.reference)).first()


def test_buyer_cancels_after_some_months_gets_the_rest(db, world):
    order = world.order(points=12_005)
    activate(db, world, order, starts_on=taipei_today())
    buyer = buyer_of(db, order)
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer,
                           today=taipei_today() + timedelta(days=35))  # months 1 and 2
    db.commit()
    assert order.points_released == 2_000
    before = wallet_balance(db, order)
    fulfilment.terminate(db, order_id=order.id, actor=buyer, reason="不需要了",
                         cause=fulfilment.ENDED_BY_BUYER)
    db.commit()
    assert wallet_balance(db, order) == before + 10_005
    with pytest.raises(Conflict):  # a second click does nothing
        fulfilment.terminate(db, order_id=order.id, actor=buyer, reason="again",
                             cause=fulfilment.ENDED_BY_BUYER)


def test_vendor_cannot_terminate_and_other_buyer_gets_not_found(db, world):
    order = activate(db, world, world.order())
    with pytest.raises(PermissionDenied):
        fulfilment.terminate(db, order_id=order.id, actor=world.vendor, reason="x",
                             cause=fulfilment.ENDED_BY_BUYER)
    stranger = world.factories.business()
    with pytest.raises(NotFound):
        fulfilment.terminate(db, order_id=order.id, actor=stranger, reason="x",
                             cause=fulfilment.ENDED_BY_BUYER)
    with pytest.raises(NotFound):
        fulfilment.confirm_use(db, order_id=order.id, buyer=stranger)


def test_report_needs_a_note_and_confirm_only_once(db, world):
    order = activate(db, world, world.order())
    buyer = buyer_of(db, order)
    with pytest.raises(ValidationFailed):
        fulfilment.report_unused(db, order_id=order.id, buyer=buyer, note=" ")
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer, today=date.today())
    db.commit()
    with pytest.raises(Conflict):
        fulfilment.confirm_use(db, order_id=order.id, buyer=buyer)
    with pytest.raises(Conflict):
        fulfilment.report_unused(db, order_id=order.id, buyer=buyer, note="no")


def test_grant_decisions_notify_the_business(db, factories, make_programme, apply_for):
    from tcloud.points import applications

    programme = make_programme(grant_immediately=False)
    admin = factories.staff("admin")
    kinds = []
    for approve in (True, False):
        user = factories.business()
        application = apply_for(user, programme)
        applications.decide(db, admin=admin, application_id=application.id, approve=approve,
                            reason="審核完成")
        db.commit()
        kinds += [n.kind for n in db.exec(select(Notification).where(
            Notification.user_id == user.id)).all()]
    assert kinds == ["grant_application.granted", "grant_application.rejected"]
