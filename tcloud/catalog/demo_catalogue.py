"""The demo catalogue: 200 vetted vendors and ~800 live solutions with reviews, for `seed-demo`.

What to write comes from demo_plan.plan_catalogue() (seeded, so every run is the same); how it
is written goes through the real services: accounts register vendors, vetting approves them,
listings save and approve each solution (so search text, yearly prices and SLA checks are
derived exactly as for a real vendor). Demo reviews are the one exception: real reviews need an
activated order, which does not exist yet, so they are added here with `order_id` NULL and the
solution's rating kept in the same transaction, as reviews.add_review does.

The work is split into steps of ten vendors, each its own transaction with its own marker
account (see tcloud/demo.py): the CLI's progress bar moves per step, and a run that stopped
half-way resumes where it stopped instead of adding anything twice.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlmodel import Session

from tcloud import validation
from tcloud.accounts import services as accounts
from tcloud.accounts.models import User
from tcloud.catalog import listings, reviews, vetting
from tcloud.catalog.demo_plan import (
    CataloguePlan,
    SolutionSpec,
    VendorSpec,
    plan_catalogue,
    reviewer_email,
    vendor_email,
)
from tcloud.catalog.demo_words import HIDDEN_REASON, REVIEWERS
from tcloud.catalog.listing_input import listing_input_from
from tcloud.catalog.listing_schemas import ListingSchema
from tcloud.catalog.models import Solution, SolutionReview
from tcloud.catalog.revision import bump_revision
from tcloud.clock import utcnow
from tcloud.uploads import services as uploads

FULL_VENDORS, FULL_SOLUTIONS = 200, 800
# The full catalogue takes ~15 s on SQLite; tests that run the whole seed-demo get a small one.
TESTING_VENDORS, TESTING_SOLUTIONS = 5, 20
VENDORS_PER_STEP = 10
REPORT_PDF = (b"%PDF-1.7\n% TCloud demo security test report\n1 0 obj<<>>endobj\n"
              b"trailer<<>>\n%%EOF\n")
# Administrator decisions that take an application from where it stands to approved.
_TO_APPROVED = {"submitted": ("under_review", "approved"), "under_review": ("approved",)}
_shared_hashes: dict[str, str] = {}


@dataclass(frozen=True)
class SeedContext:
    admin: User  # the administrator who vets the vendors and approves their listings
    password: str
    upload_folder: Path


Step = Callable[[Session], None]


def catalogue_steps(*, admin_email: str, house_email: str, password: str,
                    upload_folder: Callable[[], Path], vendors: int | None = None,
                    solutions: int | None = None) -> list[tuple[str, Step]]:
    """(marker email, step) pairs for tcloud.demo: the reviewers and the house vendor's own
    listings first, then the vendors ten at a time. A step's marker is the last account it
    creates, so it exists only once the step's transaction has committed. Without a size,
    the full catalogue (a small one when the app is testing)."""
    if vendors is None or solutions is None:
        testing = current_app.testing
        vendors = TESTING_VENDORS if testing else FULL_VENDORS
        solutions = TESTING_SOLUTIONS if testing else FULL_SOLUTIONS

    def context(db: Session) -> SeedContext:
        admin = accounts.find_user_by_email(db, admin_email)
        if admin is None:
            raise RuntimeError(f"The demo administrator {admin_email} must exist first.")
        return SeedContext(admin, password, upload_folder())

    def first(db: Session) -> None:
        seed_house_and_reviewers(db, plan_catalogue(vendors, solutions), context(db),
                                 house_email=house_email)

    steps: list[tuple[str, Step]] = [(reviewer_email(len(REVIEWERS)), first)]
    for start in range(0, vendors, VENDORS_PER_STEP):
        stop = min(start + VENDORS_PER_STEP, vendors)

        def batch(db: Session, start: int = start, stop: int = stop) -> None:
            seed_vendors(db, plan_catalogue(vendors, solutions), context(db), start, stop)

        steps.append((vendor_email(stop), batch))
    return steps


def seed_catalogue(db: Session, context: SeedContext, *, house_email: str,
                   vendors: int = FULL_VENDORS, solutions: int = FULL_SOLUTIONS) -> CataloguePlan:
    """Everything in one go, in the caller's transaction (tests use a small size)."""
    plan = plan_catalogue(vendors, solutions)
    seed_house_and_reviewers(db, plan, context, house_email=house_email)
    seed_vendors(db, plan, context, 0, vendors)
    return plan


@contextmanager
def _one_hash_for(password: str) -> Iterator[None]:
    # Registration hashes each password with scrypt, ~90 ms by design; the demo accounts share
    # one published password, so they may share one hash: 200 vendors then cost 0.1 s, not 18.
    original = accounts.hash_password
    if password not in _shared_hashes:
        _shared_hashes[password] = original(password)
    shared = _shared_hashes[password]
    accounts.hash_password = lambda given: shared if given == password else original(given)
    try:
        yield
    finally:
        accounts.hash_password = original


def seed_house_and_reviewers(db: Session, plan: CataloguePlan, context: SeedContext, *,
                             house_email: str) -> None:
    """The businesses that write the demo reviews; the demo vendor account approved, with
    listings of its own, so whoever logs in as that vendor sees a working dashboard."""
    with _one_hash_for(context.password):
        for spec in plan.reviewers:
            if accounts.find_user_by_email(db, spec.email) is None:
                accounts.register_business(
                    db, email=spec.email, password=context.password, company_name=spec.name,
                    tax_id=spec.tax_id, entity_type=spec.entity_type,
                    employee_count=spec.employees, industry=spec.industry, city=spec.city)
    house = accounts.find_user_by_email(db, house_email)
    if house is not None and _approve(db, house, plan.house, context) and not \
            listings.vendor_solutions(db, house):
        _add_solutions(db, house, plan.house, context, _reviewers(db, plan))


def seed_vendors(db: Session, plan: CataloguePlan, context: SeedContext, start: int,
                 stop: int) -> None:
    """Vendors `start` to `stop` (0-based, stop excluded), each vetted, with its listings."""
    found = _reviewers(db, plan)
    with _one_hash_for(context.password):
        for spec in plan.vendors[start:stop]:
            if accounts.find_user_by_email(db, spec.email) is not None:
                continue
            vendor = accounts.register_vendor(
                db, email=spec.email, password=context.password, company_name=spec.name,
                tax_id=spec.tax_id, contact_name=spec.contact)
            _approve(db, vendor, spec, context)
            _add_solutions(db, vendor, spec, context, found)


def _reviewers(db: Session, plan: CataloguePlan) -> list[User | None]:
    return [accounts.find_user_by_email(db, spec.email) for spec in plan.reviewers]


def _approve(db: Session, vendor: User, spec: VendorSpec, context: SeedContext) -> bool:
    """Apply (with a security report) and be approved; True if the vendor ends up approved."""
    application = vetting.application_of(db, vendor.organisation_id)
    if application is None:
        report = uploads.store_upload(
            db, stream=io.BytesIO(REPORT_PDF), original_name=f"{spec.slug}-security-test.pdf",
            owner_organisation_id=vendor.organisation_id, uploaded_by_id=vendor.id,
            purpose="security_report", allowed_kinds=("pdf",), folder=context.upload_folder,
            field="security_report")
        floor = vetting.catalog_settings(db).min_paid_in_capital
        application = vetting.submit_application(
            db, vendor=vendor, security_report_id=report.id, note="",
            answers=vetting.ApplicationAnswers(
                paid_in_capital=max(spec.paid_in_capital, floor),
                years_in_business=spec.years_in_business,
                paying_customers=spec.paying_customers,
                reference_customers=spec.reference_customers, declares_no_tax_arrears=True,
                declares_no_major_breach=True, declares_not_prc_funded=True,
                agrees_sla_minimums=True, agrees_no_inducements=True))
    for status in _TO_APPROVED.get(application.status, ()):
        vetting.decide(db, admin=context.admin, application_id=application.id,
                       to_status=status, reason="示範資料：資格文件與資安檢測報告齊全")
    return vetting.is_vendor_approved(db, vendor.organisation_id)


def _add_solutions(db: Session, vendor: User, spec: VendorSpec, context: SeedContext,
                   reviewers: list[User | None]) -> None:
    for solution_spec in spec.solutions:
        listing = listing_input_from(validation.load(ListingSchema(), solution_spec.payload))
        version = listings.save_listing(db, vendor=vendor, listing=listing, submit=True)
        listings.review_version(db, admin=context.admin, version_id=version.id, approve=True,
                                reason="示範資料")
        _add_reviews(db, version.solution_id, solution_spec, context.admin, reviewers)


def _add_reviews(db: Session, solution_id: int, spec: SolutionSpec, admin: User,
                 reviewers: list[User | None]) -> None:
    solution = db.get(Solution, solution_id)
    now = utcnow()
    hidden = []
    for review_spec in spec.reviews:
        author = reviewers[review_spec.reviewer]
        if author is None:
            continue
        written = now - timedelta(days=review_spec.days_ago)
        review = SolutionReview(
            solution_id=solution_id, business_organisation_id=author.organisation_id,
            author_id=author.id, order_id=None, stars=review_spec.stars, body=review_spec.body,
            vendor_reply=review_spec.reply,
            vendor_replied_at=written + timedelta(days=1) if review_spec.reply else None,
            created_at=written)
        solution.rating_count += 1
        solution.rating_total += review_spec.stars
        db.add(review)
        if review_spec.hidden:
            hidden.append(review)
    solution.renewal_rate_percent = spec.renewal_rate_percent
    db.add(solution)
    db.flush()
    bump_revision(db)  # cached catalogue pages show ratings: they must be rendered afresh
    for review in hidden:  # through the service, so the rating drops and the audit log says why
        reviews.hide(db, admin=admin, review_id=review.id, reason=HIDDEN_REASON)
