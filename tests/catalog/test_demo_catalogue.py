"""The demo catalogue: deterministic, within the programme's rules, live, ratings consistent.

A small catalogue (5 vendors, 20 solutions) is written through the real services in the test
transaction; the full size (200 vendors, 800 solutions) is checked as a plan here and written
by bench/catalog.py, which times it.
"""

from collections import Counter

import pytest
from sqlmodel import select

from tcloud import validation
from tcloud.accounts import services as accounts
from tcloud.catalog import browse, demo_catalogue, listings, vetting
from tcloud.catalog.demo_catalogue import SeedContext, seed_catalogue
from tcloud.catalog.demo_plan import SEED, plan_catalogue
from tcloud.catalog.listing_input import listing_input_from, listing_problems, window_from_strings
from tcloud.catalog.listing_schemas import ListingSchema
from tcloud.catalog.models import Solution, SolutionPlan, SolutionReview, SolutionVersion
from tcloud.catalog.sla_terms import CompensationTier, SlaMinimums, SlaTerms, shortfalls
from tcloud.catalog.taxonomy import CATEGORIES
from tests.factories import Factories

SMALL = {"vendors": 5, "solutions": 20}
fresh_plan = plan_catalogue.__wrapped__  # the same function without its cache


def yearly_from(payload: dict) -> int:
    return min(plan["price_ntd"] * (12 if plan["billing_period"] == "month" else 1)
               for plan in payload["plans"])


def test_the_same_seed_gives_the_same_catalogue():
    first, second = fresh_plan(**SMALL), fresh_plan(**SMALL)
    assert [s.name for s in first.solutions()] == [s.name for s in second.solutions()]
    assert first == second
    other = fresh_plan(**SMALL, seed=SEED + 1)
    assert [v.name for v in other.vendors] != [v.name for v in first.vendors]


def test_the_full_plan_has_the_programme_figures_and_passes_every_rule():
    plan = fresh_plan()
    solutions = plan.solutions()
    assert len(plan.vendors) == 200 and len(solutions) == 800
    assert len({v.name for v in plan.vendors} | {plan.house.name}) == 201
    assert len({v.tax_id for v in plan.vendors}) == 200
    assert len({s.name for s in solutions}) == 800
    per_category = Counter(s.payload["category"] for s in solutions)
    assert set(per_category) == set(CATEGORIES) and min(per_category.values()) >= 80
    prices = [yearly_from(s.payload) for s in solutions]
    assert sum(3_000 <= p <= 60_000 for p in prices) >= 0.9 * len(prices)
    periods = Counter(p["billing_period"] for s in solutions for p in s.payload["plans"])
    assert periods["month"] > 0 and periods["year"] > periods["month"]
    assert 0.2 < sum(s.payload["free_trial_days"] > 0 for s in solutions) / 800 < 0.8
    for vendor in (plan.house, *plan.vendors):
        for spec in vendor.solutions:
            listing = listing_input_from(validation.load(ListingSchema(), spec.payload))
            assert listing_problems(listing, SlaMinimums()) == {}, spec.name
            assert spec.payload["health_url"] == f"https://status.{vendor.slug}.example.tw/health"
            assert 1 <= len(listing.sla.compensation_tiers) <= 3
            assert 30 <= listing.sla.response_minutes <= 480
            assert 15 <= listing.sla.rpo_minutes <= 1440
    assert {s.payload["sla"]["covers_national_holidays"] for s in solutions} == {True, False}
    weekend = sum(any(w["day"] in ("sat", "sun") for w in s.payload["sla"]["support_windows"])
                  for s in solutions)
    assert 0 < weekend < 800
    renewals = [s.renewal_rate_percent for s in solutions if s.renewal_rate_percent is not None]
    assert len(renewals) > 0.7 * 800 and all(30 <= r <= 85 for r in renewals)


@pytest.fixture
def seeded(db, factories, tmp_path):
    admin = factories.staff("admin")
    house = factories.vendor(company_name="雲點科技股份有限公司")
    plan = seed_catalogue(db, SeedContext(admin, Factories.PASSWORD, tmp_path),
                          house_email=house.email, **SMALL)
    db.commit()
    return plan, house


def _terms(version: SolutionVersion) -> SlaTerms:
    return SlaTerms(
        availability_percent=version.availability_percent,
        support_windows=tuple(window_from_strings(**w) for w in version.support_windows),
        covers_national_holidays=version.covers_national_holidays,
        support_channels=tuple(version.support_channels),
        compensation_tiers=tuple(CompensationTier(**t) for t in version.compensation_tiers),
        compensation_cap_percent=version.compensation_cap_percent,
        response_minutes=version.response_minutes, rpo_minutes=version.rpo_minutes)


def test_every_demo_solution_is_live_public_and_meets_the_sla_minimums(db, seeded):
    plan, _house = seeded
    versions = db.exec(select(SolutionVersion)).all()
    assert sorted(v.name for v in versions) == sorted(s.name for s in plan.solutions())
    assert {v.state for v in versions} == {"live"}
    for version in versions:
        assert shortfalls(_terms(version), SlaMinimums()) == []
        assert version.search_text and version.yearly_price_from > 0
        for sold in db.exec(select(SolutionPlan).where(SolutionPlan.version_id == version.id)):
            assert sold.list_price_ntd >= sold.price_ntd
    assert browse.search(db, browse.CatalogQuery()).total == SMALL["solutions"]
    found = browse.search(db, browse.CatalogQuery(q="點餐"))
    assert "雲點 QR 點餐系統" in [row.name for row in found.rows]


def test_the_demo_vendor_account_is_approved_and_has_listings(db, seeded):
    plan, house = seeded
    assert vetting.is_vendor_approved(db, house.organisation_id)
    mine = listings.vendor_solutions(db, house)
    assert [version.name for _, version in mine] == [s.name for s in plan.house.solutions]
    assert len(mine) == 4
    for spec in plan.vendors:
        vendor = accounts.find_user_by_email(db, spec.email)
        assert vetting.is_vendor_approved(db, vendor.organisation_id)


def test_ratings_are_the_visible_demo_reviews(db, seeded):
    plan, _house = seeded
    reviews = db.exec(select(SolutionReview)).all()
    assert len(reviews) == sum(len(s.reviews) for s in plan.solutions()) > 0
    assert all(review.order_id is None for review in reviews)
    for solution in db.exec(select(Solution)).all():
        visible = [r.stars for r in reviews
                   if r.solution_id == solution.id and r.hidden_reason is None]
        assert (solution.rating_count, solution.rating_total) == (len(visible), sum(visible))
        assert solution.renewal_rate_percent is None or 30 <= solution.renewal_rate_percent <= 85
    # the demo accounts shared one password hash only while seeding
    assert accounts.hash_password.__name__ == "hash_password"


def test_seeding_through_the_demo_steps_twice_adds_nothing(db, factories, tmp_path):
    from tcloud import demo

    admin = factories.staff("admin")
    steps = demo_catalogue.catalogue_steps(
        admin_email=admin.email, house_email="nobody@example.com", password=Factories.PASSWORD,
        upload_folder=lambda: tmp_path, **SMALL)
    assert len(steps) == 2  # the reviewers, then one batch of up to ten vendors

    def run_all() -> int:
        ran = 0
        for marker, step in steps:
            if not demo.is_done(db, marker):
                step(db)
                db.commit()
                ran += 1
        return ran

    assert run_all() == 2
    counted = db.exec(select(Solution.id)).all()
    assert len(counted) == SMALL["solutions"] - 4  # no house vendor account here
    assert run_all() == 0
    assert db.exec(select(Solution.id)).all() == counted
