"""Expiry (job and CLI), and the demo programme seeded through the services."""

from datetime import timedelta

from sqlalchemy import func, select

from tcloud.points import jobs, ledger, programmes
from tcloud.points import models as m
from tcloud.points.demo import DEMO_BUSINESSES, demo_programme
from tests.points.conftest import hold_from


def wallet_of(db, programme, user):
    return ledger.account_by_code(db, ledger.wallet_code(programme.id, user.organisation_id))


def test_expiry_moves_what_is_left_once(db, factories, make_programme, apply_for):
    programme = make_programme()
    shop, spender = factories.business(), factories.business()
    apply_for(shop, programme)
    apply_for(spender, programme)
    wallet = wallet_of(db, programme, spender)
    hold_from(db, wallet, order_ref="exp-1", points=30_000,
                   key="hold:exp-1", description="all of it")
    db.commit()
    last_day = programme.points_expire_on
    assert jobs.expire_due_wallets(db, today=last_day) == 0  # usable through the last day
    assert jobs.expire_due_wallets(db, today=last_day + timedelta(days=1)) == 1
    assert jobs.expire_due_wallets(db, today=last_day + timedelta(days=1)) == 0
    db.commit()
    assert wallet_of(db, programme, shop).balance == 0
    totals = programmes.totals(db, programme.id)
    assert totals["expired"] == 30_000 and totals["held"] == 30_000
    rows = ledger.statement(db, wallet_of(db, programme, shop).id)
    assert [(r.kind, r.amount, r.balance_after) for r in rows][-1] == ("expiry", -30_000, 0)


def test_expire_command_is_idempotent(app, db, factories, make_programme, apply_for):
    programme = make_programme()
    apply_for(factories.business(), programme)
    day = (programme.points_expire_on + timedelta(days=1)).isoformat()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tcloud", "points", "expire", "--today", day])
    assert first.exit_code == 0 and "1 wallet" in first.output, first.output
    second = runner.invoke(args=["tcloud", "points", "expire", "--today", day])
    assert second.exit_code == 0 and "0 wallet" in second.output
    count = db.execute(select(func.count()).select_from(m.LedgerTransaction)
                       .where(m.LedgerTransaction.kind == "expiry")).scalar_one()
    assert count == 1


def test_wallet_page_warns_thirty_and_seven_days_before(client, db, factories, login,
                                                        make_programme, apply_for):
    from tcloud.points.applications import taipei_today

    today = taipei_today()
    for days, marker in ((20, "notice-warning"), (5, "notice-error"), (90, None)):
        programme = make_programme(closes_on=today, points_expire_on=today + timedelta(days))
        shop = login(factories.business())
        apply_for(shop, programme)
        html = client.get(f"/points/wallets/{wallet_of(db, programme, shop).id}"
                          ).get_data(as_text=True)
        overview = client.get("/points").get_data(as_text=True)
        for other in ("notice-warning", "notice-error"):
            assert (other in html) == (other == marker), (days, other)
            assert (other in overview) == (other == marker), (days, other)


def test_seed_demo_grants_the_demo_businesses_once(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tcloud", "seed-demo"]).exit_code == 0
    again = runner.invoke(args=["tcloud", "seed-demo"])
    assert again.exit_code == 0 and "0 new" in again.output
    programme = demo_programme(db)
    assert programme.total_budget == 60_000_000
    assert programmes.budget_left(db, programme.id) == 60_000_000 - 30_000 * len(DEMO_BUSINESSES)
    assert db.execute(select(func.count()).select_from(m.Grant)).scalar_one() == len(
        DEMO_BUSINESSES)
