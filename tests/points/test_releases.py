"""Monthly release: schedule, pause until use is confirmed, idempotent, completion."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.points import fulfilment, ledger, releases
from tcloud.points.order_models import ACTIVE, COMPLETED, OrderRelease
from tests.points.order_factory import world_fixture  # noqa: F401

START = date(2026, 1, 31)


def test_schedule_splits_with_remainder_in_last_month():
    plan = releases.schedule(12_005, 12, START)
    assert [item.points for item in plan] == [1000] * 11 + [1005]
    assert sum(item.points for item in plan) == 12_005
    assert plan[0].due_on == START
    assert plan[1].due_on == date(2026, 2, 28)  # shorter month: its last day
    assert plan[11].due_on == date(2026, 12, 31)


def test_schedule_of_tiny_order_skips_empty_months():
    plan = releases.schedule(5, 12, START)
    assert [(item.month_index, item.points) for item in plan] == [(12, 5)]


def test_add_months_across_years():
    assert releases.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert releases.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def activated(db, world, *, points=12_000, starts_on=START, term_months=12):
    order = world.order(points=points, term_months=term_months)
    order.paid_at = datetime(2026, 1, 1, tzinfo=UTC)  # paid before the start chosen here
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="帳號已開通",
                        starts_on=starts_on, today=starts_on)
    db.commit()
    return order


def receivable(db, order) -> int:
    account = ledger.account_by_code(db, ledger.receivable_code(order.programme_id,
                                                                order.vendor_organisation_id))
    return ledger.refresh_balance(db, account) if account else 0


def test_nothing_is_released_until_use_is_confirmed(db, world):
    order = activated(db, world)
    assert releases.release_due(db, date(2026, 4, 1)) == 0
    db.commit()
    assert order.points_released == 0
    assert receivable(db, order) == 0


def test_confirmation_releases_all_months_due(db, world):
    order = activated(db, world, points=12_005)
    buyer = db.get(User, order.accepted_by_id)
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer, today=date(2026, 3, 5))
    db.commit()
    # Months 1 (31 Jan), 2 (28 Feb) are due by 5 March; month 3 (31 Mar) is not.
    assert order.points_released == 2_000
    assert releases.released_months(db, order.id) == {1, 2}
    assert receivable(db, order) == 2_000


def test_job_twice_releases_each_month_once_and_completes(db, world):
    order = activated(db, world, points=12_005)
    buyer = db.get(User, order.accepted_by_id)
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer, today=START)
    db.commit()
    assert order.points_released == 1_000
    day = date(2027, 2, 1)
    first = releases.release_due(db, day)
    second = releases.release_due(db, day)
    db.commit()
    assert (first, second) == (11_005, 0)
    rows = db.exec(select(OrderRelease).where(OrderRelease.order_id == order.id)).all()
    assert sorted(r.month_index for r in rows) == list(range(1, 13))
    assert sum(r.points for r in rows) == 12_005
    db.refresh(order)
    assert order.points_released == 12_005
    assert order.status == COMPLETED
    assert receivable(db, order) == 12_005


def test_all_released_but_term_running_stays_active(db, world):
    order = activated(db, world, points=1_200, term_months=2)
    buyer = db.get(User, order.accepted_by_id)
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer, today=date(2026, 3, 1))
    db.commit()
    assert order.points_released == 1_200
    assert order.status == ACTIVE  # ends 31 March
    releases.release_due(db, date(2026, 3, 31))
    db.commit()
    db.refresh(order)
    assert order.status == COMPLETED


def test_seed_demo_shows_orders_in_every_state(app, db):
    from sqlalchemy import func

    from tcloud.points.order_models import Order

    result = app.test_cli_runner().invoke(args=["tcloud", "seed-demo"])
    assert result.exit_code == 0, result.output
    states = dict(db.exec(select(Order.status, func.count()).group_by(Order.status)).all())
    assert states == {"placed": 2, "active": 2, "completed": 1}
    renewal = db.exec(select(Order).where(Order.renewal_of_order_id.is_not(None))).one()
    assert renewal.points_applied == 0 and renewal.status == "placed"
    running = [o for o in db.exec(select(Order).where(Order.status == ACTIVE)).all()
               if o.use_confirmed_at is not None]
    assert running[0].points_released > 0
    # The review-signals demo: the house vendor and one of its buyers share a bank account.
    from tcloud.points import review_signals

    shared = [(s.vendor_name, [name for _, name in s.buyers], s.value)
              for s in review_signals.review_signals(db)
              if s.kind == review_signals.SHARED_BANK_ACCOUNT]
    assert shared == [("雲點科技股份有限公司", ["順發瓦斯行"], "812-00012345678901")]


def test_job_pages_through_orders_with_nothing_due(db, world):
    waiting = activated(db, world, points=1_200, starts_on=date(2026, 3, 1))
    ready = activated(db, world, points=1_200, starts_on=START)
    for order in (waiting, ready):
        order.use_confirmed_at = datetime(2026, 3, 1, tzinfo=UTC)
        db.add(order)
    db.commit()
    assert releases.release_due(db, date(2026, 2, 1), page=1) == 100  # only `ready`, month 1
    db.commit()
    assert releases.released_months(db, ready.id) == {1}
    assert releases.released_months(db, waiting.id) == set()
