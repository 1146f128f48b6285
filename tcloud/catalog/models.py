"""Catalogue tables: vendor vetting, settings, solutions with versions and plans, reviews."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

_STATUS_CHECK = ("status IN ('submitted', 'under_review', 'changes_requested', 'approved', "
                 "'rejected', 'suspended')")


class VendorApplication(SQLModel, table=True):
    """One per vendor organisation; resubmission updates it, decisions keep the history."""

    __tablename__ = "vendor_applications"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK, name="ck_vendor_applications_status"),
        CheckConstraint("paid_in_capital >= 0 AND years_in_business >= 0 "
                        "AND paying_customers >= 0", name="ck_vendor_applications_counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", unique=True)
    status: str = Field(max_length=20, index=True)
    paid_in_capital: int
    years_in_business: int
    paying_customers: int
    reference_customers: str = Field(sa_column=Column(Text, nullable=False))
    security_report_id: int = Field(foreign_key="uploads.id")
    declares_no_tax_arrears: bool
    declares_no_major_breach: bool
    declares_not_prc_funded: bool
    agrees_sla_minimums: bool
    agrees_no_inducements: bool
    submitted_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class VettingDecision(SQLModel, table=True):
    """A status change with its reason and who made it; the vendor sees these."""

    __tablename__ = "vetting_decisions"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="vendor_applications.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by_id: int = Field(foreign_key="users.id")
    decided_by_name: str = Field(max_length=100)
    decided_at: datetime = Field(default_factory=utcnow)


class CatalogSettings(SQLModel, table=True):
    """Administrator settings of the catalogue (one row, id 1)."""

    __tablename__ = "catalog_settings"
    __table_args__ = (CheckConstraint("min_paid_in_capital >= 0",
                                      name="ck_catalog_settings_capital"),)

    id: int | None = Field(default=None, primary_key=True)
    min_paid_in_capital: int = 1_000_000
    # The programme's SLA minimums (defaults match sla_terms.SlaMinimums).
    min_availability_percent: float = 99.0
    min_weekly_support_hours: int = 40
    max_response_minutes: int = 480
    max_rpo_minutes: int = 1440
    min_first_tier_credit_percent: int = 10
    min_support_channels: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


# --- Solutions -------------------------------------------------------------------------------
# A solution is a stable identity (who sells it, its ratings); what it says and costs lives in
# versions. The approved version stays live while an edit waits for review, so a listing never
# disappears because its vendor is changing the price. Partial unique indexes allow at most one
# live and one open (draft or pending) version per solution.

VERSION_STATES = ("draft", "pending", "live", "superseded", "rejected")


class Solution(SQLModel, table=True):
    __tablename__ = "solutions"
    __table_args__ = (
        CheckConstraint("rating_count >= 0 AND rating_total >= 0", name="ck_solutions_rating"),
        CheckConstraint("renewal_rate_percent IS NULL OR renewal_rate_percent BETWEEN 0 AND 100",
                        name="ck_solutions_renewal"),
    )

    id: int | None = Field(default=None, primary_key=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    withdrawn_at: datetime | None = None
    # Kept in the same transaction as the reviews they summarise (sorting needs them in SQL).
    rating_count: int = 0
    rating_total: int = 0
    # Written by the points domain through catalog services once renewals are recorded.
    renewal_rate_percent: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class SolutionVersion(SQLModel, table=True):
    __tablename__ = "solution_versions"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'pending', 'live', 'superseded', 'rejected')",
                        name="ck_solution_versions_state"),
        CheckConstraint("min_employees >= 1 AND max_employees >= min_employees",
                        name="ck_solution_versions_sizes"),
        CheckConstraint("availability_percent > 0 AND availability_percent < 100",
                        name="ck_solution_versions_availability"),
        CheckConstraint("response_minutes > 0 AND rpo_minutes > 0 "
                        "AND compensation_cap_percent BETWEEN 1 AND 100",
                        name="ck_solution_versions_sla"),
        UniqueConstraint("solution_id", "number", name="uq_solution_versions_number"),
        Index("uq_solution_versions_live", "solution_id", unique=True,
              sqlite_where=text("state = 'live'"), postgresql_where=text("state = 'live'")),
        Index("uq_solution_versions_open", "solution_id", unique=True,
              sqlite_where=text("state IN ('draft', 'pending')"),
              postgresql_where=text("state IN ('draft', 'pending')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    number: int
    state: str = Field(max_length=12, index=True)
    category: str = Field(max_length=30, index=True)
    name: str = Field(max_length=80)
    summary: str = Field(max_length=200)
    description_md: str = Field(sa_column=Column(Text, nullable=False))
    # Codes wrapped in bars ("|retail|food_beverage|") so a facet is one indexed-free LIKE that
    # works the same on SQLite and PostgreSQL; 800 rows do not need a join table.
    industry_codes: str = Field(max_length=400)
    problem_codes: str = Field(max_length=600)
    min_employees: int
    max_employees: int
    free_trial_days: int = 0
    health_url: str = Field(max_length=300)
    data_export_format: str = Field(max_length=20)
    data_export_description: str = Field(max_length=500)
    # The five SLA terms (see sla_terms.py for their meaning and checks).
    availability_percent: float
    support_windows: list = Field(sa_column=Column(JSON, nullable=False))
    covers_national_holidays: bool
    support_channels: list = Field(sa_column=Column(JSON, nullable=False))
    compensation_tiers: list = Field(sa_column=Column(JSON, nullable=False))
    compensation_cap_percent: int
    response_minutes: int
    rpo_minutes: int
    # Derived when saved, for facets and sorting without decoding JSON per row.
    weekend_support: bool
    yearly_price_from: int = Field(index=True)
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    # Review of this version by an administrator.
    created_by_id: int = Field(foreign_key="users.id")
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by_name: str | None = Field(default=None, max_length=100)
    decision_reason: str | None = Field(default=None, sa_column=Column(Text))
    # An unfinished draft: what the vendor entered (the ListingSchema payload as typed, blanks
    # left out), kept here because the columns above only take complete listings. NULL once
    # the version's columns hold the content; a version holding one is always a draft.
    draft_form: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SolutionPlan(SQLModel, table=True):
    """A priced plan of one version; orders snapshot it, so versions never change once live."""

    __tablename__ = "solution_plans"
    __table_args__ = (
        CheckConstraint("billing_period IN ('month', 'year')", name="ck_solution_plans_period"),
        CheckConstraint("price_ntd >= 0 AND list_price_ntd >= price_ntd AND seats >= 1",
                        name="ck_solution_plans_price"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="solution_versions.id", index=True)
    position: int
    name: str = Field(max_length=60)
    billing_period: str = Field(max_length=5)
    price_ntd: int
    list_price_ntd: int  # what anyone else pays: the subsidised price may not exceed it
    seats: int
    included: str = Field(max_length=500)


class SolutionReview(SQLModel, table=True):
    """1–5 stars by a business with an activated order; once per order; vendor answers once."""

    __tablename__ = "solution_reviews"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="ck_solution_reviews_stars"),)

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    business_organisation_id: int = Field(foreign_key="organisations.id")
    author_id: int = Field(foreign_key="users.id")
    # The order the review is about (points domain); unique, so one review per order. Demo
    # reviews seeded before orders exist carry none.
    order_id: int | None = Field(default=None, unique=True)
    stars: int
    body: str = Field(sa_column=Column(Text, nullable=False))
    vendor_reply: str | None = Field(default=None, sa_column=Column(Text))
    vendor_replied_at: datetime | None = None
    hidden_reason: str | None = Field(default=None, max_length=500)
    hidden_by_name: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow)


class CatalogRevision(SQLModel, table=True):
    """A counter bumped by every change visitors can see (one row, id 1).

    Public pages are cached per process under the revision they were rendered at; reading this
    one row tells every gunicorn worker, on every host, whether its copy is still current.
    """

    __tablename__ = "catalog_revision"

    id: int | None = Field(default=None, primary_key=True)
    revision: int = 0
