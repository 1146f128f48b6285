"""Checkout: the contract hash, points held in escrow exactly, cancellation, abandoned payments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tcloud.clock import utcnow
from tcloud.errors import Conflict, NotFound
from tcloud.points import checkout, checkout_jobs, contracts, ledger, movements, quotes
from tcloud.points import models as m
from tcloud.points.order_models import AWAITING_PAYMENT, CANCELLED, PLACED, Order, Quote


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English wording; the zh-TW pages are checked by the i18n test."""
    client.post("/language", data={"locale": "en"})



def balances(db, user, programme, reference):
    wallet = movements.wallet(db, programme.id, user.organisation_id)
    escrow = ledger.account_by_code(db, ledger.escrow_code(reference))
    return (ledger.refresh_balance(db, wallet),
            ledger.refresh_balance(db, escrow) if escrow else None)


def ledger_count(db):
    return db.execute(select(func.count()).select_from(m.LedgerTransaction)).scalar_one()


def test_checkout_holds_exactly_the_points(db, granted_buyer, plan_of, quote_and_accept):
    user, programme = granted_buyer()
    order = quote_and_accept(user, plan_of(price=12_000))
    assert order.reference == f"TC-{order.id:06d}"
    assert order.status == PLACED and order.paid_at is not None  # no card part
    assert balances(db, user, programme, order.reference) == (18_000, 12_000)
    tx = db.execute(select(m.LedgerTransaction).where(
        m.LedgerTransaction.idempotency_key == f"hold:{order.reference}")).scalar_one()
    entries = ledger.transaction_entries(db, tx.id)
    assert sorted(e.amount for e in entries) == [-12_000, 12_000] and sum(
        e.amount for e in entries) == 0


def test_order_snapshots_contract_and_sla(db, granted_buyer, plan_of, quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of(price=4_000, period="month"))
    assert order.status == AWAITING_PAYMENT and order.card_amount_ntd == 18_000
    assert order.contract_version == 1 and len(order.contract_sha256) == 64
    assert contracts.sha256_of(order.contract_text) == order.contract_sha256
    assert "48,000" in order.contract_text and "18,000" in order.contract_text
    assert order.sla_snapshot["availability_percent"] == 99.5
    assert order.sla_snapshot["rpo_minutes"] == 240
    assert "可用率" in order.contract_text and "{" not in order.contract_text
    assert order.accepted_by_id == user.id


def test_contract_changed_is_refused_and_nothing_moves(db, granted_buyer, plan_of, admin, shown_sha,
                                                       place_order):
    user, programme = granted_buyer()
    quote = quotes.create_quote(db, organisation_id=user.organisation_id,
                                plan_id=plan_of().id, user=user)
    shown = shown_sha(quote)
    contracts.add_version(db, admin=admin, body_md="# 新版契約 {buyer_name}",
                          change_note="測試")
    db.commit()
    before = ledger_count(db)
    with pytest.raises(contracts.ContractChanged):
        place_order(quote_id=quote.id, user=user, contract_sha256=shown)
    db.rollback()
    assert ledger_count(db) == before
    assert db.execute(select(func.count()).select_from(Order)).scalar_one() == 0


def test_balance_dropped_since_quote_is_refused(db, granted_buyer, plan_of, quote_and_accept,
                                                shown_sha, place_order):
    user, programme = granted_buyer()
    first = quotes.create_quote(db, organisation_id=user.organisation_id,
                                plan_id=plan_of(price=20_000).id, user=user)
    quote_and_accept(user, plan_of(price=25_000))  # spends 25,000 of 30,000 meanwhile
    sha = shown_sha(first)
    before = ledger_count(db)
    with pytest.raises(checkout.BalanceChanged, match="5,000"):
        place_order(quote_id=first.id, user=user, contract_sha256=sha)
    db.rollback()
    assert ledger_count(db) == before
    assert ledger.refresh_balance(db, movements.wallet(db, programme.id,
                                                       user.organisation_id)) == 5_000


def test_expired_quote_is_refused(db, granted_buyer, plan_of, shown_sha, place_order):
    user, _ = granted_buyer()
    quote = quotes.create_quote(db, organisation_id=user.organisation_id,
                                plan_id=plan_of().id, user=user,
                                now=utcnow() - timedelta(hours=30))
    sha = shown_sha(quote)
    with pytest.raises(quotes.QuoteExpired):
        place_order(quote_id=quote.id, user=user, contract_sha256=sha)


def test_accepting_twice_returns_the_first_order(db, granted_buyer, plan_of, shown_sha,
                                                 place_order):
    user, programme = granted_buyer()
    quote = quotes.create_quote(db, organisation_id=user.organisation_id,
                                plan_id=plan_of().id, user=user)
    sha = shown_sha(quote)
    first = place_order(quote_id=quote.id, user=user, contract_sha256=sha)
    again = place_order(quote_id=quote.id, user=user, contract_sha256=sha)
    assert first.id == again.id
    assert balances(db, user, programme, first.reference)[0] == 18_000


def test_database_index_refuses_a_second_points_spend(db, granted_buyer, plan_of,
                                                      quote_and_accept, monkeypatch, shown_sha,
                                                      place_order):
    user, _ = granted_buyer()
    plan = plan_of(price=10_000)
    first = quote_and_accept(user, plan)
    # A second quote made as if the service check had been raced past.
    second = Quote(**{c: getattr(db.get(Quote, first.quote_id), c) for c in (
        "organisation_id", "solution_id", "version_id", "plan_id", "programme_id", "seats",
        "term_months", "price_ntd", "points_applied", "card_amount_ntd", "created_by_id")},
        valid_until=utcnow() + timedelta(hours=1))
    db.add(second)
    db.commit()
    monkeypatch.setattr(quotes, "points_already_spent_on", lambda *a: False)
    sha = shown_sha(second)
    with pytest.raises(quotes.FirstAdoptionUsed):
        place_order(quote_id=second.id, user=user, contract_sha256=sha)
    db.rollback()


def test_cancel_before_activation_releases_the_points(db, granted_buyer, plan_of,
                                                      quote_and_accept):
    user, programme = granted_buyer()
    order = quote_and_accept(user, plan_of(price=12_000))
    checkout.cancel_before_activation(db, order_id=order.id, user=user, reason="buyer")
    db.commit()
    assert order.status == CANCELLED and order.cancelled_at is not None
    assert balances(db, user, programme, order.reference) == (30_000, 0)
    before = ledger_count(db)
    checkout.cancel_before_activation(db, order_id=order.id, user=user, reason="buyer")
    assert ledger_count(db) == before  # a second cancel moves nothing
    # A cancelled order no longer counts as the first adoption: points can buy it again.
    again = quote_and_accept(user, plan_of(price=1_000))
    assert again.points_applied == 1_000


def test_another_business_cannot_cancel_or_see_an_order(db, granted_buyer, factories,
                                                        plan_of, quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of())
    other = factories.business()
    with pytest.raises(NotFound):
        checkout.cancel_before_activation(db, order_id=order.id, user=other, reason="buyer")
    with pytest.raises(NotFound):
        checkout.get_order(db, order.id, organisation_id=other.organisation_id)


def test_activated_order_cannot_be_cancelled_here(db, granted_buyer, plan_of,
                                                  quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of())
    order.status = "active"
    db.commit()
    with pytest.raises(Conflict):
        checkout.cancel_before_activation(db, order_id=order.id, user=user, reason="buyer")


def test_abandoned_payment_job_is_idempotent(db, granted_buyer, plan_of, quote_and_accept):
    user, programme = granted_buyer()
    order = quote_and_accept(user, plan_of(price=40_000))  # 30,000 points + 10,000 card
    assert order.status == AWAITING_PAYMENT
    now = utcnow()
    assert checkout_jobs.cancel_abandoned_payments(db, now) == 0  # not an hour yet
    later = now + checkout_jobs.ABANDONED_AFTER + timedelta(minutes=1)
    assert checkout_jobs.cancel_abandoned_payments(db, later) == 1
    db.commit()
    assert checkout_jobs.cancel_abandoned_payments(db, later) == 0
    db.refresh(order)
    assert order.status == CANCELLED and order.cancel_reason == "payment_abandoned"
    assert balances(db, user, programme, order.reference) == (30_000, 0)
    releases = db.execute(select(func.count()).select_from(m.LedgerTransaction).where(
        m.LedgerTransaction.idempotency_key == f"release:{order.reference}")).scalar_one()
    assert releases == 1


def test_jobs_are_collected_by_the_scheduler():
    from tcloud.scheduling import collect_jobs

    names = {job.name for job in collect_jobs()}
    assert {"points.cancel_abandoned_payments", "points.close_cancelled_card_parts"} <= names


# --- pages ------------------------------------------------------------------------------------

def test_contract_page_then_accept_places_the_order(client, login, db, granted_buyer, plan_of,
                                                    shown_sha):
    user, _ = granted_buyer()
    quote = quotes.create_quote(db, organisation_id=user.organisation_id,
                                plan_id=plan_of().id, user=user)
    db.commit()
    login(user)
    page = client.get(f"/quotes/{quote.id}/contract")
    html = page.get_data(as_text=True)
    sha = shown_sha(quote)
    assert page.status_code == 200 and sha in html and "服務水準" in html
    not_ticked = client.post(f"/quotes/{quote.id}/contract", data={"contract_sha256": sha})
    assert not_ticked.status_code == 400 and "error-summary" in not_ticked.get_data(
        as_text=True)
    stale = client.post(f"/quotes/{quote.id}/contract",
                        data={"contract_sha256": "0" * 64, "accept": "yes"})
    assert stale.status_code == 409 and "contract changed" in stale.get_data(as_text=True)
    done = client.post(f"/quotes/{quote.id}/contract",
                       data={"contract_sha256": sha, "accept": "yes"})
    assert done.status_code == 302 and "/orders/" in done.location
    detail = client.get(done.location).get_data(as_text=True)
    assert "TC-" in detail and sha in detail
    listing = client.get("/orders").get_data(as_text=True)
    assert "TC-" in listing


def test_another_business_gets_404_for_an_order_page(client, login, db, granted_buyer,
                                                     factories, plan_of, quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of())
    login(factories.business())
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert client.post(f"/orders/{order.id}/cancel").status_code == 404
    assert client.get(f"/orders/{order.id}/pay").status_code == 404


def test_cancel_page_flow(client, login, db, granted_buyer, plan_of, quote_and_accept):
    user, programme = granted_buyer()
    order = quote_and_accept(user, plan_of())
    login(user)
    response = client.post(f"/orders/{order.id}/cancel")
    assert response.status_code == 302
    db.refresh(order)
    assert order.status == CANCELLED
    assert balances(db, user, programme, order.reference)[0] == 30_000
