"""Advisor tables: needs forms (drafts and submitted), diagnoses, recommendations with their
items, and conversion records.

A form is the business's answers as JSON (the form changes more often than the schema, and
nothing queries inside it). What is queried has its own column: the diagnosis's industry and
index (peer comparison), the recommendation's queue state and consultant (the queue), and the
conversion outcome (the administrators' report).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

FORM_DRAFT, FORM_SUBMITTED = "draft", "submitted"

# Recommendation queue states: new → claimed → in_review → sent. An automatic-only
# recommendation is sent at once, with no consultant.
NEW, CLAIMED, IN_REVIEW, SENT = "new", "claimed", "in_review", "sent"
QUEUE_STATES = (NEW, CLAIMED, IN_REVIEW, SENT)


class NeedsForm(SQLModel, table=True):
    __tablename__ = "advisor_needs_forms"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'submitted')", name="ck_advisor_needs_forms_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    created_by_id: int = Field(foreign_key="users.id")
    state: str = Field(max_length=10, default=FORM_DRAFT)
    answers: dict = Field(sa_column=Column(JSON, nullable=False))
    submitted_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Diagnosis(SQLModel, table=True):
    """The readiness diagnosis of one submitted form, as scored then (cut-offs may change)."""

    __tablename__ = "advisor_diagnoses"

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="advisor_needs_forms.id", unique=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    industry: str = Field(max_length=32, index=True)
    readiness_index: float
    stage: int
    dimension_scores: dict = Field(sa_column=Column(JSON, nullable=False))
    obstacles: list = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Recommendation(SQLModel, table=True):
    __tablename__ = "advisor_recommendations"
    __table_args__ = (
        CheckConstraint("state IN ('new', 'claimed', 'in_review', 'sent')",
                        name="ck_advisor_recommendations_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="advisor_needs_forms.id", unique=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    state: str = Field(max_length=10, index=True)
    automatic: bool = False  # the business asked for no consultant
    consultant_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    # What the matcher was given (NeedsProfile fields), so added items are assessed the same.
    profile: dict = Field(sa_column=Column(JSON, nullable=False))
    catalog_revision: int = 0
    overall_note: str = Field(default="", sa_column=Column(Text, nullable=False))
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class RecommendationItem(SQLModel, table=True):
    __tablename__ = "advisor_recommendation_items"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "solution_id",
                         name="uq_advisor_items_solution"),
        CheckConstraint("source IN ('matcher', 'consultant')", name="ck_advisor_items_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="advisor_recommendations.id", index=True)
    solution_id: int = Field(foreign_key="solutions.id")
    plan_id: int | None = Field(default=None, foreign_key="solution_plans.id")
    position: int
    source: str = Field(max_length=10)
    in_bundle: bool = False
    name: str = Field(max_length=80)
    yearly_price: int
    score: float | None = None  # None: the matcher excluded it (the consultant added it)
    # Matcher reasons as [factor, key, values, fit, points]; explain.py words them.
    reasons: list = Field(sa_column=Column(JSON, nullable=False))
    covers: list = Field(sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class Conversion(SQLModel, table=True):
    """Whether a sent recommendation led to a purchase of one of its items within 30 days."""

    __tablename__ = "advisor_conversions"

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="advisor_recommendations.id", unique=True)
    consultant_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    converted: bool
    bought_solution_ids: list = Field(sa_column=Column(JSON, nullable=False))
    decided_at: datetime = Field(default_factory=utcnow)
