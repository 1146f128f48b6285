"""Quotes: amounts from the wallet, validity, the rules (seats, first adoption, live listing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tcloud.clock import utcnow
from tcloud.errors import DomainError, NotFound, PermissionDenied
from tcloud.points import movements, quotes


def quote_for(db, user, plan, **kwargs):
    quote = quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan.id,
                                user=user, **kwargs)
    db.commit()
    return quote


def test_balance_above_price_pays_everything_with_points(db, granted_buyer, plan_of):
    user, programme = granted_buyer()
    quote = quote_for(db, user, plan_of(price=12_000))
    assert (quote.price_ntd, quote.points_applied, quote.card_amount_ntd) == (12_000, 12_000, 0)
    assert quote.term_months == 12 and quote.programme_id == programme.id
    assert quote.valid_until - quote.created_at == quotes.QUOTE_VALID_FOR


def test_balance_below_price_leaves_a_card_part(db, granted_buyer, plan_of):
    user, _ = granted_buyer()
    quote = quote_for(db, user, plan_of(price=4_000, period="month"))  # 48,000 for 12 months
    assert (quote.price_ntd, quote.points_applied, quote.card_amount_ntd) == (48_000, 30_000,
                                                                              18_000)


def test_no_points_means_all_by_card(db, factories, plan_of):
    user = factories.business()
    quote = quote_for(db, user, plan_of(price=12_000))
    assert (quote.points_applied, quote.card_amount_ntd, quote.programme_id) == (0, 12_000, None)


def test_keeping_points_quotes_all_by_card(db, granted_buyer, plan_of):
    user, _ = granted_buyer()
    quote = quote_for(db, user, plan_of(price=12_000), use_points=False)
    assert (quote.points_applied, quote.card_amount_ntd) == (0, 12_000)


def test_expiry_is_checked_when_used(db, granted_buyer, plan_of):
    user, _ = granted_buyer()
    quote = quote_for(db, user, plan_of(), now=utcnow() - timedelta(hours=25))
    assert quotes.is_expired(quote)
    assert not quotes.is_expired(quote_for(db, user, plan_of()))


def test_more_seats_than_employees_is_refused(db, granted_buyer, plan_of):
    user, _ = granted_buyer(employee_count=3)
    with pytest.raises(DomainError, match="more than your 3 employees"):
        quote_for(db, user, plan_of(seats=5))


def test_second_points_spend_on_a_solution_is_refused(db, granted_buyer, plan_of, shown_sha,
                                                      place_order):
    user, _ = granted_buyer()
    plan = plan_of(price=10_000)
    quote = quote_for(db, user, plan)
    sha = shown_sha(quote)
    place_order(quote_id=quote.id, user=user, contract_sha256=sha)
    db.commit()
    with pytest.raises(quotes.FirstAdoptionUsed):
        quote_for(db, user, plan)
    card_only = quote_for(db, user, plan, use_points=False)  # buying again by card is allowed
    assert card_only.points_applied == 0


def test_only_the_business_itself_gets_a_quote(db, granted_buyer, factories, plan_of):
    user, _ = granted_buyer()
    other = factories.business()
    plan = plan_of()
    with pytest.raises(PermissionDenied):
        quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan.id,
                            user=other)
    quote = quote_for(db, user, plan)
    with pytest.raises(NotFound):
        quotes.get_quote(db, quote.id, organisation_id=other.organisation_id)


def test_withdrawn_or_unknown_plan_is_refused(db, granted_buyer, factories, plan_of):
    from tcloud.catalog import listings

    user, _ = granted_buyer()
    with pytest.raises(NotFound):
        quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=999_999,
                            user=user)
    vendor = factories.approved_vendor()
    plan = plan_of(vendor=vendor)
    listings.withdraw(db, vendor=vendor, solution_id=quotes.live_plan(db, plan.id)[1]
                      .solution_id, reason="test")
    db.commit()
    with pytest.raises(NotFound):
        quote_for(db, user, plan)


def test_spendable_wallet_skips_expired_programmes(db, granted_buyer, plan_of):
    user, programme = granted_buyer()
    wallet = movements.wallet(db, programme.id, user.organisation_id)
    assert quotes.spendable_wallet(db, user.organisation_id).id == wallet.id
    later = utcnow() + timedelta(days=400)
    assert quotes.spendable_wallet(db, user.organisation_id, later) is None


# --- pages ------------------------------------------------------------------------------------

def test_quote_page_shows_amounts_and_saves_the_quote(client, login, db, granted_buyer,
                                                      plan_of):
    user, _ = granted_buyer()
    plan = plan_of(price=4_000, period="month")
    login(user)
    solution_id = quotes.live_plan(db, plan.id)[1].solution_id
    page = client.get(f"/solutions/{solution_id}/quote?plan={plan.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "48,000" in html and "18,000" in html
    response = client.post(f"/solutions/{solution_id}/quote", data={"plan": plan.id})
    assert response.status_code == 302 and "/quotes/" in response.location
    shown = client.get(response.location).get_data(as_text=True)
    assert "/contract" in shown


def test_quote_page_explains_a_refusal(client, login, db, granted_buyer, plan_of):
    user, _ = granted_buyer(employee_count=2)
    plan = plan_of(seats=5)
    login(user)
    solution_id = quotes.live_plan(db, plan.id)[1].solution_id
    page = client.get(f"/solutions/{solution_id}/quote?plan={plan.id}")
    assert page.status_code == 400
    assert "error-summary" in page.get_data(as_text=True)
    refused = client.post(f"/solutions/{solution_id}/quote", data={"plan": plan.id})
    assert refused.status_code == 400


def test_expired_quote_page_offers_a_new_one(client, login, db, granted_buyer, plan_of):
    user, _ = granted_buyer()
    plan = plan_of()
    quote = quote_for(db, user, plan, now=utcnow() - timedelta(days=2))
    login(user)
    html = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert f"plan={plan.id}" in html and "/contract" not in html


def test_solution_page_links_each_plan_to_a_quote(client, db, plan_of):
    plan = plan_of()
    solution_id = quotes.live_plan(db, plan.id)[1].solution_id
    html = client.get(f"/solutions/{solution_id}").get_data(as_text=True)
    assert f"/solutions/{solution_id}/quote?plan={plan.id}" in html
